"""A fuzzing pass over the schema: queries and mutations generated from the introspected schema
(a fixed seed, a fixed budget), sent with every role's token to the demo district. Whatever is
asked, the API refuses or answers; it never fails: no 500, no `internal_error`, no traceback."""

from __future__ import annotations

import json
import random
from typing import Any
from uuid import uuid4

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_object_type,
)

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api

FUZZ_SEED = 20_261_123
FUZZ_BUDGET = 300  # requests
MUTATION_SHARE = 0.25
MAX_DEPTH = 4
SCOPED_VILLAGES = ("320117107206", "320117001291")
STRINGS = [
    "",
    "x",
    "320117",
    "320117107",
    "320117107206",
    "320117001291",
    "320117999999",
    "2025-07",
    "2026-13",
    "dibao",
    "contracted",
    "registered",
    "lease",
    "canteen",
    "assets.public_bidding_threshold_yuan",
    "land.adjustment_fund",
    "' OR 1=1 --",
    "王" * 300,
    "\u0000\u202e",
    "WyJ2aWxsYWdlIiwiMzIwMTE3MTA3MjA2Il0",
]
INTS = [-(2**31), -1, 0, 1, 3, 20, 100, 101, 2**31 - 1]
DECIMALS = ["0", "1", "-1", "0.001", "12.34", "1e400", "NaN", "Infinity", "9" * 30, "abc"]
DATES = ["2024-01-01", "2025-07-15", "2026-10-31", "0001-01-01", "9999-12-31", "2024-02-30"]
DATETIMES = ["2025-07-15T08:00:00+08:00", "2026-10-31T00:00:00Z", "1900-01-01T00:00:00"]


class Generator:
    def __init__(self, schema: GraphQLSchema, ids: list[str], seed: int) -> None:
        self.schema = schema
        self.ids = ids
        self.random = random.Random(seed)

    def document(self) -> str:
        is_mutation = self.random.random() < MUTATION_SHARE
        root = self.schema.mutation_type if is_mutation else self.schema.query_type
        assert root is not None
        names = self.random.sample(sorted(root.fields), k=self.random.choice([1, 1, 2]))
        parts = []
        for n, name in enumerate(names):
            alias = f"a{n}: " if self.random.random() < 0.2 else ""
            parts.append(alias + self.field(name, root.fields[name], 0))
        return ("mutation " if is_mutation else "query ") + "{ " + " ".join(parts) + " }"

    def field(self, name: str, field: GraphQLField, depth: int) -> str:
        args = [
            f"{arg}: {self.value(a.type)}"
            for arg, a in field.args.items()
            if isinstance(a.type, GraphQLNonNull) or self.random.random() < 0.4
        ]
        text = name + (f"({', '.join(args)})" if args else "")
        target = get_named_type(field.type)
        if not is_object_type(target):
            return text
        assert isinstance(target, GraphQLObjectType)
        return f"{text} {{ {self.selection(target, depth + 1)} }}"

    def selection(self, t: GraphQLObjectType, depth: int) -> str:
        names = sorted(t.fields)
        scalars = [n for n in names if not is_object_type(get_named_type(t.fields[n].type))]
        objects = [n for n in names if n not in scalars]
        chosen = self.random.sample(scalars, k=min(len(scalars), self.random.randint(1, 6)))
        if depth < MAX_DEPTH and objects:
            for name in self.random.sample(objects, k=min(len(objects), self.random.randint(0, 2))):
                chosen.append(self.field(name, t.fields[name], depth))
        return " ".join(chosen) or "__typename"

    def value(self, input_type: GraphQLInputType) -> str:
        if isinstance(input_type, GraphQLNonNull):
            return self.value(input_type.of_type)
        if isinstance(input_type, GraphQLList):
            items = [self.value(input_type.of_type) for _ in range(self.random.randint(0, 3))]
            return "[" + ", ".join(items) + "]"
        if isinstance(input_type, GraphQLInputObjectType):
            fields = [
                f"{name}: {self.value(f.type)}"
                for name, f in input_type.fields.items()
                if isinstance(f.type, GraphQLNonNull) or self.random.random() < 0.5
            ]
            return "{" + ", ".join(fields) + "}"
        if isinstance(input_type, GraphQLEnumType):
            return self.random.choice(sorted(input_type.values))
        name = get_named_type(input_type).name
        pick = self.random.choice
        choices: dict[str, Any] = {
            "String": lambda: json.dumps(pick(STRINGS)),
            "ID": lambda: json.dumps(pick([*self.ids, str(uuid4()), "not-an-id", ""])),
            "Int": lambda: str(pick(INTS)),
            "Decimal": lambda: json.dumps(pick(DECIMALS)),
            "Date": lambda: json.dumps(pick(DATES)),
            "DateTime": lambda: json.dumps(pick(DATETIMES)),
            "Boolean": lambda: pick(["true", "false"]),
            "JSON": lambda: pick(['"20000"', "[]", '{"a": 1}', "null", "1.5", '["farmhouse"]']),
        }
        return str(choices[name]())


def known_ids(api: Api) -> list[str]:
    """Ids of real objects, so that many requests reach a resolver rather than a not-found."""
    query = """{ assets(first: 5) { edges { node { id } } }
      parcels(first: 5) { edges { node { id } } }
      mealPoints(first: 5) { edges { node { id } } } elders(first: 5) { edges { node { id } } }
      meals(first: 5) { edges { node { id batchId } } }
      mealSettlements(first: 5) { edges { node { id } } } }"""
    data = api.data(query)
    found: list[str] = []
    for connection in data.values():
        for edge in connection["edges"]:
            found.extend(v for v in edge["node"].values() if v)
    return sorted(set(found))


def test_no_generated_request_makes_the_server_fail(demo: Registry, demo_api: Api) -> None:
    # given the schema as a client learns it, and a client of every role
    introspected = demo_api.data(get_introspection_query())
    schema = build_client_schema(introspected)  # type: ignore[arg-type]
    clients = [
        demo_api.as_role("accountant", SCOPED_VILLAGES, "fuzz"),
        demo_api.as_role("auditor"),
        demo_api,
        demo_api.as_role("admin"),
    ]
    generator = Generator(schema, known_ids(demo_api.as_role("auditor")), FUZZ_SEED)

    # when the budget of generated requests is sent
    failures, answered = [], 0
    for n in range(FUZZ_BUDGET):
        document = generator.document()
        response = clients[n % len(clients)].post(document)
        text = response.text
        codes = [e.get("extensions", {}).get("code") for e in response.json().get("errors", [])]
        if response.status_code >= 500 or "internal_error" in codes or "Traceback" in text:
            failures.append((response.status_code, document, text[:500]))
        answered += response.status_code == 200

    # then nothing failed, and most requests got as far as running
    assert failures == []
    assert answered > FUZZ_BUDGET // 3
