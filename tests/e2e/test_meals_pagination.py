"""The meal register a page at a time: `first`/`after`, a total count, a stable order, a cap."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from api.pagination import MAX_PAGE_SIZE
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.meals_documents import MEALS_PAGE, enrol, meals_api, record, register_point, upload

MAY = [date(2024, 5, 1) + timedelta(n) for n in range(31)]


@pytest.fixture(autouse=True)
def policies(seeded: Registry) -> None:
    meals_api(seeded)


def serve_may(api: Api) -> tuple[str, str]:
    """Two elders at one canteen: lunch every day of May, one of them at the same minute."""
    point, other_point = register_point(api), register_point(api, "ST-02")
    wang, zhang = enrol(api, name="王秀兰", sequence="246"), enrol(api, name="张桂英")
    records = [
        record(elder, f"{day}T11:30", f"{day}-{n}")
        for day in MAY
        for n, elder in enumerate((wang, zhang))
    ]
    assert upload(api, point, "MAY", records)["refusedCount"] == 0
    upload(api, other_point, "MAY", [record(wang, "2024-06-01T18:00", "x", "dinner")])
    return point, other_point


def pages(api: Api, first: int, **variables: Any) -> list[dict[str, Any]]:
    result, after = [], None
    while True:
        page = api.data(MEALS_PAGE, {"first": first, "after": after, **variables})["meals"]
        result.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return result
        after = page["pageInfo"]["endCursor"]


def test_pages_cover_every_meal_once_in_a_stable_order(api: Api) -> None:
    # given 62 meals at one canteen and one at another
    point, _ = serve_may(api)

    # when the canteen's meals are read 7 at a time
    read = pages(api, 7, point=point)

    # then every page knows the total, and the pages hold each meal once, in order
    assert len(read) == 9
    assert {p["totalCount"] for p in read} == {62}
    nodes = [e["node"] for p in read for e in p["edges"]]
    assert len(nodes) == 62 == len({n["id"] for n in nodes})
    keys = [(n["servedOn"], n["servedAt"], n["id"]) for n in nodes]
    assert keys == sorted(keys)
    assert [len(p["edges"]) for p in read] == [7] * 8 + [6]
    assert read[0]["pageInfo"]["hasPreviousPage"] is False
    assert read[1]["pageInfo"]["hasPreviousPage"] is True
    assert read[0]["pageInfo"]["startCursor"] == read[0]["edges"][0]["cursor"]
    # the same request gives the same page
    assert api.data(MEALS_PAGE, {"point": point, "first": 7})["meals"] == read[0]


def test_meals_are_filtered_by_point_and_dates(api: Api) -> None:
    # given meals at two canteens
    point, other_point = serve_may(api)

    # when they are asked for by point and by days
    week = pages(api, 5, point=point, **{"from": "2024-05-10", "to": "2024-05-16"})
    june = pages(api, 5, **{"from": "2024-06-01"})
    elsewhere = api.data(MEALS_PAGE, {"point": other_point})["meals"]

    # then only those come back
    assert week[0]["totalCount"] == 14
    days = {e["node"]["servedOn"] for p in week for e in p["edges"]}
    assert days == {f"2024-05-{d}" for d in range(10, 17)}
    assert june[0]["totalCount"] == 1 and elsewhere["totalCount"] == 1


def test_a_page_larger_than_the_cap_and_a_forged_cursor_are_refused(api: Api) -> None:
    # given meals
    point, _ = serve_may(api)

    # when a page above the cap, a negative one, or a made-up cursor is asked for
    too_many = api.post(MEALS_PAGE, {"point": point, "first": MAX_PAGE_SIZE + 1}).json()
    negative = api.post(MEALS_PAGE, {"point": point, "first": -1}).json()
    forged = api.post(MEALS_PAGE, {"point": point, "after": "not-a-cursor"}).json()
    at_cap = api.data(MEALS_PAGE, {"first": MAX_PAGE_SIZE})["meals"]
    count_only = api.data(MEALS_PAGE, {"point": point, "first": 0})["meals"]

    # then each is refused with its code and the argument at fault; the cap itself is served,
    # and an empty page gives the count alone
    for body, code, field in (
        (too_many, "page_size_out_of_range", "first"),
        (negative, "page_size_out_of_range", "first"),
        (forged, "cursor_not_recognized", "after"),
    ):
        (error,) = body["errors"]
        assert error["extensions"] == {"code": code, "field": field}
        assert body["data"] is None
    assert at_cap["totalCount"] == 63 and len(at_cap["edges"]) == 63
    assert count_only["totalCount"] == 62 and count_only["edges"] == []
