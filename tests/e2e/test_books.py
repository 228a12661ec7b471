"""Vouchers and periods over GraphQL, on SQLite and PostgreSQL: the preparer and reviewer are the
tokens' persons and never the same; scope and roles; an idempotent retry; every refusal a code in
`errors` with nothing recorded (docs/rules.md V-01 … V-10, R-01, R-02)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.books_documents import (
    CLOSE_PERIOD,
    CLOSE_YEAR,
    PERIODS,
    RECORD_VOUCHER,
    REJECT_VOUCHER,
    REOPEN_PERIOD,
    REVERSE_VOUCHER,
    REVIEW_VOUCHER,
    VOUCHER,
    VOUCHERS,
    voucher_variables,
)
from tests.e2e.conftest import Api, nodes
from tests.e2e.test_dataloaders import statements_for
from tests.support import OTHER_VILLAGE, VILLAGE

PREPARER, REVIEWER = "张会计", "李会计"


def record(api: Api, **more: Any) -> dict[str, Any]:
    result: dict[str, Any] = api.named(PREPARER).data(RECORD_VOUCHER, voucher_variables(**more))[
        "recordVoucher"
    ]
    return result


def last(api: Api) -> int:
    return api.registry.store.last_notification_id()


def refused(api: Api, document: str, variables: dict[str, Any], field: str, code: str) -> None:
    """The mutation answers ``code`` in its errors and records nothing."""
    assert api.token
    before = last(api)
    payload = api.data(document, variables)[field]
    assert [e["code"] for e in payload["errors"]] == [code], payload
    assert last(api) == before, "a refused command recorded something"


def forbidden(api: Api, document: str, variables: dict[str, Any]) -> None:
    assert api.token
    before = last(api)
    body = api.post(document, variables).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
    assert last(api) == before


def test_a_voucher_is_prepared_reviewed_by_another_person_and_posted(api: Api) -> None:
    recorded = record(api)
    assert recorded["errors"] == []
    voucher = recorded["voucher"]
    assert (voucher["status"], voucher["preparer"], voucher["voucherNo"]) == (
        "prepared",
        PREPARER,
        None,
    )
    assert voucher["lines"][0] == {
        "lineNo": 1,
        "accountCode": "513",
        "accountName": "管理费用",
        "debit": "120.00",
        "credit": "0.00",
        "counterparty": None,
        "counterpartyKind": None,
        "reference": None,
    }
    reviewed = api.named(REVIEWER).data(REVIEW_VOUCHER, {"id": voucher["id"], "on": "2026-04-05"})
    assert reviewed["reviewVoucher"]["errors"] == []
    posted = reviewed["reviewVoucher"]["voucher"]
    assert (posted["status"], posted["reviewer"], posted["reviewedOn"]) == (
        "posted",
        REVIEWER,
        "2026-04-05",
    )
    assert posted["voucherNo"] == "记-2026-04-0001"  # the ledger numbers it when it posts
    assert api.data(VOUCHER, {"id": voucher["id"]})["voucher"]["status"] == "posted"


def test_the_preparer_may_not_review_or_reject(api: Api) -> None:
    voucher_id = record(api)["voucher"]["id"]
    preparer = api.named(PREPARER)
    refused(preparer, REVIEW_VOUCHER, {"id": voucher_id}, "reviewVoucher", "reviewer_is_preparer")
    refused(
        preparer,
        REJECT_VOUCHER,
        {"id": voucher_id, "why": "x"},
        "rejectVoucher",
        "reviewer_is_preparer",
    )


def test_a_red_reversal_and_a_rejection(api: Api) -> None:
    voucher_id = record(api)["voucher"]["id"]
    api.named(REVIEWER).data(REVIEW_VOUCHER, {"id": voucher_id, "on": "2026-04-05"})
    red = api.named(PREPARER).data(REVERSE_VOUCHER, {"id": voucher_id, "on": "2026-04-20"})
    red_voucher = red["reverseVoucher"]["voucher"]
    assert red["reverseVoucher"]["errors"] == []
    assert (red_voucher["reverses"], red_voucher["status"], red_voucher["total"]) == (
        voucher_id,
        "prepared",
        "-120.00",
    )
    # as the printed red voucher shows its total: in capital numerals, negative
    assert red_voucher["totalInWords"] == "负壹佰贰拾元整"
    assert [(x["debit"], x["credit"]) for x in red_voucher["lines"]] == [
        ("-120.00", "0.00"),
        ("0.00", "-120.00"),
    ]
    assert red_voucher["summary"] == "冲销：购买办公用品"
    refused(
        api.named(PREPARER),
        REVERSE_VOUCHER,
        {"id": voucher_id},
        "reverseVoucher",
        "voucher_already_reversed",
    )
    rejected = api.named(REVIEWER).data(REJECT_VOUCHER, {"id": red_voucher["id"], "why": "日期错"})
    assert rejected["rejectVoucher"]["voucher"]["status"] == "rejected"
    original = api.data(VOUCHER, {"id": voucher_id})["voucher"]
    assert original["reversedBy"] is None


def test_a_retry_with_the_same_key_returns_the_same_voucher_and_records_nothing(
    api: Api,
) -> None:
    first = record(api, key="v-1")
    before = last(api)
    again = record(api, key="v-1")
    assert again["voucher"]["id"] == first["voucher"]["id"]
    assert last(api) == before
    other = api.named(PREPARER).data(RECORD_VOUCHER, voucher_variables(key="v-1", summary="别的"))
    assert [e["code"] for e in other["recordVoucher"]["errors"]] == ["idempotency_key_reused"]
    assert last(api) == before


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        (voucher_variables(lines=[{"accountCode": "513", "debit": "1"}]), "voucher_lines_too_few"),
        (
            voucher_variables(
                lines=[{"accountCode": "513", "debit": "1"}, {"accountCode": "101", "credit": "2"}]
            ),
            "voucher_not_balanced",
        ),
        (
            voucher_variables(
                lines=[{"accountCode": "321", "debit": "1"}, {"accountCode": "101", "credit": "1"}]
            ),
            "account_reserved_for_closing",
        ),
        (
            voucher_variables(
                lines=[{"accountCode": "112", "debit": "1"}, {"accountCode": "501", "credit": "1"}]
            ),
            "counterparty_required",
        ),
        (voucher_variables(date="2999-01-01"), "date_in_future"),
        (voucher_variables(attachments=1000), "attachments_out_of_range"),
    ],
)
def test_a_refused_voucher_is_a_code_and_records_nothing(
    api: Api, variables: dict[str, Any], code: str
) -> None:
    refused(api.named(PREPARER), RECORD_VOUCHER, variables, "recordVoucher", code)


def test_closing_refuses_vouchers_dated_in_closed_months_and_only_an_admin_reopens(
    api: Api,
) -> None:
    closed = api.data(CLOSE_PERIOD, {"village": VILLAGE, "month": "2026-03"})["closePeriod"]
    assert closed["errors"] == []
    assert closed["periods"]["firstOpenMonth"] == "2026-04"
    march = closed["periods"]["months"][0]
    assert march["closedAt"].endswith("+00:00") and march["closedBy"].startswith("test accountant")
    refused(
        api.named(PREPARER),
        RECORD_VOUCHER,
        voucher_variables(date="2026-03-31"),
        "recordVoucher",
        "period_closed",
    )
    refused(
        api,
        CLOSE_PERIOD,
        {"village": VILLAGE, "month": "2026-01"},
        "closePeriod",
        "period_out_of_order",
    )
    reopen = {"village": VILLAGE, "month": "2026-03", "why": "漏记一笔"}
    forbidden(api, REOPEN_PERIOD, reopen)
    reopened = api.admin.data(REOPEN_PERIOD, reopen)["reopenPeriod"]
    assert reopened["errors"] == []
    assert reopened["periods"]["firstOpenMonth"] is None
    assert reopened["periods"]["months"][0]["reopenReason"] == "漏记一笔"
    assert record(api, date="2026-03-31")["errors"] == []


def test_closing_a_year_closes_december(api: Api) -> None:
    result = api.data(CLOSE_YEAR, {"village": OTHER_VILLAGE, "year": 2025})["closeYear"]
    assert result["errors"] == []
    periods = api.data(PERIODS, {"village": OTHER_VILLAGE})["periods"]
    assert periods["firstOpenMonth"] == "2026-01"
    assert periods["years"] == [{"year": 2025, "closed": True}]
    refused(
        api,
        CLOSE_YEAR,
        {"village": OTHER_VILLAGE, "year": 2025},
        "closeYear",
        "year_already_closed",
    )


def test_an_accountant_of_another_village_neither_sees_nor_reviews(api: Api) -> None:
    voucher_id = record(api)["voucher"]["id"]
    outsider = api.as_role("accountant", [OTHER_VILLAGE], "王会计")
    forbidden(outsider, REVIEW_VOUCHER, {"id": voucher_id})
    forbidden(outsider, VOUCHER, {"id": voucher_id})
    forbidden(outsider, RECORD_VOUCHER, voucher_variables())
    assert outsider.data(VOUCHERS, {})["vouchers"]["totalCount"] == 0
    forbidden(api.auditor, RECORD_VOUCHER, voucher_variables())
    forbidden(api.auditor, REVIEW_VOUCHER, {"id": voucher_id})


def test_vouchers_are_listed_by_village_month_and_status(api: Api) -> None:
    a = record(api, date="2026-04-03")["voucher"]["id"]
    b = record(api, date="2026-05-03")["voucher"]["id"]
    api.named(REVIEWER).data(REVIEW_VOUCHER, {"id": b, "on": "2026-05-04"})
    record(api, date="2026-04-09", village=OTHER_VILLAGE)
    page = api.data(VOUCHERS, {"village": VILLAGE})["vouchers"]
    assert [v["id"] for v in nodes(page)] == [a, b]
    april = api.data(VOUCHERS, {"village": VILLAGE, "month": "2026-04"})["vouchers"]
    assert [v["id"] for v in nodes(april)] == [a]
    posted = api.data(VOUCHERS, {"town": VILLAGE[:9], "status": "posted"})["vouchers"]
    assert [v["id"] for v in nodes(posted)] == [b]
    first = api.data(VOUCHERS, {"first": 1})["vouchers"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    rest = api.data(VOUCHERS, {"first": 5, "after": first["pageInfo"]["endCursor"]})["vouchers"]
    assert len(nodes(rest)) == 2
    assert Decimal(nodes(page)[0]["total"]) == Decimal("120")


def test_a_page_of_vouchers_with_lines_and_numbers_takes_the_same_statements_for_1_or_6(
    api: Api,
) -> None:
    query = "{ vouchers(first: 50) { edges { node { voucherNo lines { accountName debit } } } } }"
    reviewer = api.named(REVIEWER)
    first = record(api)["voucher"]["id"]
    reviewer.data(REVIEW_VOUCHER, {"id": first, "on": "2026-04-05"})
    one = statements_for(api.registry, api.platform, query)
    for day in range(4, 9):
        voucher_id = record(api, date=f"2026-04-{day:02d}")["voucher"]["id"]
        reviewer.data(REVIEW_VOUCHER, {"id": voucher_id, "on": "2026-04-09"})
    six_read = statements_for(api.registry, api.platform, query)  # fresh: events since
    six = api.platform.data(query)["vouchers"]["edges"]  # the answer kept by the positions
    assert len(six) == 6 and all(e["node"]["voucherNo"] for e in six)
    assert six_read == one


def test_a_reversal_retried_with_its_key_returns_the_same_red_voucher(api: Api) -> None:
    voucher_id = record(api)["voucher"]["id"]
    api.named(REVIEWER).data(REVIEW_VOUCHER, {"id": voucher_id, "on": "2026-04-05"})
    preparer = api.named(PREPARER)
    variables = {"id": voucher_id, "on": "2026-04-20", "key": "red-1"}
    first = preparer.data(REVERSE_VOUCHER, variables)["reverseVoucher"]
    before = last(api)
    again = preparer.data(REVERSE_VOUCHER, variables)["reverseVoucher"]
    assert again["errors"] == [] and again["voucher"]["id"] == first["voucher"]["id"]
    assert last(api) == before


def test_reopening_december_of_a_closed_year_reopens_the_year(api: Api) -> None:
    api.data(CLOSE_YEAR, {"village": VILLAGE, "year": 2025})
    reopen = {"village": VILLAGE, "month": "2025-12", "why": "年终调整"}
    periods = api.admin.data(REOPEN_PERIOD, reopen)["reopenPeriod"]["periods"]
    assert periods["years"] == [{"year": 2025, "closed": False}]
    assert periods["firstOpenMonth"] is None
