# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""What every context of the API shares: the request context with its DataLoaders, the error
type of mutation payloads, the JSON scalar, and the small conversions between GraphQL and domain.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

import graphene
from graphene.utils.dataloader import DataLoader
from graphql import GraphQLResolveInfo, ValueNode
from graphql.utilities import value_from_ast_untyped
from sqlalchemy import Column, Connection, Select, Table, func, select

from api.answers import AnswerCache
from api.auth.principal import Principal
from domain.shared import idempotency
from domain.shared.errors import DomainError, InvalidInput
from domain.shared.eventstore import READ_MODELS_BEHIND
from domain.shared.history import to_json_value
from domain.shared.values import Provenance, from_fen
from qianwan.bootstrap import Registry

MAX_LIST = 500  # rows in any list the API returns (per parent for nested lists)
MAX_BATCH_KEYS = 500  # keys per DataLoader batch: one SQL statement's IN list at most
# The projections keep actor and authority in columns of these widths (projections/ledger).
MAX_ACTOR_CHARS = 200
MAX_AUTHORITY_CHARS = 300
ANONYMOUS_ACTOR = "graphql:anonymous"

log = logging.getLogger("qianwan.api")

Row = dict[str, Any]  # one object as the resolvers see it: keys are the fields' Python names
L = TypeVar("L", bound="RegistryLoader")
T = TypeVar("T")


# -- the request context ------------------------------------------------------------------------


class RegistryLoader(DataLoader):
    """A per-request DataLoader reading the projections: one SQL statement per batch of keys.

    Subclasses implement ``load_batch``, which must return exactly one result per key, in the
    keys' order (an empty list or None where a key has nothing)."""

    max_batch_size = MAX_BATCH_KEYS

    def __init__(self, registry: Registry) -> None:
        super().__init__(loop=asyncio.get_running_loop())
        self.registry = registry
        # the request's connection (RequestContext.reading), or one of its own per batch
        self.connect: Callable[[], AbstractContextManager[Connection]] = registry.engine.connect

    async def batch_load_fn(self, keys: Sequence[Any]) -> list[Any]:
        # Synchronous on purpose: the whole request runs on a worker thread's own event loop.
        with self.connect() as conn:
            results = self.load_batch(conn, list(keys))
        assert len(results) == len(keys), f"{type(self).__name__}: one result per key"
        return results

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        raise NotImplementedError


@dataclass
class RequestContext:
    """``info.context`` of every resolver: the registry, who is asking, and the loaders.
    ``principal``: the caller's API token (api/auth); ``personal_data_reads``: (elder id, field)
    returned in clear, recorded once the request has run (api/auth/personal.py); ``answers``:
    the process's answers kept by the projections' positions (api/answers.py), if any."""

    registry: Registry
    actor: str = ANONYMOUS_ACTOR
    loaders: dict[type[RegistryLoader], RegistryLoader] = field(default_factory=dict)
    principal: Principal | None = None
    personal_data_reads: set[tuple[str, str]] = field(default_factory=set)
    answers: AnswerCache | None = None  # answers kept by the projections' positions
    _holding: bool = field(default=False, repr=False)
    _held: Connection | None = field(default=None, repr=False)

    def loader(self, cls: type[L]) -> L:
        """The request's one loader of this class, created on first use."""
        found = self.loaders.get(cls)
        if found is None:
            found = self.loaders[cls] = cls(self.registry)
            found.connect = self.reading
        assert isinstance(found, cls)
        return found

    @contextmanager
    def holding_connection(self) -> Iterator[None]:
        """Within: every read of the request goes over one connection, taken at the first
        read and given back at the end. It is in autocommit: each statement reads what is
        committed when it runs, as in a transaction at READ COMMITTED, without the BEGIN and
        the ROLLBACK (two round trips to PostgreSQL per read otherwise), and a command of the
        request never waits behind a snapshot it holds."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
            self._release()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for one read: the request's own when it holds one."""
        if not self._holding:
            with self.registry.engine.connect() as conn:
                yield conn
            return
        if self._held is None:
            conn = self.registry.engine.connect()
            self._held = conn.execution_options(isolation_level="AUTOCOMMIT")
        try:
            yield self._held
        except BaseException:
            self._release()  # a broken connection is not reused; the next read takes another
            raise

    def _release(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.close()

    def forget_loaded(self) -> None:
        """After a command: later fields of the same request must not see cached rows."""
        self.loaders.clear()

    def after_command(self) -> None:
        """After a command, before its answer is read from the projections. A command that
        recorded events has them folded already (read-your-writes). One that recorded nothing
        answered from facts recorded before it: perhaps a moment ago, by a request still on its
        way from its save to its fold (an identical create sent twice at once). So it waits,
        as a save does, until the projections show the log as it stands now."""
        self.forget_loaded()
        command = idempotency.armed()
        if command is None or command.saves == 0:
            registry = self.registry
            try:
                registry.await_projections(registry.store.last_notification_id())
            except Exception:  # the answer may be behind; the facts are as recorded
                log.exception("the read models could not catch up before answering")
                registry.store.note(READ_MODELS_BEHIND)

    def provenance(self, authority: str | None) -> Provenance:
        if len(self.actor) > MAX_ACTOR_CHARS:
            raise InvalidInput(
                f"the actor is longer than {MAX_ACTOR_CHARS} characters", field="actor"
            )
        authority = (authority or "").strip() or None
        if authority is not None and len(authority) > MAX_AUTHORITY_CHARS:
            raise InvalidInput(
                f"authority is longer than {MAX_AUTHORITY_CHARS} characters", field="authority"
            )
        return Provenance(self.actor, authority)


def context_of(info: GraphQLResolveInfo) -> RequestContext:
    context = info.context
    assert isinstance(context, RequestContext)
    return context


def load(info: GraphQLResolveInfo, cls: type[RegistryLoader], key: Any) -> Awaitable[Any]:
    return context_of(info).loader(cls).load(key)  # type: ignore[no-any-return]


def related(cls: type[RegistryLoader], key: str) -> Any:
    """The resolver of a field holding the object a row names in ``key``, read by the loader
    ``cls`` (one batch per request), e.g. ``resolve_village = related(VillageByCode,
    "village_code")``."""

    def resolve(root: Row, info: GraphQLResolveInfo) -> Awaitable[Any]:
        return load(info, cls, root[key])

    return staticmethod(resolve)


def rows(conn: Connection, query: Select[Any]) -> list[Row]:
    return [dict(r) for r in conn.execute(query).mappings()]


class Mapped:
    """A row the API read (a dict) in the shape the projections' record builders read: a
    SQLAlchemy row's ``_mapping`` (``projections.land.queries.to_record``, ``to_token``)."""

    def __init__(self, mapping: Row) -> None:
        self._mapping = mapping


def one_per_key(conn: Connection, table: Table, column: Column[Any], keys: list[Any]) -> list[Any]:
    """The row whose ``column`` equals each key, or None, aligned with ``keys``."""
    found = {r[column.name]: r for r in rows(conn, select(table).where(column.in_(keys)))}
    return [found.get(k) for k in keys]


def children_per_key(
    conn: Connection, table: Table, parent: Column[Any], keys: list[Any], order_by: Sequence[str]
) -> list[Any]:
    """The rows whose ``parent`` equals each key (at most MAX_LIST each, in ``order_by`` order),
    aligned with ``keys``: one statement for the whole batch."""
    number = func.row_number().over(partition_by=parent, order_by=[table.c[n] for n in order_by])
    ranked = select(table, number.label("rn")).where(parent.in_(keys)).subquery()
    query = (
        select(*(ranked.c[c.name] for c in table.columns))
        .where(ranked.c.rn <= MAX_LIST)
        .order_by(*(ranked.c[n] for n in order_by))
    )
    grouped: dict[Any, list[Row]] = {k: [] for k in keys}
    for row in rows(conn, query):
        grouped[row[parent.name]].append(row)
    return [grouped[k] for k in keys]


def read(info: GraphQLResolveInfo, query: Callable[[Connection], T]) -> T:
    """Run one read on the projections (root fields that are not relations)."""
    with context_of(info).reading() as conn:
        return query(conn)


# -- errors in mutation payloads ----------------------------------------------------------------


class FieldError(graphene.ObjectType):
    """Why a mutation was refused. Nothing was recorded when a payload carries errors."""

    code = graphene.String(
        required=True,
        description="Stable machine-readable code, e.g. `lease_term_exceeds_20_years`.",
    )
    field = graphene.String(
        description="The argument at fault as a path (e.g. `resolution.votesFor`), if known."
    )
    message = graphene.String(required=True, description="Explanation for people.")


_YUAN_SUFFIX = re.compile(r"_yuan\b")


def without_unit(name: str) -> str:
    """A name as the schema writes it: money is named without its unit, which is always yuan
    (the argument ``amount`` is ``amount_yuan`` from its resolver on, as in the domain)."""
    return _YUAN_SUFFIX.sub("", name)


def graphql_path(domain_field: str | None) -> str | None:
    """``resolution.votes_for`` → ``resolution.votesFor``; ``amount_yuan`` → ``amount``."""
    if domain_field is None:
        return None
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), without_unit(domain_field))


def field_error(error: DomainError) -> Row:
    return {"code": error.code, "field": graphql_path(error.field), "message": error.message}


def attempt(command: Callable[[], T]) -> tuple[T | None, list[Row]]:
    """Run a command; a domain refusal becomes the payload's ``errors`` (nothing recorded)."""
    try:
        return command(), []
    except DomainError as error:
        return None, [field_error(error)]


# -- scalars and conversions --------------------------------------------------------------------


class JSON(graphene.Scalar):
    """Any JSON value (object, array, string, number, boolean, null). Money inside is a string
    of yuan, dates are ISO 8601 strings."""

    @staticmethod
    def serialize(value: Any) -> Any:
        return to_json_value(value)

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @staticmethod
    def parse_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> Any:
        return value_from_ast_untyped(node, variables)


def parse_id(value: str, field_name: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        message = f"{field_name} must be an id (a UUID), got {value!r}"
        raise InvalidInput(message, field=field_name) from None


def yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else from_fen(int(fen))


def in_yuan(row: Row) -> Row:
    """A read model's row with its money in yuan: each ``<name>_fen`` column becomes
    ``<name>_yuan``, the name the domain and its events use (the schema says ``<name>``)."""
    return {
        (k[:-4] + "_yuan" if k.endswith("_fen") else k): (yuan(v) if k.endswith("_fen") else v)
        for k, v in row.items()
    }


def utc(moment: datetime) -> datetime:
    """SQLite hands back the stored UTC times without their zone; PostgreSQL keeps it."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
