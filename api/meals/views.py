"""Rows of the meal-assistance read models (projections/meals/tables.py) as the GraphQL types
read them: keys are the fields' Python names, money is turned from fen into yuan.

Elders' names and ID numbers are opened with the key store here, in one key look-up per list;
what leaves this module is the name and the ID number already masked, which the types show
masked or in clear (api/meals/privacy.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.common import Row, in_yuan, utc, yuan
from api.meals.privacy import masked_id_number
from domain.meals.model.elder import ID_NUMBER_FIELD, NAME_FIELD
from domain.meals.vocabulary import CATEGORIES
from domain.shared.keystore import KeyStore
from projections.meals.elder_queries import elder_status


def point_view(r: Row | None) -> Row | None:
    if r is None:
        return None
    view = {k: v for k, v in r.items() if k not in ("meal_point_id", "slots")}
    view["id"] = r["meal_point_id"]
    view["slots"] = parse_slots(r["slots"])
    return view


def parse_slots(text: str) -> list[Row]:
    """'breakfast 06:00-09:00; lunch 11:00-13:30' → [{slot, start, end}, …]."""
    result = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        slot, _, window = part.partition(" ")
        start, _, end = window.partition("-")
        result.append({"slot": slot, "start": start, "end": end})
    return result


def elder_views(keys: KeyStore, found: Sequence[Row | None]) -> list[Row | None]:
    """Elder rows with their name and ID-number tail opened (None once erased): one key look-up."""
    present = [r for r in found if r is not None]
    sealed: list[tuple[UUID, str, str]] = []
    for r in present:
        subject = UUID(r["elder_id"])
        sealed += [
            (subject, NAME_FIELD, r["name_sealed"]),
            (subject, ID_NUMBER_FIELD, r["id_number_sealed"]),
        ]
    opened = iter(keys.open_many(sealed)) if sealed else iter(())
    views: dict[str, Row] = {}
    for r in present:
        name, number = next(opened), next(opened)
        views[r["elder_id"]] = {
            "id": r["elder_id"],
            "village_code": r["village_code"],
            "name": name,
            "id_number_masked": masked_id_number(number) if number else None,
            "personal_data_erased": bool(r["erased"]) or name is None,
            "status": elder_status(r),
            **{k: r[k] for k in ("enrolled_on", "suspended_from", "moved_away_on", "died_on")},
            "died_reported_on": r["died_reported_on"],
            "erased_on": r["erased_on"],
        }
    return [None if r is None else views[r["elder_id"]] for r in found]


def category_view(r: Row) -> Row:
    return {**r, "name_zh": CATEGORIES.get(r["category"], r["category"])}


def meal_view(r: Row | None) -> Row | None:
    if r is None:
        return None
    view = in_yuan({k: v for k, v in r.items() if k != "meal_id"})
    view["id"] = r["meal_id"]
    return view


def batch_view(r: Row | None) -> Row | None:
    if r is None:
        return None
    view = {k: v for k, v in r.items() if k != "batch_id"}
    view.update(id=r["batch_id"], recorded_at=utc(r["recorded_at"]))
    return view


def settlement_view(r: Row | None) -> Row | None:
    if r is None:
        return None
    view = in_yuan({k: v for k, v in r.items() if k != "settlement_id"})
    view["id"] = r["settlement_id"]
    net_government = r["government_fen"] - r["clawback_government_fen"]
    net_collective = r["collective_fen"] - r["clawback_collective_fen"]
    view.update(
        net_government_yuan=yuan(net_government),
        net_collective_yuan=yuan(net_collective),
        net_payable_yuan=yuan(net_government + net_collective),
        updated_at=utc(r["updated_at"]),
    )
    return view


def money_view(r: Row) -> Row:
    """A settlement line or clawback: fen columns become yuan (elder_fen → elder_yuan)."""
    return in_yuan(r)
