"""An income statement of a year outside the registry's dates (1800 to 2999) is refused with a
code, never an internal error (found by the fuzz test once the schema grew)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Api
from tests.support import VILLAGE

INCOME = f"""
query Income($year: Int!) {{ incomeStatement(villageCode: "{VILLAGE}", year: $year) {{ year }} }}
"""


@pytest.mark.parametrize("year", [0, -1, 1799, 3000, 2_000_000_000])
def test_a_year_outside_the_registry_is_refused_with_a_code(api: Api, year: int) -> None:
    body = api.post(INCOME, {"year": year}).json()
    codes = [e["extensions"]["code"] for e in body.get("errors", [])]
    assert codes == ["statement_period_invalid"], body
