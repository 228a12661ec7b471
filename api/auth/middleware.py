"""The one place permissions are enforced: a graphql-core middleware that, before any resolver
runs, reads the permission declared on its field (copied into the field's ``extensions`` by
``attach_permissions``) and the caller's token.

- A root field or mutation without a declaration is refused to everyone (deny by default).
- A role the declaration does not name is refused: FORBIDDEN, as a top-level error.
- For a token limited to villages, every scoped argument must name one of its villages (or an
  object of one); and any object of a type that belongs to a village (``village_key`` on the
  graphene type) must be one of its villages: a list that failed to filter cannot leak.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from inspect import isawaitable
from typing import Any

import graphene
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError, GraphQLObjectType, GraphQLResolveInfo

from api.auth.owners import VillageOf
from api.auth.permissions import Owner, Permission, PermittedField, Scope
from api.auth.principal import Principal
from api.common import context_of

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
    """Copy every declaration into the GraphQL field it belongs to (``extensions``)."""
    for gql_type in schema.graphql_schema.type_map.values():
        graphene_type = getattr(gql_type, "graphene_type", None)
        if not isinstance(gql_type, GraphQLObjectType) or graphene_type is None:
            continue
        for python_name, field in graphene_type._meta.fields.items():
            permission = declared_permission(field)
            gql_field = gql_type.fields.get(field.name or to_camel_case(python_name))
            if permission is not None and gql_field is not None:
                gql_field.extensions = {**(gql_field.extensions or {}), PERMISSION: permission}
    return schema


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
            t.name for t in (graphql_schema.query_type, graphql_schema.mutation_type) if t
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
        scopes = [s for s in permission.scopes if args.get(s.argument) is not None]
        if not scopes or not principal.scoped:
            return next_(root, info, **args)
        return self.scoped(next_, root, info, args, scopes, principal)

    async def scoped(
        self,
        next_: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo,
        args: dict[str, Any],
        scopes: list[Scope],
        principal: Principal,
    ) -> Any:
        for scope in scopes:
            value = args[scope.argument]
            if scope.owner is Owner.VILLAGE:
                village: str | None = str(value)
            else:
                owners = context_of(info).loader(VillageOf)
                village = await owners.load((scope.owner, value))
                if village is None and scope.owner is not Owner.AGGREGATE:
                    continue  # nothing has that id: the resolver says so
            if not principal.sees_village(village):
                name = to_camel_case(scope.argument)
                raise forbidden(f"{info.field_name}: `{name}` is outside the token's villages")
        result = next_(root, info, **args)
        return await result if isawaitable(result) else result


async def failed(error: Exception) -> Any:
    raise error


def check_role(permission: Permission, principal: Principal, field_name: str) -> None:
    if not permission.allows_role(principal.role):
        raise forbidden(
            f"{field_name} needs the permission {permission.name}, which a "
            f"{principal.role.value} token does not have"
        )
    if permission.unscoped_only and principal.scoped:
        raise forbidden(f"{field_name} is for tokens not limited to villages")
