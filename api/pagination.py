# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Relay connections for every list that can grow: ``edges { cursor node }``, ``pageInfo`` and
``totalCount``, a page at a time (``first``, at most MAX_PAGE_SIZE; ``after``, a cursor).

Pages are keyset pages in a stable order (``Order``: columns whose last one is unique), so a row
recorded meanwhile never shifts a page. A cursor is opaque to clients: the order's tag and the
row's values of the order's columns, as base64url JSON. Root lists page with ``fetch_page`` (two
statements: the count and the page); nested lists with a ``PageLoader``, which pages the lists of
a whole batch of parents in one windowed statement.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import graphene
from graphql import GraphQLResolveInfo
from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    and_,
    func,
    or_,
    select,
    true,
)

from api.auth.permissions import Permission, PermittedField
from api.common import RegistryLoader, Row, context_of, rows
from domain.shared.errors import DomainError

MAX_PAGE_SIZE = 100  # `first` may not ask for more
DEFAULT_PAGE_SIZE = 20  # when `first` is not given
MAX_CURSOR_CHARS = 1000

View = Callable[[Row], Any]


class PageSizeOutOfRange(DomainError):
    """`first` is 0 to 100 (MAX_PAGE_SIZE); 0 gives only the totalCount."""

    code = "page_size_out_of_range"


class CursorNotRecognized(DomainError):
    """`after` must be a cursor this list returned (an endCursor or an edge's cursor)."""

    code = "cursor_not_recognized"


# -- the GraphQL side -------------------------------------------------------------------------


def connection_type(node: type, description: str | None = None) -> type[graphene.relay.Connection]:
    """``<Node>Connection`` with ``edges``, ``pageInfo`` and ``totalCount``."""
    meta = type("Meta", (), {"node": node, "description": description})
    total = graphene.Int(required=True, description="Items matching, on every page.")
    connection: type[graphene.relay.Connection] = type(
        f"{node.__name__}Connection",
        (graphene.relay.Connection,),
        {"Meta": meta, "total_count": total},
    )
    return connection


def connection_field(
    connection: Any, description: str, *, permission: Permission | None = None, **filters: Any
) -> graphene.Field:
    """A list as a connection: ``first``, ``after`` and the given filters. A root field, or a
    relation into another permission's data, declares its ``permission``; a relation inside the
    same data needs none (its parent's declaration applied already)."""
    arguments = {
        "description": f"{description} A page at a time: `first` 0 to {MAX_PAGE_SIZE} "
        f"(default {DEFAULT_PAGE_SIZE}), `after` a cursor.",
        "first": graphene.Int(description=f"0 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})."),
        "after": graphene.String(description="The endCursor of the previous page."),
        **filters,
    }
    if permission is None:
        return graphene.Field(graphene.NonNull(connection), **arguments)
    return PermittedField(graphene.NonNull(connection), permission=permission, **arguments)


@dataclass(frozen=True)
class PageRequest:
    first: int
    after: str | None


def page_request(first: int | None, after: str | None) -> PageRequest:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise PageSizeOutOfRange(f"first must be 0 to {MAX_PAGE_SIZE}, got {size}", field="first")
    if after is not None and len(after) > MAX_CURSOR_CHARS:
        raise CursorNotRecognized("after is not a cursor of this list", field="after")
    return PageRequest(size, after)


def scope_of(info: GraphQLResolveInfo) -> frozenset[str] | None:
    """The villages the caller is limited to (None: all of them)."""
    principal = context_of(info).principal
    return None if principal is None else principal.villages


# -- orders and cursors -----------------------------------------------------------------------


@dataclass(frozen=True)
class Order:
    """A stable order over a table's columns; the last column (or the set) must be unique.
    ``descending`` names the columns sorted newest first."""

    tag: str
    columns: tuple[str, ...]
    descending: frozenset[str] = frozenset()

    def clauses(self, c: Any) -> list[Any]:
        return [c[n].desc() if n in self.descending else c[n] for n in self.columns]

    def cursor(self, row: Row) -> str:
        values = [_plain(row[n]) for n in self.columns]
        text = json.dumps([self.tag, *values], ensure_ascii=False, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")

    def position(self, cursor: str, c: Any) -> list[Any]:
        """The values a cursor holds, as the columns' Python types; refused unless it is a
        cursor of this order."""
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            found = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
            if not isinstance(found, list) or found[:1] != [self.tag]:
                raise ValueError(cursor)
            values = found[1:]
            if len(values) != len(self.columns):
                raise ValueError(cursor)
            return [_typed(c[n], v) for n, v in zip(self.columns, values, strict=True)]
        except (ValueError, TypeError, binascii.Error, UnicodeError):
            raise CursorNotRecognized("after is not a cursor of this list", field="after") from None

    def after(self, c: Any, values: Sequence[Any]) -> ColumnElement[bool]:
        """Rows strictly after ``values`` in this order (row values spelt out: SQLite and
        PostgreSQL both take it)."""
        alternatives = []
        for i, name in enumerate(self.columns):
            column = c[name]
            beyond = column < values[i] if name in self.descending else column > values[i]
            equal = [c[n] == values[j] for j, n in enumerate(self.columns[:i])]
            alternatives.append(and_(*equal, beyond))
        return or_(*alternatives)


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _typed(column: Any, value: Any) -> Any:
    python_type = column.type.python_type
    if python_type is bool:
        if not isinstance(value, bool):
            raise TypeError(value)
        return value
    if python_type is datetime:
        return datetime.fromisoformat(str(value))
    if python_type is date:
        return date.fromisoformat(str(value))
    if python_type is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(value)
        return value
    if python_type is str:
        if not isinstance(value, str):
            raise TypeError(value)
        return value
    raise TypeError(python_type)


# -- pages --------------------------------------------------------------------------------------


def connection(edges: list[tuple[str, Any]], total: int, has_next: bool, has_previous: bool) -> Row:
    """The value a Connection type resolves from."""
    return {
        "edges": [{"cursor": cursor, "node": node} for cursor, node in edges],
        "page_info": {
            "has_next_page": has_next,
            "has_previous_page": has_previous,
            "start_cursor": edges[0][0] if edges else None,
            "end_cursor": edges[-1][0] if edges else None,
        },
        "total_count": total,
    }


def fetch_page(
    conn: Connection,
    table: FromClause,
    where: Sequence[ColumnElement[bool]],
    order: Order,
    request: PageRequest,
    view: View,
    views: Callable[[list[Row]], list[Any]] | None = None,
) -> Row:
    """One page of ``table``'s rows matching ``where``: a count and one select. ``views``, when
    given, turns the page's rows into nodes at once (e.g. one key look-up for a page of elders);
    else ``view`` turns each."""
    total = int(conn.scalar(select(func.count()).select_from(table).where(*where)) or 0)
    conditions = list(where)
    if request.after is not None:
        conditions.append(order.after(table.c, order.position(request.after, table.c)))
    if request.first == 0:
        return connection([], total, has_next=total > 0, has_previous=request.after is not None)
    query = (
        select(table).where(*conditions).order_by(*order.clauses(table.c)).limit(request.first + 1)
    )
    found = rows(conn, query)
    page = found[: request.first]
    nodes = views(page) if views is not None else [view(r) for r in page]
    edges = [(order.cursor(r), node) for r, node in zip(page, nodes, strict=True)]
    return connection(edges, total, len(found) > request.first, request.after is not None)


def in_memory_page(items: Sequence[Any], tag: str, request: PageRequest, view: View) -> Row:
    """A page of a list computed in memory in a deterministic order (e.g. the findings of a
    range of days): the cursor is the item's position in that order."""
    start = 0
    if request.after is not None:
        try:
            padded = request.after + "=" * (-len(request.after) % 4)
            found = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
            if not (isinstance(found, list) and len(found) == 2 and found[0] == tag):
                raise ValueError(request.after)
            position = found[1]
            if not isinstance(position, int) or isinstance(position, bool) or position < 0:
                raise ValueError(request.after)
            start = position + 1
        except (ValueError, TypeError, binascii.Error, UnicodeError):
            raise CursorNotRecognized("after is not a cursor of this list", field="after") from None
    chosen = list(enumerate(items))[start : start + request.first]
    edges = [(_position_cursor(tag, n), view(item)) for n, item in chosen]
    has_next = start + request.first < len(items)
    return connection(edges, len(items), has_next, request.after is not None)


def _position_cursor(tag: str, position: int) -> str:
    text = json.dumps([tag, position], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def pages_per_parent(
    conn: Connection,
    table: FromClause,
    parent: str,
    parents: Sequence[Any],
    where: Sequence[ColumnElement[bool]],
    order: Order,
    request: PageRequest,
    view: View,
) -> dict[Any, Row]:
    """A page of each parent's rows, for a batch of parents in ONE statement: the count per
    parent and the row numbers are window functions over the rows of all of them."""
    c = table.c
    if request.first == 0:
        counts = count_per_parent(conn, table, parent, parents, where, {})
        return {
            p: connection([], counts.get(p, 0), counts.get(p, 0) > 0, request.after is not None)
            for p in parents
        }
    counted = (
        select(table, func.count().over(partition_by=c[parent]).label("qw_total"))
        .where(c[parent].in_(parents), *where)
        .subquery()
    )
    after = (
        order.after(counted.c, order.position(request.after, c))
        if request.after is not None
        else true()
    )
    number = func.row_number().over(
        partition_by=counted.c[parent], order_by=order.clauses(counted.c)
    )
    ranked = select(counted, number.label("qw_rn")).where(after).subquery()
    query = (
        select(ranked)
        .where(ranked.c.qw_rn <= request.first + 1)
        .order_by(ranked.c[parent], ranked.c.qw_rn)
    )
    grouped: dict[Any, list[Row]] = {p: [] for p in parents}
    totals: dict[Any, int] = {}
    for row in rows(conn, query):
        grouped[row[parent]].append(row)
        totals[row[parent]] = int(row["qw_total"])
    if request.after is not None:  # a parent with no row past the cursor: count it apart
        totals.update(count_per_parent(conn, table, parent, parents, where, totals))
    result: dict[Any, Row] = {}
    for p in parents:
        found = grouped[p]
        edges = [(order.cursor(r), view(r)) for r in found[: request.first]]
        total = totals.get(p, 0)
        result[p] = connection(edges, total, len(found) > request.first, request.after is not None)
    return result


def count_per_parent(
    conn: Connection,
    table: FromClause,
    parent: str,
    parents: Sequence[Any],
    where: Sequence[ColumnElement[bool]],
    known: dict[Any, int],
) -> dict[Any, int]:
    """Counts of the parents the page left without one (first: 0, or all past the cursor)."""
    missing = [p for p in parents if p not in known]
    if not missing:
        return {}
    c = table.c
    query = (
        select(c[parent], func.count()).where(c[parent].in_(missing), *where).group_by(c[parent])
    )
    return {p: int(n) for p, n in conn.execute(query)}


class PageLoader(RegistryLoader):
    """A DataLoader of pages: keys are ``(parent, PageRequest, villages)``; parents that ask
    for the same page and scope share one statement. Subclasses implement ``pages``."""

    def load_batch(self, conn: Connection, keys: list[Any]) -> list[Any]:
        groups: dict[tuple[PageRequest, frozenset[str] | None], list[Any]] = {}
        for parent, request, villages in keys:
            groups.setdefault((request, villages), []).append(parent)
        found: dict[tuple[Any, PageRequest, frozenset[str] | None], Row] = {}
        for (request, villages), parents in groups.items():
            unique = list(dict.fromkeys(parents))
            for parent, page in self.pages(conn, unique, request, villages).items():
                found[(parent, request, villages)] = page
        return [found[tuple(k)] for k in keys]

    def pages(
        self,
        conn: Connection,
        parents: list[Any],
        request: PageRequest,
        villages: frozenset[str] | None,
    ) -> dict[Any, Row]:
        raise NotImplementedError


def load_page(
    info: GraphQLResolveInfo,
    loader: type[PageLoader],
    parent: Any,
    first: int | None,
    after: str | None,
) -> Awaitable[Any]:
    """The page of ``parent``'s list the field asks for, through the request's loader."""
    request = page_request(first, after)
    key = (parent, request, scope_of(info))
    return context_of(info).loader(loader).load(key)  # type: ignore[no-any-return]


# -- scope: the villages a token is limited to ------------------------------------------------


def in_villages(column: Any, villages: frozenset[str] | None) -> list[ColumnElement[bool]]:
    """The condition keeping rows of the caller's villages (none when it is not limited)."""
    return [] if villages is None else [column.in_(sorted(villages))]


def in_towns_of(column: Any, villages: frozenset[str] | None) -> list[ColumnElement[bool]]:
    """The condition keeping the towns of the caller's villages."""
    return [] if villages is None else [column.in_(sorted({v[:9] for v in villages}))]


def equal_to(**filters: tuple[Any, Any]) -> list[ColumnElement[bool]]:
    """``column == value`` for every filter given (value not None)."""
    return [column == value for column, value in filters.values() if value is not None]
