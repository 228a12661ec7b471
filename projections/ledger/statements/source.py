"""Where the statements read: the month balances the ledger projection keeps, summed over the
villages of a place (docs/statements.md, "Where the figures come from").

The tables are named here as the ledger projection defines them (contract of issue 13:
ledger_balances, ledger_sub_balances); the statements only read them, never sum journal lines
for a whole period, so a statement costs O(accounts × months) whatever the log's length.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from domain.ledger.statement_errors import PlaceCodeInvalid, StatementPeriodInvalid
from domain.shared.errors import VillageNotRegistered
from projections.ledger.tables import balances, sub_balances
from projections.places import districts, towns, villages

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
BEGINNING = "0000-00"  # before every month: an opening balance sums the months before one


@dataclass(frozen=True)
class Movement:
    """Debits and credits of one account, in fen."""

    debit_fen: int = 0
    credit_fen: int = 0

    @property
    def net_fen(self) -> int:
        """Debit minus credit."""
        return self.debit_fen - self.credit_fen


ZERO = Movement()


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def checked_month(text: str, field: str = "month") -> str:
    """A 'YYYY-MM' month, or ``statement_period_invalid``."""
    if not MONTH.match(text):
        raise StatementPeriodInvalid(f"{text!r} is not a month written YYYY-MM", field=field)
    return text


def village_filter(column: ColumnElement[str], place: str) -> ColumnElement[bool]:
    """``column`` holds a village of ``place``: the village itself (12 digits), the villages of
    a town (9) or of a district (6), chosen by a subquery so a district is one statement."""
    if not place.isdigit() or len(place) not in (6, 9, 12):
        raise PlaceCodeInvalid(
            f"{place!r} is not a place code: 12 digits (village), 9 (town) or 6 (district)",
            field="village_code",
        )
    if len(place) == 12:
        return column == place
    if len(place) == 9:
        return column.in_(select(villages.c.code).where(villages.c.town_code == place))
    in_district = select(villages.c.code).where(
        villages.c.town_code.in_(select(towns.c.code).where(towns.c.district_code == place))
    )
    return column.in_(in_district)


def movements(
    conn: Connection, place: str, first_month: str, last_month: str
) -> dict[str, Movement]:
    """Each account's movement over the months ``first_month``..``last_month`` (inclusive),
    summed over the villages of ``place``."""
    t = balances
    rows = conn.execute(
        select(t.c.account_code, func.sum(t.c.debit_fen), func.sum(t.c.credit_fen))
        .where(village_filter(t.c.village_code, place), t.c.month >= first_month)
        .where(t.c.month <= last_month)
        .group_by(t.c.account_code)
    ).all()
    return {str(a): Movement(int(d or 0), int(c or 0)) for a, d, c in rows}


def monthly(
    conn: Connection, place: str, account: str, first_month: str, last_month: str
) -> dict[str, Movement]:
    """One account's movement month by month (the general ledger)."""
    t = balances
    rows = conn.execute(
        select(t.c.month, func.sum(t.c.debit_fen), func.sum(t.c.credit_fen))
        .where(village_filter(t.c.village_code, place), t.c.account_code == account)
        .where(t.c.month >= first_month, t.c.month <= last_month)
        .group_by(t.c.month)
    ).all()
    return {str(m): Movement(int(d or 0), int(c or 0)) for m, d, c in rows}


@dataclass(frozen=True)
class SubBalance:
    account_code: str
    counterparty: str
    reference: str
    movement: Movement
    last_date: date | None


def sub_movements(
    conn: Connection, place: str, first_month: str, last_month: str, accounts: tuple[str, ...]
) -> dict[tuple[str, str, str], SubBalance]:
    """Per (account, counterparty, reference): the movement over the months and the date of the
    last movement up to ``last_month``."""
    t = sub_balances
    rows = conn.execute(
        select(
            t.c.account_code,
            t.c.counterparty,
            t.c.reference,
            func.sum(t.c.debit_fen),
            func.sum(t.c.credit_fen),
            func.max(t.c.last_date),
        )
        .where(village_filter(t.c.village_code, place), t.c.account_code.in_(accounts))
        .where(t.c.month >= first_month, t.c.month <= last_month)
        .group_by(t.c.account_code, t.c.counterparty, t.c.reference)
    ).all()
    return {
        (str(a), str(cp), str(ref)): SubBalance(
            str(a), str(cp), str(ref), Movement(int(d or 0), int(c or 0)), last
        )
        for a, cp, ref, d, c, last in rows
    }


def add(left: Mapping[str, Movement], right: Mapping[str, Movement]) -> dict[str, Movement]:
    out = dict(left)
    for code, m in right.items():
        o = out.get(code, ZERO)
        out[code] = Movement(o.debit_fen + m.debit_fen, o.credit_fen + m.credit_fen)
    return out


def place_name(conn: Connection, place: str) -> str:
    """The registered name of the village, town or district ``place``, or
    ``village_not_registered`` (the code's shape is checked first: ``place_code_invalid``)."""
    village_filter(villages.c.code, place)
    table = {12: villages, 9: towns, 6: districts}[len(place)]
    name = conn.scalar(select(table.c.name).where(table.c.code == place))
    if name is None:
        raise VillageNotRegistered(f"place {place} is not registered", field="village_code")
    return str(name)


def split_parts(
    conn: Connection, place: str, months: tuple[str, ...], accounts: tuple[str, ...]
) -> tuple[dict[str, tuple[int, int]], ...]:
    """For each month of ``months``, per account: (the sum of the debit balances, the sum of
    the credit balances) of its (village, counterparty, reference) sub-ledgers at the end of
    that month, all in one pass of the database over the sub-ledger balances (a village's
    counterparties never net against another village's)."""
    t = sub_balances
    net = t.c.debit_fen - t.c.credit_fen
    inner = (
        select(
            t.c.account_code.label("account"),
            *(
                func.sum(case((t.c.month <= month, net), else_=0)).label(f"net{n}")
                for n, month in enumerate(months)
            ),
        )
        .where(village_filter(t.c.village_code, place), t.c.account_code.in_(accounts))
        .where(t.c.month <= max(months))
        .group_by(t.c.village_code, t.c.account_code, t.c.counterparty, t.c.reference)
        .subquery()
    )
    columns = []
    for n in range(len(months)):
        value = inner.c[f"net{n}"]
        columns += [
            func.sum(case((value > 0, value), else_=0)),
            func.sum(case((value < 0, -value), else_=0)),
        ]
    rows = conn.execute(select(inner.c.account, *columns).group_by(inner.c.account)).all()
    return tuple(
        {str(r[0]): (int(r[1 + 2 * n] or 0), int(r[2 + 2 * n] or 0)) for r in rows}
        for n in range(len(months))
    )


def sub_ledger_rows(
    conn: Connection, place: str, first_month: str, last_month: str, accounts: tuple[str, ...]
) -> dict[tuple[str, str, str], tuple[Movement, Movement]]:
    """Per (account, counterparty, reference): the movement before ``first_month`` and over
    ``first_month``..``last_month``, in one pass over the sub-ledger balances."""
    t = sub_balances
    before = t.c.month < first_month

    def part(column: Any, early: bool) -> Any:
        return func.sum(case((before if early else ~before, column), else_=0))

    rows = conn.execute(
        select(
            t.c.account_code,
            t.c.counterparty,
            t.c.reference,
            part(t.c.debit_fen, True),
            part(t.c.credit_fen, True),
            part(t.c.debit_fen, False),
            part(t.c.credit_fen, False),
        )
        .where(village_filter(t.c.village_code, place), t.c.account_code.in_(accounts))
        .where(t.c.month <= last_month)
        .group_by(t.c.account_code, t.c.counterparty, t.c.reference)
    ).all()
    return {
        (str(a), str(cp), str(ref)): (
            Movement(int(bd or 0), int(bc or 0)),
            Movement(int(md or 0), int(mc or 0)),
        )
        for a, cp, ref, bd, bc, md, mc in rows
    }
