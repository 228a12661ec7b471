"""The one place permissions are enforced: a graphql-core middleware that, before any resolver
runs, reads the permission declared on its field (copied into the field's ``extensions`` by
``attach_permissions``) and the caller's token.

- A root field or mutation without a declaration is refused to everyone (deny by default).
- A role the declaration does not name is refused: FORBIDDEN, as a top-level error.
- Every place a declaration scopes (a village, town or district code, wherever it sits in the
  arguments) must be a well-formed code, for every caller: ``village_code_invalid``,
  ``town_code_invalid``, ``district_code_invalid``.
- For a token limited to villages, every scoped value must name one of its villages, a town or
  district holding one, or an object of one of them. An id that names nothing known is refused
  the same way as one of another village, so a refusal never tells what exists outside the
  token's villages (ids of assets, meal points, settlements … are derived from their codes and
  could otherwise be probed); a malformed id goes on to the resolver, which refuses it.
- Any object of a type that belongs to a village (``village_key`` on the graphene type) must be
  one of its villages: a list that failed to filter cannot leak.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from inspect import isawaitable
from typing import Any

import graphene
from graphene.utils.str_converters import to_camel_case
from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    get_named_type,
)

from api.auth.owners import VillageOf, normal_id
from api.auth.permissions import PLACE_DIGITS, Owner, Permission, PermittedField, Scope
from api.auth.principal import Principal
from api.common import context_of
from domain.shared.values import check_code

PERMISSION = "qianwan_permission"  # the key of a field's extensions holding its declaration
FORBIDDEN = "FORBIDDEN"
UNAUTHENTICATED = "UNAUTHENTICATED"


def forbidden(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": FORBIDDEN})


def declared_permission(graphene_field: Any) -> Permission | None:
    """The declaration of a field: ``PermittedField(permission=…)``, or a mutation's
    ``Meta.permission`` (its payload type, which is the mutation class, carries it)."""
    if isinstance(graphene_field, PermittedField):
        return graphene_field.permission
    declared = getattr(getattr(graphene_field, "type", None), "permission", None)
    return declared if isinstance(declared, Permission) else None


def attach_permissions(schema: graphene.Schema) -> graphene.Schema:
    """Copy every declaration into the GraphQL field it belongs to (``extensions``); a scope
    whose path names no argument is a programmer's error, found when the schema is built."""
    for gql_type in schema.graphql_schema.type_map.values():
        graphene_type = getattr(gql_type, "graphene_type", None)
        if not isinstance(gql_type, GraphQLObjectType) or graphene_type is None:
            continue
        for python_name, field in graphene_type._meta.fields.items():
            permission = declared_permission(field)
            gql_field = gql_type.fields.get(field.name or to_camel_case(python_name))
            if permission is not None and gql_field is not None:
                for scope in permission.scopes:
                    if argument_at(gql_field, scope.path) is None:
                        where = f"{gql_type.name}.{python_name}"
                        raise ValueError(f"{where}: the scope {scope.argument!r} is no argument")
                gql_field.extensions = {**(gql_field.extensions or {}), PERMISSION: permission}
    return schema


def argument_at(field: GraphQLField, path: tuple[str, ...]) -> GraphQLInputType | None:
    """The type of the argument (or input object field) a scope's path names, by Python
    names; None when there is none."""
    found: GraphQLInputType | None = None
    fields: Mapping[str, Any] = {a.out_name or n: a for n, a in field.args.items()}
    for name in path:
        if name not in fields:
            return None
        found = fields[name].type
        named = get_named_type(found)
        fields = (
            {f.out_name or n: f for n, f in named.fields.items()}
            if isinstance(named, GraphQLInputObjectType)
            else {}
        )
    return found


def scoped_values(args: Mapping[str, Any], path: tuple[str, ...]) -> list[Any]:
    """Every value at ``path`` in the arguments, lists walked item by item; nulls left out."""
    found: list[Any] = [args]
    for name in path:
        found = [
            item
            for value in found
            if isinstance(value, Mapping)
            for item in flattened(value.get(name))
        ]
    return found


def flattened(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in flattened(part)]
    return [value]


def permission_of(info: GraphQLResolveInfo) -> Permission | None:
    field = info.parent_type.fields.get(info.field_name)  # None: __schema, __type
    found = (field.extensions or {}).get(PERMISSION) if field is not None else None
    return found if isinstance(found, Permission) else None


def village_keys(schema: graphene.Schema) -> dict[str, str]:
    """GraphQL type name → the key of its objects holding their village code."""
    found: dict[str, str] = {}
    for name, gql_type in schema.graphql_schema.type_map.items():
        key = getattr(getattr(gql_type, "graphene_type", None), "village_key", None)
        if isinstance(key, str):
            found[name] = key
    return found


def village_of_object(value: Any, key: str) -> str | None:
    found = value.get(key) if isinstance(value, Mapping) else getattr(value, key, None)
    return found if isinstance(found, str) else None


class PermissionMiddleware:
    """graphql-core middleware: ``execute(..., middleware=[PermissionMiddleware(schema)])``."""

    def __init__(self, schema: graphene.Schema) -> None:
        graphql_schema = schema.graphql_schema
        self.roots = frozenset(
            t.name
            for t in (
                graphql_schema.query_type,
                graphql_schema.mutation_type,
                graphql_schema.subscription_type,
            )
            if t
        )
        self.village_keys = village_keys(schema)

    def resolve(
        self, next_: Callable[..., Any], root: Any, info: GraphQLResolveInfo, **args: Any
    ) -> Any:
        try:
            return self.checked(next_, root, info, args)
        except Exception as error:
            # Raised later, not now: graphql-core abandons the sibling fields it started
            # (coroutines never awaited) when a non-null field fails synchronously.
            return failed(error)

    def checked(
        self, next_: Callable[..., Any], root: Any, info: GraphQLResolveInfo, args: dict[str, Any]
    ) -> Any:
        principal = context_of(info).principal
        if principal is None:
            raise GraphQLError("sign in with an API token", extensions={"code": UNAUTHENTICATED})
        key = self.village_keys.get(info.parent_type.name)
        if (
            key is not None
            and principal.scoped
            and not principal.sees_village(village_of_object(root, key))
        ):
            where = f"{info.parent_type.name}.{info.field_name}"
            raise forbidden(f"{where}: this object belongs to a village outside the token's")
        permission = permission_of(info)
        if permission is None:
            if info.parent_type.name in self.roots and not info.field_name.startswith("__"):
                raise forbidden(f"{info.field_name} declares no permission: refused to everyone")
            return next_(root, info, **args)
        check_role(permission, principal, info.field_name)
        objects: list[tuple[Scope, list[Any]]] = []
        for scope in permission.scopes:
            values = scoped_values(args, scope.path)
            if scope.owner in PLACE_DIGITS or scope.owner is Owner.PLACE:
                check_places(scope, values, principal, info.field_name)
            elif values and principal.scoped:
                objects.append((scope, values))
        if not objects:
            return next_(root, info, **args)
        return self.scoped(next_, root, info, args, objects, principal)

    async def scoped(
        self,
        next_: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo,
        args: dict[str, Any],
        objects: list[tuple[Scope, list[Any]]],
        principal: Principal,
    ) -> Any:
        owners = context_of(info).loader(VillageOf)
        for scope, values in objects:
            ids = [v for v in values if normal_id(v) is not None]  # the resolver refuses others
            villages = await owners.load_many([(scope.owner, v) for v in ids])
            if not all(principal.sees_village(v) for v in villages):
                raise outside(info.field_name, scope, "names nothing in the token's villages")
        result = next_(root, info, **args)
        return await result if isawaitable(result) else result


async def failed(error: Exception) -> Any:
    raise error


def check_places(scope: Scope, values: list[Any], principal: Principal, field_name: str) -> None:
    """Each value a well-formed code of its kind (for every caller), and for a token limited
    to villages one of its villages, or a town or district holding one."""
    for value in values:
        digits = PLACE_DIGITS.get(scope.owner, 12)
        if scope.owner is Owner.PLACE and isinstance(value, str) and len(value.strip()) in (6, 9):
            digits = len(value.strip())
            if principal.villages is not None:
                raise outside(field_name, scope, "sums villages outside the token's")
        code = check_code(value, digits, scope.owner.value, field=scope.argument)
        if not principal.sees_place(code, digits):
            raise outside(field_name, scope, f"is not one of the token's {scope.owner.value}s")


def outside(field_name: str, scope: Scope, what: str) -> GraphQLError:
    name = ".".join(to_camel_case(part) for part in scope.path)
    return forbidden(f"{field_name}: `{name}` {what}")


def check_role(permission: Permission, principal: Principal, field_name: str) -> None:
    if not permission.allows_role(principal.role):
        raise forbidden(
            f"{field_name} needs the permission {permission.name}, which a "
            f"{principal.role.value} token does not have"
        )
    if permission.unscoped_only and principal.scoped:
        raise forbidden(f"{field_name} is for tokens not limited to villages")
