# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Permissions, declared next to what they guard, Saleor-style:

- a root field is a ``PermittedField(type, permission=READ_RECORDS.of("village_code"), ...)``;
- a mutation says it in its Meta: ``class Meta: permission = WRITE_RECORDS.of("village_code")``;
  a command on one object takes its subject's: ``permission = ASSET.writes`` (api/mutation.py).

One mechanism enforces both: ``api/auth/middleware.py`` reads the declaration from the schema
(every declaration is copied into its GraphQL field's ``extensions``) before the resolver runs.
A root field or mutation without a declaration is refused to everyone.

``of(path, owner)`` scopes the field for tokens limited to villages: the argument names a
village, a town or a district, or an object whose village is looked up (``owner``); the caller
must hold that village (for a town or district: one of its villages). ``path`` is the
argument's Python name, or a dotted path into an input object (``records.elder_id``: the
``elder_id`` of every item of ``records``). Lists are filtered to the caller's villages by their
queries.

Every argument whose name or type says it names a place or an object of a village carries such a
declaration: tests/unit/test_scope_declarations.py walks the whole schema (input objects too)
and fails on one that does not, but for a short reviewed list of exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import graphene

from domain.access.roles import VILLAGE_SCOPED_ROLES, Role


class Owner(StrEnum):
    """What an argument names, to find the village it belongs to."""

    VILLAGE = "village"  # the argument is a village code (12 digits)
    TOWN = "town"  # a town code (9 digits): the caller must hold one of its villages
    DISTRICT = "district"  # a district code (6 digits): likewise
    # a village, town or district code (12, 9 or 6 digits) of a statement that sums a town or
    # district: a token limited to villages may name only one of its villages
    PLACE = "place"
    ASSET = "asset"
    PARCEL = "parcel"
    MEAL_POINT = "meal_point"
    ELDER = "elder"
    MEAL = "meal"
    MEAL_BATCH = "meal_batch"
    SETTLEMENT = "settlement"
    VOUCHER = "voucher"
    DISCLOSURE = "disclosure"
    AGGREGATE = "aggregate"  # any aggregate of the registry (histories)


# Owners that are places: the digits of their codes. The others are objects looked up by id.
PLACE_DIGITS = {Owner.VILLAGE: 12, Owner.TOWN: 9, Owner.DISTRICT: 6}


@dataclass(frozen=True)
class Scope:
    argument: str  # the argument's Python name, or a dotted path into an input object
    owner: Owner

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.argument.split("."))


@dataclass(frozen=True)
class Permission:
    """Roles that may resolve a field, and how it is scoped to villages."""

    name: str
    roles: frozenset[Role]
    scopes: tuple[Scope, ...] = ()
    unscoped_only: bool = False  # tokens limited to villages may not (district-wide data)
    of_villages: bool = True  # the data belongs to villages: limited tokens see theirs only

    def of(self, path: str, owner: Owner = Owner.VILLAGE) -> Permission:
        return replace(self, scopes=(*self.scopes, Scope(path, owner)))

    def allows_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def reaches_scoped_tokens(self) -> bool:
        """Whether a token limited to villages may resolve the field at all (if not, its
        arguments need no scope: the role check refuses such tokens first)."""
        return not self.unscoped_only and bool(self.roles & VILLAGE_SCOPED_ROLES)


READERS = frozenset({Role.ACCOUNTANT, Role.AUDITOR, Role.PLATFORM})
EVERYONE = frozenset(Role) - {Role.PUBLIC}  # every role a token carries; not the public

# The names and codes of the district, towns and villages are public: the public pages browse
# them to reach a village's published disclosures (docs/disclosure.md).
READ_PLACES = Permission("read_places", frozenset(Role))
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
# The published disclosures (村务公开): anyone, the anonymous public included.
READ_PUBLISHED = Permission("read_published", frozenset(Role), of_villages=False)
# Reopening a closed month of any village's books (docs/rules.md V-10): admins only.
REOPEN_PERIODS = Permission("reopen_periods", frozenset({Role.ADMIN}))

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
    REOPEN_PERIODS,
    READ_PUBLISHED,
)


class PermittedField(graphene.Field):
    """A field that declares who may resolve it: ``permission=`` is required."""

    def __init__(self, type_: Any, *args: Any, permission: Permission, **kwargs: Any) -> None:
        super().__init__(type_, *args, **kwargs)
        self.permission = permission
