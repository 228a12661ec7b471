"""Every rule of the assets context is a plain ``check_*`` function in domain/assets/rules.py that
cites its rule in docs/rules.md, so a newcomer finds it from either side."""

from __future__ import annotations

import inspect
import re

from domain.assets import rules

CITATION = re.compile(r"docs/rules\.md A-\d{2}")


def test_every_rule_of_the_assets_context_cites_its_rule_id() -> None:
    checks = {
        name: function
        for name, function in inspect.getmembers(rules, inspect.isfunction)
        if function.__module__ == rules.__name__
    }
    assert checks, "domain/assets/rules.py defines no rules"
    assert all(name.startswith("check_") for name in checks), sorted(checks)
    uncited = sorted(name for name, f in checks.items() if not CITATION.search(f.__doc__ or ""))
    assert uncited == []
