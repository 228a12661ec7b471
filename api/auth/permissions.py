# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Permissions, declared next to what they guard, Saleor-style:

- a root field is a ``PermittedField(type, permission=READ_RECORDS.of("village_code"), ...)``;
- a mutation says it in its Meta: ``class Meta: permission = WRITE_RECORDS.of("asset_id", ASSET)``.

One mechanism enforces both: ``api/auth/middleware.py`` reads the declaration from the schema
(every declaration is copied into its GraphQL field's ``extensions``) before the resolver runs.
A root field or mutation without a declaration is refused to everyone.

``of(argument, owner)`` scopes the field for tokens limited to villages: the argument (its
Python name) names a village, or an object whose village is looked up (``owner``); the caller
must hold that village. Lists are filtered to the caller's villages by their queries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import graphene

from domain.access.roles import Role


class Owner(StrEnum):
    """What an argument names, to find the village it belongs to."""

    VILLAGE = "village"  # the argument is a village code
    ASSET = "asset"
    PARCEL = "parcel"
    MEAL_POINT = "meal_point"
    ELDER = "elder"
    MEAL = "meal"
    MEAL_BATCH = "meal_batch"
    SETTLEMENT = "settlement"
    AGGREGATE = "aggregate"  # any aggregate of the registry (histories)


@dataclass(frozen=True)
class Scope:
    argument: str  # the argument's Python name, as the resolver receives it
    owner: Owner


@dataclass(frozen=True)
class Permission:
    """Roles that may resolve a field, and how it is scoped to villages."""

    name: str
    roles: frozenset[Role]
    scopes: tuple[Scope, ...] = ()
    unscoped_only: bool = False  # tokens limited to villages may not (district-wide data)
    of_villages: bool = True  # the data belongs to villages: limited tokens see theirs only

    def of(self, argument: str, owner: Owner = Owner.VILLAGE) -> Permission:
        return replace(self, scopes=(*self.scopes, Scope(argument, owner)))

    def allows_role(self, role: Role) -> bool:
        return role in self.roles


READERS = frozenset({Role.ACCOUNTANT, Role.AUDITOR, Role.PLATFORM})
EVERYONE = frozenset(Role)

READ_PLACES = Permission("read_places", EVERYONE)
READ_POLICIES = Permission("read_policies", EVERYONE, of_villages=False)
READ_RECORDS = Permission("read_records", READERS)
READ_DISTRICT_VIEWS = Permission(
    "read_district_views", frozenset({Role.AUDITOR, Role.PLATFORM}), unscoped_only=True
)
READ_HISTORY = Permission("read_history", frozenset({Role.AUDITOR}))
READ_PROOFS = Permission("read_proofs", frozenset({Role.AUDITOR}), unscoped_only=True)
READ_ACCESS_LOG = Permission("read_access_log", frozenset({Role.AUDITOR}), unscoped_only=True)
WRITE_RECORDS = Permission("write_records", frozenset({Role.ACCOUNTANT}))
WRITE_POLICIES = Permission("write_policies", frozenset({Role.ADMIN}), of_villages=False)
MANAGE_TOKENS = Permission("manage_tokens", frozenset({Role.ADMIN}), of_villages=False)

ALL_PERMISSIONS = (
    READ_PLACES,
    READ_POLICIES,
    READ_RECORDS,
    READ_DISTRICT_VIEWS,
    READ_HISTORY,
    READ_PROOFS,
    READ_ACCESS_LOG,
    WRITE_RECORDS,
    WRITE_POLICIES,
    MANAGE_TOKENS,
)


class PermittedField(graphene.Field):
    """A field that declares who may resolve it: ``permission=`` is required."""

    def __init__(self, type_: Any, *args: Any, permission: Permission, **kwargs: Any) -> None:
        super().__init__(type_, *args, **kwargs)
        self.permission = permission
