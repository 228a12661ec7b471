"""What the disclosure page tests share: a village with a lease to a natural person and an
elder served meals last month, and its disclosure of last month drafted, reviewed, published
through the registry's application (the pages' own forms are tested on their own)."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from openpyxl import load_workbook

from domain.shared.values import Provenance
from qianwan.bootstrap import Registry
from tests.support import (
    OPERATOR,
    VILLAGE,
    contracted_building,
    enrol_elder,
    lease_contract,
    make_id_number,
    meal,
    meals_registry,
    register_canteen,
)

ACCOUNTANT = Provenance("accountant:test", "村务公开")
LESSEE = "王小明"
ELDER = "张桂英"
ELDER_ID = make_id_number(date(1944, 5, 6), "123")
MEMBERS = ["李民主", "赵理财", "钱小组"]
PERSONAL = (LESSEE, ELDER, ELDER_ID, *MEMBERS)


@dataclass
class Village:
    period: str
    period_end: date


def last_month(registry: Registry) -> Village:
    first = registry.clock.today().replace(day=1)
    end = first - timedelta(days=1)
    return Village(f"{end.year:04d}-{end.month:02d}", end)


def with_people(registry: Registry) -> Village:
    """A lease to 王小明 (a person) and 张桂英 served two meals last month, in VILLAGE."""
    contract = replace(lease_contract(), counterparty_name=LESSEE, counterparty_kind="person")
    contracted_building(registry.assets, contract)
    month = last_month(registry)
    meals = meals_registry(registry)
    meals.today = registry.clock.today
    point = register_canteen(meals)
    elder = enrol_elder(meals, ELDER, sequence="123")
    day = month.period_end - timedelta(days=3)
    records = [
        meal("p1", elder, f"{day.isoformat()} 11:30"),
        meal("p2", elder, f"{(day + timedelta(days=1)).isoformat()} 11:30"),
    ]
    meals.record_meals(point, "P1", records, OPERATOR)
    return month


def drafted(registry: Registry, period: str, village: str = VILLAGE) -> UUID:
    return registry.disclosure.draft(village, period, None, None, ACCOUNTANT)


def published(registry: Registry, period: str, village: str = VILLAGE) -> UUID:
    did = drafted(registry, period, village)
    today = registry.clock.today()
    registry.disclosure.review(did, today, MEMBERS, True, "账实相符，同意公布。", ACCOUNTANT)
    registry.disclosure.publish(did, today, ACCOUNTANT)
    return did


def corrected(registry: Registry, first: UUID, period: str) -> UUID:
    """A published correction (edition 2) of the published ``first``."""
    did = registry.disclosure.draft(VILLAGE, period, first, "租金少记一笔，更正。", ACCOUNTANT)
    today = registry.clock.today()
    registry.disclosure.review(did, today, MEMBERS, True, None, ACCOUNTANT)
    registry.disclosure.publish(did, today, ACCOUNTANT)
    return did


def xlsx_text(content: bytes) -> str:
    """Every cell of every sheet of a workbook, as text."""
    book = load_workbook(io.BytesIO(content))
    cells: list[Any] = []
    for sheet in book.worksheets:
        cells.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            cells.extend(v for v in row if v is not None)
    return "\n".join(str(c) for c in cells)
