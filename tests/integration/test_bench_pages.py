"""``qianwan bench --pages-only``: pages are grouped by route, and every page a signed-in user
reaches is timed (on a small registry here; the bench itself loads the demo district)."""

from __future__ import annotations

from qianwan.bootstrap import Registry
from scripts.bench.pages import kind_of, page_lines, pages_phase
from tests.support import VILLAGE
from tests.users_support import CHEAP


def test_pages_are_grouped_by_route_with_ids_and_numbers_replaced() -> None:
    some_id = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
    assert kind_of(f"/assets/{some_id}/contracts") == "/assets/{id}/contracts"
    assert kind_of("/books/events/1234") == "/books/events/{n}"
    assert kind_of("/books?village=320117107206&asOf=2025-12-31") == "/books?asOf&village"
    assert kind_of("/") == "/"


def test_every_page_reached_is_timed(seeded: Registry) -> None:
    seeded.users.hasher = CHEAP
    found = pages_phase(seeded, [VILLAGE], rounds=2, say=lambda _: None)
    for role in ("accountant", "auditor"):
        home = found["roles"][role]["/"]
        assert home["count"] == 2 and home["p95_ms"] > 0
    assert found["worst_p95_ms"] >= home["p95_ms"]
    assert any("worst page p95" in line for line in page_lines(found))


def test_p95_is_the_nearest_rank() -> None:
    from scripts.bench.pages import percentile

    twenty = [float(n) for n in range(1, 21)]
    assert percentile(twenty, 0.95) == 19.0  # 19 of 20 at or below it
    assert percentile([5.0], 0.95) == 5.0
    assert percentile(twenty, 0.5) == 10.0
