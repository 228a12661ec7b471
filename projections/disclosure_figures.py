"""The figures of a disclosure (村务公开, docs/disclosure.md), read from the read models of one
village for one period: income and expenses exactly as the income statement gives them
(projections/ledger/statements), the leases in force, the land entries and distributions, the
meal assistance in totals only, and the seal's root, all in ONE database transaction at one
position of the log. JSON-able: money as strings of yuan, days as ISO text.

``figures_of`` is a pure function of a connection, so ``qianwan disclosure verify`` runs the very
same code over a replay of the log (projections/disclosure_verify.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from domain.disclosure.periods import Period
from domain.disclosure.vocabulary import FIGURE_ROWS_MAX, MONTH
from domain.ledger.accounts import RECEIVABLES
from domain.ledger.chart import chart_in_force
from domain.shared.errors import DateBeforeChartOfAccounts, InvalidInput
from domain.shared.values import from_fen
from projections.assets import contracts, invoices, register
from projections.land.tables import parcels, proceeds
from projections.ledger.statements import income_statement
from projections.ledger.statements.layout import INCOME_LINES, NET_INCOME_LINE
from projections.ledger.tables import entries, lines
from projections.meals.tables import meals, points
from projections.places import villages

RECEIPT_EVENTS = ("Asset.RentReceived", "Asset.ReceiptReversed")
DAYS_PER_YEAR = Decimal("365.25")


def money(fen: int) -> str:
    return str(from_fen(int(fen)))


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def figures_of(conn: Connection, village_code: str, period: Period) -> dict[str, Any]:
    """Every figure of the village's disclosure of ``period``, as the read models on ``conn``
    hold them."""
    name = conn.scalar(select(villages.c.name).where(villages.c.code == village_code))
    income = income_and_expenses(conn, village_code, period)
    lists = {
        "leases": leases(conn, village_code, period),
        "land_entries": land_entries(conn, village_code, period),
        "distributions": distributions(conn, village_code, period),
    }
    for key, rows in lists.items():
        if len(rows) > FIGURE_ROWS_MAX[key]:  # refused, not cut short (docs/rules.md D-09)
            raise InvalidInput(
                f"{len(rows)} {key} are more than a disclosure lists ({FIGURE_ROWS_MAX[key]})",
                field="village_code",
            )
    return {
        "village_name": str(name or village_code),
        **income,
        **lists,
        "meals": meal_totals(conn, village_code, period),
    }


def _account_name(code: str, on: date) -> str:
    try:
        chart = chart_in_force(on)
    except DateBeforeChartOfAccounts:
        return code
    return chart.account(code).name_zh if chart.has(code) else code


def income_and_expenses(conn: Connection, village_code: str, period: Period) -> dict[str, Any]:
    """The 本月数 (本季数) of the income statement, line by line for the lines one account
    feeds; totals of the income (credit) and expense (debit) lines; the period's 收益."""
    statement = income_statement(
        conn,
        village_code,
        period.year,
        period.number if period.kind == MONTH else None,
        None if period.kind == MONTH else period.number,
    )
    sides = {line.line_no: line.side for line in INCOME_LINES}
    rows: list[dict[str, str]] = []
    income = expenses = Decimal("0.00")
    for line in statement.lines:
        if len(line.accounts) != 1:
            continue
        side = sides[line.line_no]
        amount = line.year_start  # the period's figure (本月数 / 本季数)
        if side == "credit":
            income += amount
        else:
            expenses += amount
        rows.append(
            {
                "account_code": line.accounts[0],
                "account_name": _account_name(line.accounts[0], period.end),
                "line_name": line.name_zh,
                "side": side,
                "amount": str(amount),
            }
        )
    return {
        "income_and_expenses": rows,
        "total_income": str(income),
        "total_expenses": str(expenses),
        "net_income": str(
            next(n.year_start for n in statement.lines if n.line_no == NET_INCOME_LINE)
        ),
    }


def _annual(total_fen: int, start: date, end: date) -> str:
    """The contract's value per year of its term, to the fen: by whole months when the term is
    whole months (the usual case), else by days."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day == start.day and months > 0:
        yearly = Decimal(total_fen) * 12 / Decimal(months)
    else:
        days = (end - start).days + 1
        if days <= 0:
            return money(0)
        yearly = Decimal(total_fen) * DAYS_PER_YEAR / Decimal(days)
    return money(min(int(yearly.quantize(Decimal(1), ROUND_HALF_UP)), total_fen))


def _received(
    conn: Connection, village_code: str, first: date | None, last: date
) -> dict[Any, int]:
    """Net rent received per (asset, contract) with a receipt dated first … last: the credits
    less the debits of receivables in the receipts' entries (and their reversals)."""
    where = [
        entries.c.village_code == village_code,
        entries.c.source_event_type.in_(RECEIPT_EVENTS),
        entries.c.entry_date <= last,
        lines.c.account_code == RECEIVABLES,
    ]
    if first is not None:
        where.append(entries.c.entry_date >= first)
    query = (
        select(
            entries.c.source_aggregate_id,
            lines.c.reference,
            func.sum(lines.c.credit_fen - lines.c.debit_fen),
        )
        .join(lines, lines.c.entry_id == entries.c.entry_id)
        .where(*where)
        .group_by(entries.c.source_aggregate_id, lines.c.reference)
    )
    return {(str(a), r): int(fen or 0) for a, r, fen in conn.execute(query)}


def leases(conn: Connection, village_code: str, period: Period) -> list[dict[str, Any]]:
    """The contracts in force at any time in the period: rent received in it, and arrears at
    its end (invoices due by then, less what was received by then and what was cancelled)."""
    start, end = period.start, period.end
    c = contracts.c
    query = (
        select(
            c.asset_id,
            c.contract_no,
            c.mode,
            c.counterparty_name,
            c.counterparty_kind,
            c.start_on,
            c.end_on,
            c.terminated_on,
            c.total_value_fen,
            register.c.asset_code,
            register.c.name,
            register.c.kind,
        )
        .join(register, register.c.asset_id == c.asset_id)
        .where(
            c.village_code == village_code,
            c.start_on <= end,
            c.end_on >= start,
            or_(c.terminated_on.is_(None), c.terminated_on >= start),
        )
        .order_by(register.c.asset_code, c.contract_no)
    )
    found = conn.execute(query).all()
    in_period = _received(conn, village_code, start, end)
    to_end = _received(conn, village_code, None, end)
    due = {
        (str(a), n): int(fen or 0)
        for a, n, fen in conn.execute(
            select(
                invoices.c.asset_id,
                invoices.c.contract_no,
                func.sum(invoices.c.amount_fen - invoices.c.cancelled_fen),
            )
            .where(
                invoices.c.asset_id.in_([r.asset_id for r in found]),
                invoices.c.due_on <= end,
            )
            .group_by(invoices.c.asset_id, invoices.c.contract_no)
        )
    }
    result = []
    for r in found:
        key = (str(r.asset_id), r.contract_no)
        result.append(
            {
                "asset_code": r.asset_code,
                "asset_name": r.name,
                "asset_kind": r.kind,
                "contract_no": r.contract_no,
                "kind": r.mode,
                "counterparty": r.counterparty_name,
                "counterparty_kind": r.counterparty_kind,
                "term_start": day(r.start_on),
                "term_end": day(r.end_on),
                "terminated_on": day(r.terminated_on),
                "annual_rent": _annual(int(r.total_value_fen), r.start_on, r.end_on),
                "received": money(in_period.get(key, 0)),
                "arrears": money(max(due.get(key, 0) - to_end.get(key, 0), 0)),
            }
        )
    return result


def land_entries(conn: Connection, village_code: str, period: Period) -> list[dict[str, Any]]:
    """The village's parcels contracted (入市) up to the period's end, with their proceeds."""
    p, q = parcels.c, proceeds.c
    query = (
        select(
            p.parcel_code,
            p.contract_no,
            p.contract_signed_on,
            p.way,
            p.term_years,
            q.contract_price_fen,
            q.levy_assessed_fen,
            q.levy_paid_fen,
            q.members_share_fen,
            q.retained_fen,
        )
        .join(proceeds, q.parcel_id == p.parcel_id)
        .where(p.village_code == village_code, p.contract_signed_on <= period.end)
        .order_by(p.parcel_code)
    )
    return [
        {
            "parcel_code": r.parcel_code,
            "contract_no": r.contract_no,
            "contract_signed_on": day(r.contract_signed_on),
            "way": r.way,
            "term_years": r.term_years,
            "contract_price": money(r.contract_price_fen),
            "levy_assessed": money(r.levy_assessed_fen),
            "levy_paid": money(r.levy_paid_fen),
            "members_share": money(r.members_share_fen),
            "retained_share": money(r.retained_fen),
        }
        for r in conn.execute(query)
    ]


def distributions(conn: Connection, village_code: str, period: Period) -> list[dict[str, Any]]:
    """The land proceeds distributions approved or paid in the period."""
    p, q = parcels.c, proceeds.c
    start, end = period.start, period.end
    query = (
        select(
            p.parcel_code,
            p.distribution_resolution_reference,
            p.distribution_approved_on,
            p.distribution_paid_on,
            q.distribution_fen,
            q.members_share_fen,
            q.retained_fen,
            q.members_paid_fen,
        )
        .join(proceeds, q.parcel_id == p.parcel_id)
        .where(
            p.village_code == village_code,
            or_(
                and_(p.distribution_approved_on >= start, p.distribution_approved_on <= end),
                and_(p.distribution_paid_on >= start, p.distribution_paid_on <= end),
            ),
        )
        .order_by(p.parcel_code)
    )
    return [
        {
            "parcel_code": r.parcel_code,
            "resolution": r.distribution_resolution_reference,
            "approved_on": day(r.distribution_approved_on),
            "paid_on": day(r.distribution_paid_on),
            "amount": money(r.distribution_fen),
            "members_share": money(r.members_share_fen),
            "retained_share": money(r.retained_fen),
            "members_paid": money(r.members_paid_fen),
        }
        for r in conn.execute(query)
    ]


def meal_totals(conn: Connection, village_code: str, period: Period) -> dict[str, Any]:
    """The standing meals of the village's meal points served in the period, in totals only:
    never a name, an ID number or an elder's id."""
    m = meals.c
    row = conn.execute(
        select(
            func.count(func.distinct(m.elder_id)),
            func.count(),
            func.coalesce(func.sum(m.price_fen), 0),
            func.coalesce(func.sum(m.government_fen), 0),
            func.coalesce(func.sum(m.collective_fen), 0),
            func.coalesce(func.sum(m.elder_fen), 0),
        )
        .select_from(meals)
        .join(points, points.c.meal_point_id == m.meal_point_id)
        .where(
            points.c.village_code == village_code,
            m.served_on >= period.start,
            m.served_on <= period.end,
            m.voided.is_(False),
        )
    ).one()
    elders, count, price, government, collective, elder = (int(v or 0) for v in row)
    return {
        "elders": elders,
        "meals": count,
        "price": money(price),
        "government": money(government),
        "collective": money(collective),
        "co_payment": money(elder),
    }
