# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""No argument can name a place or an object of a village without a scope declaration.

The whole schema is walked: every argument of every field of every type, and inside input
objects (and lists of them) every field, by the names the resolvers receive. An argument whose
name says it is a village, town, district or other place code, or whose type is an ID, must be
scoped in its field's permission (``READ_RECORDS.of("town_code", Owner.TOWN)``), so that the
permission middleware checks it before the resolver runs. The exceptions are fields no token
limited to villages may use at all, and the short list below, each with the reason it was
accepted."""

from __future__ import annotations

import re
from collections.abc import Iterator

import graphene
import pytest
from graphene.utils.str_converters import to_snake_case
from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)

from api.auth.middleware import PERMISSION, attach_permissions
from api.auth.permissions import READ_RECORDS, Owner, Permission, PermittedField
from api.schema import build_schema

PLACE_WORDS = re.compile(r"village|town|district|place|jurisdiction")
# (field, argument path): why it needs no scope. Reviewed; keep it short.
REVIEWED_EXCEPTIONS = {
    ("Query.policyInForce", "place_code"): "policies are public rules of a place, read by every "
    "role for any place (READ_POLICIES is not of villages)",
    ("Mutation.enrolElder", "id_number"): "one enrolment per person across the registry is the "
    "rule itself; its refusal (elder_already_enrolled) names no village, elder or name",
    ("Mutation.recordMeals", "records.id_number"): "checked by the command: an elder of another "
    "village is refused elder_unknown like one never enrolled (a FORBIDDEN would tell that the "
    "person is enrolled elsewhere)",
    ("Mutation.recordMealUploads", "uploads.records.id_number"): "as recordMeals: checked by "
    "the command, an elder of another village refused elder_unknown",
    ("Query.publishedDisclosures", "village_code"): "published disclosures (村务公开) are "
    "public, read by every role and the public for any village (READ_PUBLISHED is not of "
    "villages); drafts are never answered",
    ("Query.publishedDisclosure", "id"): "likewise: null unless the disclosure is published",
}
# What an argument's name says it names, for the owner its declaration must use.
OWNER_WORDS = {
    "meal_point": Owner.MEAL_POINT,
    "meal_batch": Owner.MEAL_BATCH,
    "village": Owner.VILLAGE,
    "town": Owner.TOWN,
    "district": Owner.DISTRICT,
    "asset": Owner.ASSET,
    "parcel": Owner.PARCEL,
    "elder": Owner.ELDER,
    "settlement": Owner.SETTLEMENT,
    "aggregate": Owner.AGGREGATE,
    "meal": Owner.MEAL,
    "voucher": Owner.VOUCHER,
}


def argument_paths(field: GraphQLField) -> Iterator[tuple[str, str]]:
    """(path by Python names, named type) of every argument and nested input field."""
    for name, argument in field.args.items():
        yield from _paths(argument.out_name or name, argument.type, frozenset())


def _paths(
    path: str, input_type: GraphQLInputType, seen: frozenset[str]
) -> Iterator[tuple[str, str]]:
    named = get_named_type(input_type)
    yield path, named.name
    if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        for name, field in named.fields.items():
            yield from _paths(f"{path}.{field.out_name or name}", field.type, seen | {named.name})


def names_a_place_or_an_object(path: str, type_name: str) -> bool:
    leaf = path.rsplit(".", 1)[-1]
    return (
        type_name == "ID"
        or bool(PLACE_WORDS.search(leaf))
        or leaf in ("code", "villages")
        or "id_number" in leaf
    )


def fields(schema: GraphQLSchema) -> Iterator[tuple[str, GraphQLField, Permission | None]]:
    for type_name, gql_type in schema.type_map.items():
        if isinstance(gql_type, GraphQLObjectType) and not type_name.startswith("__"):
            for name, field in gql_type.fields.items():
                found = (field.extensions or {}).get(PERMISSION)
                yield f"{type_name}.{name}", field, found if isinstance(found, Permission) else None


def unscoped(schema: GraphQLSchema) -> dict[tuple[str, str], str]:
    """Every argument that names a place or an object, has no scope declaration, and is
    reachable by a token limited to villages: (field, path) → its type."""
    found: dict[tuple[str, str], str] = {}
    for where, field, permission in fields(schema):
        if permission is not None and not permission.reaches_scoped_tokens:
            continue  # the role check refuses every token limited to villages first
        declared = {s.argument for s in permission.scopes} if permission else set()
        for path, type_name in argument_paths(field):
            if names_a_place_or_an_object(path, type_name) and path not in declared:
                found[(where, path)] = type_name
    return found


def expected_owner(where: str, path: str) -> Owner | None:
    """The owner an argument's name asks for; a bare ``id`` or ``code`` takes its field's."""
    leaf = path.rsplit(".", 1)[-1]
    if leaf in ("id", "code"):
        leaf = to_snake_case(where.split(".", 1)[1])
    return next((owner for word, owner in OWNER_WORDS.items() if word in leaf), None)


def test_every_argument_naming_a_place_or_an_object_of_a_village_is_scoped() -> None:
    missing = unscoped(build_schema().graphql_schema)
    assert sorted(set(missing) - set(REVIEWED_EXCEPTIONS)) == []


def test_every_reviewed_exception_is_still_needed() -> None:
    missing = unscoped(build_schema().graphql_schema)
    assert sorted(set(REVIEWED_EXCEPTIONS) - set(missing)) == []


def test_every_declaration_checks_the_owner_its_argument_names() -> None:
    wrong = [
        f"{where}: {scope.argument} declared {scope.owner.value}"
        for where, _, permission in fields(build_schema().graphql_schema)
        if permission is not None
        for scope in permission.scopes
        if expected_owner(where, scope.argument) not in (scope.owner, None)
        # a statement's villageCode also takes a town or district code to sum (Owner.PLACE)
        and (scope.owner, expected_owner(where, scope.argument)) != (Owner.PLACE, Owner.VILLAGE)
    ]
    assert wrong == []


def test_the_walk_finds_an_argument_nested_in_a_list_of_input_objects() -> None:
    # the shape of recordMeals(records: [MealRecordInput!]!) with an undeclared elderId
    class Record(graphene.InputObjectType):
        elder_id = graphene.ID()

    class Query(graphene.ObjectType):
        upload = PermittedField(
            graphene.Boolean,
            permission=READ_RECORDS,
            records=graphene.List(graphene.NonNull(Record), required=True),
        )

    schema = attach_permissions(graphene.Schema(query=Query))
    assert unscoped(schema.graphql_schema) == {("Query.upload", "records.elder_id"): "ID"}


def test_a_scope_naming_no_argument_stops_the_schema_from_being_built() -> None:
    class Query(graphene.ObjectType):
        asset = PermittedField(
            graphene.Boolean,
            permission=READ_RECORDS.of("records.elder_id", Owner.ELDER),
            records=graphene.List(graphene.String),
        )

    with pytest.raises(ValueError, match=r"records\.elder_id"):
        attach_permissions(graphene.Schema(query=Query))
