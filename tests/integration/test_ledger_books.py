"""The books events in the ledger, on SQLite and PostgreSQL: a reviewed voucher posts with its
number, a red voucher reverses it with negative amounts, a late programme fact is booked in the
first open month, and closing a year posts the closing vouchers (reopening reverses them), all
reproduced exactly by a rebuild (docs/rules.md B-12, B-14, B-15)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from domain.books.inputs import VoucherLineInput
from projections import summary
from projections.ledger.queries import voucher_numbers
from projections.ledger.tables import balances, entries, lines
from qianwan.bootstrap import Registry
from tests.integration.test_projections import snapshot
from tests.support import ACCOUNTANT, ADMIN, VILLAGE, contracted_building, lease_contract

PREPARER, REVIEWER = "会计 王芳", "出纳 李强"


def voucher(registry: Registry, day: date, summary: str, *lines_: VoucherLineInput) -> UUID:
    """A voucher prepared by one person and reviewed (so posted) by another."""
    voucher_id = registry.books.record_voucher(
        VILLAGE, day, summary, list(lines_), 1, PREPARER, ACCOUNTANT
    )
    registry.books.review_voucher(voucher_id, REVIEWER, day, ACCOUNTANT)
    return voucher_id


def a_year_of_vouchers(registry: Registry) -> None:
    """2025: a grant of 5,000.00 received (503), office costs of 120.00 paid in cash (513),
    interest of 30.50 (504): income 5,030.50 − expenses 120.00 = 4,910.50 本年收益."""
    voucher(
        registry,
        date(2025, 3, 10),
        "收到镇财政补助",
        VoucherLineInput("102", debit_yuan="5000.00"),
        VoucherLineInput("503", credit_yuan="5000.00"),
    )
    voucher(
        registry,
        date(2025, 3, 12),
        "购买办公用品",
        VoucherLineInput("513", debit_yuan="120.00"),
        VoucherLineInput("101", credit_yuan="120.00"),
    )
    voucher(
        registry,
        date(2025, 6, 21),
        "银行存款利息",
        VoucherLineInput("102", debit_yuan="30.50"),
        VoucherLineInput("504", credit_yuan="30.50"),
    )


def journal(registry: Registry) -> list[Any]:
    with registry.engine.connect() as conn:
        return list(
            conn.execute(
                select(entries).order_by(entries.c.source_notification_id, entries.c.entry_id)
            ).all()
        )


def year_net(registry: Registry, year: int) -> dict[str, int]:
    """Each account's movement in ``year``, debit minus credit in fen, from the balances."""
    with registry.engine.connect() as conn:
        rows = conn.execute(
            select(
                balances.c.account_code,
                func.sum(balances.c.debit_fen) - func.sum(balances.c.credit_fen),
            )
            .where(
                balances.c.village_code == VILLAGE,
                balances.c.month.between(f"{year}-01", f"{year}-12"),
            )
            .group_by(balances.c.account_code)
        ).all()
    return {account: int(net) for account, net in rows if net}


def test_a_reviewed_voucher_posts_one_numbered_entry_of_kind_voucher(seeded: Registry) -> None:
    voucher_id = voucher(
        seeded,
        date(2025, 3, 10),
        "应收张三借款",
        VoucherLineInput(
            "112", debit_yuan="80.00", counterparty="张三", counterparty_kind="person"
        ),
        VoucherLineInput("101", credit_yuan="80.00"),
    )
    (entry,) = journal(seeded)
    assert (entry.kind, entry.voucher_id, entry.voucher_no) == (
        "voucher",
        str(voucher_id),
        "记-2025-03-0001",
    )
    assert entry.description == "应收张三借款"
    with seeded.engine.connect() as conn:
        found = conn.execute(
            select(lines.c.account_code, lines.c.debit_fen, lines.c.counterparty).order_by(
                lines.c.line_no
            )
        ).all()
    assert [tuple(r) for r in found] == [("112", 8000, "张三"), ("101", 0, None)]


def test_a_prepared_voucher_posts_nothing_until_reviewed(seeded: Registry) -> None:
    prepared = seeded.books.record_voucher(
        VILLAGE,
        date(2025, 3, 10),
        "购买办公用品",
        [VoucherLineInput("513", debit_yuan="1"), VoucherLineInput("101", credit_yuan="1")],
        0,
        PREPARER,
        ACCOUNTANT,
    )
    assert journal(seeded) == []
    posted = voucher(
        seeded,
        date(2025, 3, 11),
        "购买办公用品",
        VoucherLineInput("513", debit_yuan="2"),
        VoucherLineInput("101", credit_yuan="2"),
    )
    with seeded.engine.connect() as conn:
        found = voucher_numbers(conn, [str(prepared), str(posted)])
    assert found == {str(posted): "记-2025-03-0001"}  # numbered when it posts


def test_a_red_voucher_posts_negative_amounts_naming_the_entry_it_reverses(
    seeded: Registry,
) -> None:
    original = voucher(
        seeded,
        date(2025, 3, 12),
        "购买办公用品",
        VoucherLineInput("513", debit_yuan="120.00"),
        VoucherLineInput("101", credit_yuan="120.00"),
    )
    red = seeded.books.reverse_voucher(original, date(2025, 4, 2), "冲销错账", PREPARER, ACCOUNTANT)
    seeded.books.review_voucher(red, REVIEWER, date(2025, 4, 2), ACCOUNTANT)
    first, second = journal(seeded)
    assert (second.kind, second.voucher_id, second.reverses_entry_id, second.voucher_no) == (
        "reversal",
        str(red),
        first.entry_id,
        "记-2025-04-0001",
    )
    assert year_net(seeded, 2025) == {}  # 513 and 101 are back to nothing
    with seeded.engine.connect() as conn:
        amounts = conn.execute(
            select(lines.c.debit_fen, lines.c.credit_fen).where(lines.c.entry_id == second.entry_id)
        ).all()
    assert sorted(tuple(a) for a in amounts) == [(-12000, 0), (0, -12000)]


def test_closing_the_year_carries_income_and_expenses_to_321_and_321_to_322(
    seeded: Registry,
) -> None:
    a_year_of_vouchers(seeded)
    seeded.books.close_year(VILLAGE, 2025, ADMIN)

    closing = [e for e in journal(seeded) if e.kind == "closing"]
    assert [(e.entry_date, e.voucher_no) for e in closing] == [
        (date(2025, 12, 31), "记-2025-12-0001"),
        (date(2025, 12, 31), "记-2025-12-0002"),
    ]
    # every profit-and-loss account and 321 is zero for 2025; the profit is in 322
    assert year_net(seeded, 2025) == {"101": -12000, "102": 503050, "322": -491050}


def test_reopening_december_reverses_the_closing_vouchers_in_red(seeded: Registry) -> None:
    a_year_of_vouchers(seeded)
    before = year_net(seeded, 2025)
    seeded.books.close_year(VILLAGE, 2025, ADMIN)
    seeded.books.reopen_period(VILLAGE, "2025-12", "补记利息", ADMIN)

    found = journal(seeded)
    closing = [e.entry_id for e in found if e.kind == "closing"]
    reversals = [e for e in found if e.kind == "reversal"]
    assert [e.reverses_entry_id for e in reversals] == closing
    assert [e.voucher_no for e in reversals] == ["记-2025-12-0003", "记-2025-12-0004"]
    assert year_net(seeded, 2025) == before

    seeded.books.close_year(VILLAGE, 2025, ADMIN)  # closed again: closed afresh
    assert year_net(seeded, 2025) == {"101": -12000, "102": 503050, "322": -491050}


def test_a_late_programme_fact_is_booked_on_the_first_day_of_the_first_open_month(
    seeded: Registry,
) -> None:
    asset = contracted_building(seeded.assets, lease_contract(yearly_rent="36500"))
    seeded.assets.invoice_rent(
        asset,
        "FP-001",
        "36500",
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2025, 3, 31),
        ACCOUNTANT,
    )
    seeded.books.close_year(VILLAGE, 2024, ADMIN)
    seeded.assets.receive_rent(asset, "SJ-001", "FP-001", "36500", date(2024, 11, 10), ACCOUNTANT)

    late = journal(seeded)[-1]
    assert (late.entry_date, late.fact_date, late.kind) == (
        date(2025, 1, 1),
        date(2024, 11, 10),
        "programme",
    )
    assert late.description.endswith("(原日期 2024-11-10)")
    assert late.voucher_no.startswith("记-2025-01-")


def test_a_rebuild_reproduces_vouchers_closings_and_late_facts(seeded: Registry) -> None:
    a_year_of_vouchers(seeded)
    seeded.books.close_year(VILLAGE, 2025, ADMIN)
    seeded.books.reopen_period(VILLAGE, "2025-12", "补记利息", ADMIN)
    voucher(
        seeded,
        date(2025, 12, 20),
        "补记利息",
        VoucherLineInput("102", debit_yuan="1.00"),
        VoucherLineInput("504", credit_yuan="1.00"),
    )
    seeded.books.close_year(VILLAGE, 2025, ADMIN)
    built = snapshot(seeded)

    seeded.runner.rebuild()

    assert snapshot(seeded) == built


def summary_income(registry: Registry) -> list[tuple[Any, ...]]:
    with registry.engine.connect() as conn:
        return [
            tuple(r) for r in conn.execute(select(summary.income).order_by(summary.income.c.month))
        ]


def test_the_district_summary_counts_vouchers_but_not_the_closing_of_the_year(
    seeded: Registry,
) -> None:
    a_year_of_vouchers(seeded)
    before = summary_income(seeded)
    assert {(r[1], r[4]) for r in before} == {("2025-03", "503"), ("2025-06", "504")}
    seeded.books.close_year(VILLAGE, 2025, ADMIN)
    seeded.books.reopen_period(VILLAGE, "2025-12", "补记利息", ADMIN)
    assert summary_income(seeded) == before
