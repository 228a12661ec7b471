"""A fuzzing pass over the schema: queries and mutations generated from the introspected schema
(a fixed seed, a fixed budget), sent with every role's token to the demo district. Whatever is
asked, the API refuses or answers; it never fails: no 500, no `internal_error`, no traceback.

And a table of hostile values (exponents, NaN, year 1 and year 9999, offsets past the end of
time) sent to EVERY argument of type Decimal, Date, DateTime and Int, nested ones included: each
is refused with its code and nothing is recorded, on SQLite and on PostgreSQL."""

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
DECIMALS += ["1E+999999999", "-1E+999999999", "1e-999999999", "sNaN", "999999999999999.99"]
DATES = ["2024-01-01", "2025-07-15", "2026-10-31", "0001-01-01", "9999-12-31", "2024-02-30"]
DATETIMES = ["2025-07-15T08:00:00+08:00", "2026-10-31T00:00:00Z", "1900-01-01T00:00:00"]
DATETIMES += ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+12:00", "2024-08-20T07:30"]


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


# -- hostile values, argument by argument --------------------------------------------------------

# (value, the code that refuses it); JSON numbers that are not integers pass through binary floats
HOSTILE: dict[str, list[tuple[Any, str]]] = {
    "Decimal": [
        ("1E+999999999", "decimal_out_of_range"),
        ("-1E+999999999", "decimal_out_of_range"),
        ("1e-999999999", "decimal_out_of_range"),
        ("1" * 40, "decimal_out_of_range"),
        ("NaN", "decimal_invalid"),
        ("sNaN", "decimal_invalid"),
        ("-Infinity", "decimal_invalid"),
        ("12,50", "decimal_invalid"),
        (12.5, "decimal_invalid"),
    ],
    "Date": [
        ("0001-01-01", "date_out_of_range"),
        ("9999-12-31", "date_out_of_range"),
        ("2024-02-30", "date_invalid"),
    ],
    "DateTime": [
        ("9999-12-31T23:59:59-12:00", "time_out_of_range"),
        ("0001-01-01T00:00:00+12:00", "time_out_of_range"),
        ("0001-01-01T00:00:00", "time_out_of_range"),
        ("9999-12-31T23:59:59.999999", "time_out_of_range"),
        ("2024-08-20T24:30", "time_invalid"),
    ],
}
NIL_ID = "00000000-0000-0000-0000-000000000000"
PLAIN_LITERALS = {
    "String": '"x"',
    "ID": json.dumps(NIL_ID),
    "Int": "1",
    "Float": "1.0",
    "Boolean": "false",
    "Decimal": '"1"',
    "Date": '"2024-01-02"',
    "DateTime": '"2024-01-02T08:00:00"',
    "JSON": "{}",
}
INT_EDGES = [-(2**31), -1, 0, 2**31 - 1]


def plain_literal(input_type: GraphQLInputType, target: tuple[str, ...], leaf: str) -> str:
    """A valid literal of ``input_type`` with ``leaf`` at the path ``target`` inside it."""
    if isinstance(input_type, GraphQLNonNull):
        return plain_literal(input_type.of_type, target, leaf)
    if isinstance(input_type, GraphQLList):
        return "[" + plain_literal(input_type.of_type, target, leaf) + "]"
    if isinstance(input_type, GraphQLInputObjectType):
        fields = []
        for name, f in input_type.fields.items():
            if target[:1] == (name,):
                fields.append(f"{name}: {plain_literal(f.type, target[1:], leaf)}")
            elif isinstance(f.type, GraphQLNonNull):
                fields.append(f"{name}: {plain_literal(f.type, (), '')}")
        return "{" + ", ".join(fields) + "}"
    if not target and leaf:
        return leaf
    if isinstance(input_type, GraphQLEnumType):
        return sorted(input_type.values)[0]
    return PLAIN_LITERALS[get_named_type(input_type).name]


def arguments_of_type(schema: GraphQLSchema, names: set[str]) -> list[tuple[str, str, str, str]]:
    """(operation, where, the field called with ``$v`` in place, scalar name) for every argument
    of a type in ``names``, and every such field of an input object an argument takes."""
    found = []
    for operation, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        assert root is not None
        for field_name, field in root.fields.items():
            for path, scalar in scalar_paths(field.args, names):
                target = get_named_type(field.type)
                selection = " { __typename }" if is_object_type(target) else ""
                call = f"{field_name}({call_arguments(field, path)}){selection}"
                found.append((operation, ".".join((field_name, *path)), call, scalar))
    return found


def call_arguments(field: GraphQLField, path: tuple[str, ...]) -> str:
    """The required arguments with plain values, and ``$v`` at ``path``."""
    args = []
    for name, argument in field.args.items():
        if name == path[0]:
            args.append(f"{name}: {plain_literal(argument.type, path[1:], '$v')}")
        elif isinstance(argument.type, GraphQLNonNull):
            args.append(f"{name}: {plain_literal(argument.type, (), '')}")
    return ", ".join(args)


def scalar_paths(
    fields: Any, names: set[str], seen: frozenset[str] = frozenset()
) -> list[tuple[tuple[str, ...], str]]:
    paths: list[tuple[tuple[str, ...], str]] = []
    for name, field in fields.items():
        named = get_named_type(field.type)
        if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            for path, scalar in scalar_paths(named.fields, names, seen | {named.name}):
                paths.append(((name, *path), scalar))
        elif named.name in names:
            paths.append(((name,), named.name))
    return paths


def codes_of(body: dict[str, Any]) -> list[Any]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


def schema_of(api: Api) -> GraphQLSchema:
    return build_client_schema(api.admin.data(get_introspection_query()))  # type: ignore[arg-type]


def test_every_decimal_date_and_datetime_argument_refuses_hostile_values_with_a_code(
    api: Api,
) -> None:
    # given every argument of these types, each used as the variable $v in an otherwise valid call
    calls = arguments_of_type(schema_of(api), set(HOSTILE))
    assert len(calls) > 90
    before = api.registry.store.last_notification_id()

    # when each hostile value is sent to each of them
    wrong = []
    for operation, where, call, scalar in calls:
        document = f"{operation}($v: {scalar}!) {{ {call} }}"
        for value, code in HOSTILE[scalar]:
            response = api.post(document, {"v": value})
            codes = codes_of(response.json())
            if response.status_code != 400 or codes != [code]:
                wrong.append((where, value, response.status_code, response.text[:300]))

    # then each is refused before anything runs, with its code, and nothing is recorded
    assert wrong == []
    assert api.registry.store.last_notification_id() == before


def test_hostile_values_written_into_the_document_are_refused_with_a_code(api: Api) -> None:
    # given, for each type, its first argument and its first one inside an input object
    schema = schema_of(api)
    wrong = []
    for scalar, values in HOSTILE.items():
        calls = arguments_of_type(schema, {scalar})
        nested = [c for c in calls if c[1].count(".") > 1]
        for operation, where, call, _ in [calls[0], *nested[:1]]:
            # when each hostile value is written into the document itself
            for value, code in values:
                literal = json.dumps(value) if isinstance(value, str) else str(value)
                response = api.post(f"{operation} {{ {call.replace('$v', literal)} }}")
                codes = codes_of(response.json())
                if response.status_code != 400 or codes != [code]:
                    wrong.append((where, value, response.status_code, response.text[:300]))

    # then validation refuses it with the same code as the variable
    assert wrong == []


def test_every_integer_argument_takes_the_edges_of_int_without_failing(api: Api) -> None:
    # given every Int argument in an otherwise plain call, with every role's token
    calls = arguments_of_type(schema_of(api), {"Int"})
    clients = [api, api.auditor, api.admin, api.platform]
    assert all(client.token for client in clients)  # issued before counting
    before = api.registry.store.last_notification_id()

    # when the edges of a 32-bit Int are sent to each
    failures = []
    for operation, where, call, _ in calls:
        for value in INT_EDGES:
            for client in clients:
                response = client.post(f"{operation}($v: Int!) {{ {call} }}", {"v": value})
                codes = codes_of(response.json())
                if response.status_code >= 500 or "internal_error" in codes or None in codes:
                    failures.append((where, value, client.role, response.text[:300]))

    # then each answers or is refused with a code, and nothing is recorded
    assert failures == []
    assert api.registry.store.last_notification_id() == before
