"""The district platform reading the whole demo district (32 villages, its assets, parcels, meal
points, 142 elders and their meals):

- a nested query over every village takes the same SQL statements as over one (DataLoaders);
- a crawler reads every list of the schema (and every object by id) with a platform token and
  finds no elder's full name or ID number anywhere in the responses."""

from __future__ import annotations

import json
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
    is_object_type,
)

from api.auth.middleware import PERMISSION
from api.schema import build_schema
from domain.access.roles import Role
from qianwan.bootstrap import Registry
from scripts.demo_meals_plan import read_meals
from tests.e2e.conftest import Api, nodes
from tests.e2e.test_dataloaders import statements_for

ALL_VILLAGES = 40  # more than the demo's 32
SOME_VILLAGES = 8  # enough that every relation of the query has rows
NESTED = """{
  villages(first: VILLAGES) { totalCount edges { node {
    code town { name }
    assets(first: 10) { totalCount edges { node {
      assetCode village { code }
      contracts(first: 5) { edges { node { contractNo } } }
      invoices(first: 5) { totalCount edges { node { invoiceNo outstanding } } } } } }
    parcels(first: 5) { edges { node {
      parcelCode proceeds { received } payments(first: 5) { edges { node { amount } } } } } }
  } } }
  mealPoints(first: 3) { edges { node {
    name village { name }
    settlements(first: 2) { edges { node { month lines { meals } clawbacks { mealId } } } } } } }
  elders(first: 100) { edges { node { name idNumber village { name } } } }
  withCategories: elders(first: 5) { edges { node { categories { category } } } }
}"""
CRAWL_PAGES = 5  # pages of 100 read of each list (the meal register has tens of thousands)
PAGE = 100
NESTED_PAGE = 3
CRAWL_DEPTH = 3  # objects below a list's nodes
DATES = {"dateFrom": '"2025-11-01"', "dateTo": '"2026-10-31"'}  # a year: the longest range


def test_a_nested_query_over_every_village_takes_the_statements_of_a_few(
    demo: Registry, demo_api: Api
) -> None:
    # given the whole demo district, read by the district platform, a few villages first
    few = NESTED.replace("VILLAGES", str(SOME_VILLAGES))
    some = statements_for(demo, demo_api, few)
    sample = nodes(demo_api.data(few)["villages"])
    parcels = [p for v in sample for p in nodes(v["parcels"])]
    assert any(nodes(p["payments"]) for p in parcels)  # every relation has rows already
    assert any(nodes(a["contracts"]) for v in sample for a in nodes(v["assets"]))

    # when every village is read down to invoices, payments, settlements and elders
    every = statements_for(demo, demo_api, NESTED.replace("VILLAGES", str(ALL_VILLAGES)))

    # then the same statements serve all 32 villages: one per relation, whatever the count
    data = demo_api.data(NESTED.replace("VILLAGES", str(ALL_VILLAGES)))
    villages = nodes(data["villages"])
    assert len(villages) == data["villages"]["totalCount"] == 32
    assert sum(v["assets"]["totalCount"] for v in villages) > 30
    assert len(nodes(data["elders"])) == 100
    assert every == some


# -- the crawler ---------------------------------------------------------------------------------


def clear_values() -> list[str]:
    """Every demo elder's name and ID number, and the ID numbers' first 14 characters."""
    elders = read_meals()["elders"]
    numbers = [e["id_number"] for e in elders]
    return [*(e["name"] for e in elders), *numbers, *(n[:14] for n in numbers)]


def selection(t: GraphQLObjectType, depth: int, path: tuple[str, ...]) -> str:
    """Every scalar of ``t``; objects and lists below it to CRAWL_DEPTH, not back up the path."""
    parts = ["__typename"]
    for name, field in t.fields.items():
        target = get_named_type(field.type)
        if not is_object_type(target):
            if not required_arguments(field):
                parts.append(name)
            continue
        assert isinstance(target, GraphQLObjectType)
        if depth >= CRAWL_DEPTH or target.name in path or not can_call(field):
            continue
        args = arguments(field, NESTED_PAGE)
        parts.append(f"{name}{args} {{ {selection(target, depth + 1, (*path, t.name))} }}")
    return " ".join(parts)


def required_arguments(field: GraphQLField) -> list[str]:
    return [n for n, a in field.args.items() if isinstance(a.type, GraphQLNonNull)]


def can_call(field: GraphQLField) -> bool:
    return all(name in DATES for name in required_arguments(field))


def arguments(field: GraphQLField, first: int, extra: dict[str, str] | None = None) -> str:
    given = {n: v for n, v in DATES.items() if n in field.args}
    if "first" in field.args:
        given["first"] = str(first)
    given.update(extra or {})
    return "(" + ", ".join(f"{k}: {v}" for k, v in given.items()) + ")" if given else ""


def is_connection(t: GraphQLNamedType) -> bool:
    return isinstance(t, GraphQLObjectType) and "pageInfo" in t.fields


def crawl_list(api: Api, name: str, field: GraphQLField, extra: dict[str, str]) -> list[Any]:
    """The first CRAWL_PAGES × PAGE items of one root list (or all of them), in pages as large
    as the limits allow (the lists inside a node count at what they can hold); returns the
    bodies."""
    connection = get_named_type(field.type)
    assert isinstance(connection, GraphQLObjectType)
    node = get_named_type(connection.fields["edges"].type)
    assert isinstance(node, GraphQLObjectType)
    node_type = get_named_type(node.fields["node"].type)
    assert isinstance(node_type, GraphQLObjectType)
    bodies, after, size, seen = [], None, PAGE, 0
    while seen < CRAWL_PAGES * PAGE:
        cursor: dict[str, str] = {"after": json.dumps(after)} if after else {}
        args = arguments(field, size, {**extra, **cursor})
        inner = selection(node_type, 1, (connection.name,))
        document = f"{{ {name}{args} {{ totalCount pageInfo {{ hasNextPage endCursor }} "
        document += f"edges {{ cursor node {{ {inner} }} }} }} }}"
        response = api.post(document)
        body = response.json()
        if response.status_code == 400 and size > 1:
            (error,) = body["errors"]
            assert error["extensions"]["code"] == "query_too_complex", (name, body)
            size //= 2
            continue
        assert response.status_code == 200 and "errors" not in body, (name, body)
        bodies.append(body)
        page = body["data"][name]
        seen += len(page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return bodies


def ids_in(bodies: list[Any], typename: str) -> set[str]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("__typename") == typename and "id" in value:
                found.add(value["id"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(bodies)
    return found


def test_no_response_to_the_platform_names_an_elder_in_full(demo_api: Api) -> None:
    # given the demo district, read with the platform's token
    schema = build_schema().graphql_schema
    query = schema.query_type
    assert query is not None
    bodies: list[Any] = []
    point_ids: set[str] = set()

    # when every list of the schema is read, page after page, with everything below it
    lists = {n: f for n, f in query.fields.items() if is_connection(get_named_type(f.type))}
    for name, field in sorted(lists.items(), key=lambda item: item[0] == "mealBatches"):
        permission = (field.extensions or {})[PERMISSION]
        if not permission.allows_role(Role.PLATFORM):
            continue  # the tokens, the access log: not the platform's to read
        if name == "mealBatches":  # per meal point
            for point in sorted(point_ids)[:5]:
                bodies += crawl_list(demo_api, name, field, {"mealPointId": json.dumps(point)})
            continue
        found = crawl_list(demo_api, name, field, {})
        bodies += found
        point_ids |= ids_in(found, "MealPoint")
    # and every object by id
    singles = {"elder": "Elder", "meal": "Meal", "mealPoint": "MealPoint", "asset": "Asset"}
    for name, typename in singles.items():
        target = get_named_type(query.fields[name].type)
        assert isinstance(target, GraphQLObjectType)
        for found_id in sorted(ids_in(bodies, typename))[:20]:
            document = f'{{ {name}(id: "{found_id}") {{ {selection(target, 1, ())} }} }}'
            bodies.append(demo_api.data(document))

    # then the crawl saw the elders, masked, and no response names anyone in full
    text = json.dumps(bodies, ensure_ascii=False)
    elders = [b["data"]["elders"] for b in bodies if "elders" in b.get("data", {})]
    assert sum(len(page["edges"]) for page in elders) >= 142  # (and whoever was enrolled since)
    masked = [e["node"]["name"] for page in elders for e in page["edges"]]
    assert all(name is None or name.endswith("*") for name in masked)
    for clear in clear_values():
        assert clear not in text, f"a response to the platform contains {clear[:1]}…"
