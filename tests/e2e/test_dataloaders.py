"""Every relation goes through a per-request DataLoader: the number of SQL statements for a
nested query does not grow with the number of towns, villages, assets or contracts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event

from domain.reference.application import TownInput, VillageInput
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes
from tests.support import ACCOUNTANT, ADMIN, DISTRICT, OTHER_VILLAGE, leased_building

NESTED = """{ towns(first: 10) { edges { node {
  villages(first: 10) { edges { node {
    assets(first: 10) { totalCount edges { node {
      contracts(first: 10) { edges { node { contractNo } } } } } } } } } } } } }"""
SECOND_TOWN = "320117108"
THIRD_VILLAGE = "320117108001"


@contextmanager
def counting_statements(registry: Registry) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # Not a relation: whether a read model is halted, looked up at most once a second for
        # the answer's warnings (api/execution.py), whatever the query.
        if "projection_halts" not in statement:
            statements.append(statement)

    event.listen(registry.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(registry.engine, "before_cursor_execute", count)


def statements_for(registry: Registry, api: Api, query: str) -> int:
    assert api.token  # issued before counting
    with counting_statements(registry) as statements:
        api.data(query)
    return len(statements)


def register_in(registry: Registry, village_code: str, asset_code: str) -> None:
    registry.assets.register_asset(
        village_code, asset_code, "仓库", "other", "80", "村口", date(2024, 1, 5), ACCOUNTANT
    )


def test_nested_relations_take_the_same_statements_for_one_village_or_three(
    seeded: Registry, api: Api
) -> None:
    # given assets with a contract in one village
    leased_building(seeded.assets, "ZC-001")
    platform = api.platform
    one_village = statements_for(seeded, platform, NESTED)

    # when two more villages (one in a second town) get assets and contracts as well
    seeded.places.register_towns(DISTRICT, [TownInput(SECOND_TOWN, "白马镇", "town")], ADMIN)
    seeded.places.register_villages(
        SECOND_TOWN,
        [VillageInput(THIRD_VILLAGE, "测试二村", "测试二村股份经济合作社", True, True)],
        ADMIN,
    )
    leased_building(seeded.assets, "ZC-002")
    for n, village in enumerate([OTHER_VILLAGE, OTHER_VILLAGE, THIRD_VILLAGE, THIRD_VILLAGE]):
        register_in(seeded, village, f"ZC-1{n}")
    three_villages = statements_for(seeded, platform, NESTED)

    # then the same statements serve the bigger tree: two for the towns' page (its count and
    # its rows), then one per level (the token's version is looked up in the event store, whose
    # statements are not counted here)
    data = platform.data(NESTED)
    towns = nodes(data["towns"])
    assert len(towns) == 2
    villages = [v for t in towns for v in nodes(t["villages"])]
    assert sum(v["assets"]["totalCount"] for v in villages) == 6
    assert one_village == three_villages == 5
