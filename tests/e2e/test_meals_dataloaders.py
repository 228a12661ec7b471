"""Every relation of the meal types goes through a per-request DataLoader: the SQL statements of
a nested query do not grow with the number of meal points, elders, meals or settlements."""

from __future__ import annotations

import pytest

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes
from tests.e2e.meals_documents import DRAFT, enrol, meals_api, record, register_point, upload
from tests.e2e.test_dataloaders import statements_for

NESTED = """
{
  mealPoints(first: 3) { edges { node {
    name village { name }
    dailyCounts(dateFrom: "2024-05-01", dateTo: "2024-05-31") { servedOn total }
    settlements(first: 2) { edges { node {
      month lines { meals } clawbacks { mealId } mealPoint { pointCode } } } }
  } } }
  elders(first: 10) { edges { node { name idNumber village { name } categories { category } } } }
  meals(first: 100) { totalCount edges { node { id mealPoint { name } elder { name } } } }
}
"""


@pytest.fixture(autouse=True)
def policies(seeded: Registry) -> None:
    meals_api(seeded)


def point_with_a_settled_month(api: Api, code: str, sequence: str) -> None:
    point = register_point(api, code)
    elder = enrol(api, sequence=sequence)
    days = [f"2024-05-{d:02d}" for d in range(1, 6)]
    upload(api, point, "B1", [record(elder, f"{d}T11:30", d) for d in days])
    api.data(DRAFT, {"point": point, "month": "2024-05", "on": "2024-06-03"})


def test_a_nested_meal_query_takes_the_same_statements_for_one_point_or_three(
    seeded: Registry, api: Api
) -> None:
    # given a meal point with an elder, meals and a drafted settlement
    point_with_a_settled_month(api, "ST-01", "124")
    one_point = statements_for(seeded, api, NESTED)

    # when two more points get elders, meals and settlements
    point_with_a_settled_month(api, "ST-02", "246")
    point_with_a_settled_month(api, "ST-03", "368")
    three_points = statements_for(seeded, api, NESTED)

    # then the same statements serve the bigger tree
    data = api.data(NESTED)
    points = nodes(data["mealPoints"])
    assert len(points) == 3 and len(nodes(data["elders"])) == 3
    assert data["meals"]["totalCount"] == 15
    assert all(len(nodes(p["settlements"])) == 1 for p in points)
    assert one_point == three_points
