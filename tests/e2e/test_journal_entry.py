"""journalEntry (one entry whole: its lines, the 大写 total and the event it was posted from,
read in its village's scope) and chartOfAccounts (the chart in force on a day), on SQLite and
PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.e2e.books_documents import RECORD_VOUCHER, REVIEW_VOUCHER, voucher_variables
from tests.e2e.conftest import Api
from tests.support import OTHER_VILLAGE, VILLAGE

STATEMENT = """
query($v: String!) {
  accountStatement(villageCode: $v, accountCode: "513", from: "2026-01-01", to: "2026-12-06") {
    lines { entryId }
  }
}
"""
ENTRY = """
query($v: String!, $id: String!) {
  journalEntry(villageCode: $v, entryId: $id) {
    entryId villageCode voucherNo entryDate kind description voucherId
    totalDebit totalCredit totalInWords
    lines { lineNo accountCode accountName debit credit counterparty }
    source { notificationId aggregateId version eventType actor }
  }
}
"""
CHART = """
query($on: Date) {
  chartOfAccounts(on: $on) { version effectiveFrom accounts { code name category normalSide } }
}
"""


def posted_entry(api: Api) -> tuple[str, str]:
    """A voucher of 120.00 (513 to 101), prepared and reviewed by two people: its entry id."""
    recorded = api.named("张会计").data(RECORD_VOUCHER, voucher_variables())["recordVoucher"]
    voucher_id = recorded["voucher"]["id"]
    api.named("李会计").data(REVIEW_VOUCHER, {"id": voucher_id, "on": "2026-04-05"})
    lines = api.data(STATEMENT, {"v": VILLAGE})["accountStatement"]["lines"]
    return lines[0]["entryId"], voucher_id


def test_an_entry_whole_with_its_voucher_and_source_event(api: Api) -> None:
    entry_id, voucher_id = posted_entry(api)
    entry: dict[str, Any] = api.data(ENTRY, {"v": VILLAGE, "id": entry_id})["journalEntry"]
    assert (entry["voucherNo"], entry["kind"], entry["voucherId"]) == (
        "记-2026-04-0001",
        "voucher",
        voucher_id,
    )
    assert [
        (x["accountCode"], x["accountName"], x["debit"], x["credit"]) for x in entry["lines"]
    ] == [
        ("513", "管理费用", "120.00", "0.00"),
        ("101", "库存现金", "0.00", "120.00"),
    ]
    assert entry["totalDebit"] == entry["totalCredit"] == "120.00"
    assert entry["totalInWords"] == "壹佰贰拾元整"
    source = entry["source"]
    assert source["eventType"] == "Voucher.Reviewed" and source["aggregateId"] == voucher_id
    assert source["actor"].startswith("李会计")


def test_an_entry_is_read_in_its_village_s_scope_only(api: Api) -> None:
    entry_id, _ = posted_entry(api)
    # another village's books have no such entry; an accountant of another village may not ask
    assert api.data(ENTRY, {"v": OTHER_VILLAGE, "id": entry_id})["journalEntry"] is None
    assert api.data(ENTRY, {"v": VILLAGE, "id": "999-9"})["journalEntry"] is None
    outsider = api.as_role("accountant", [OTHER_VILLAGE])
    body = outsider.post(ENTRY, {"v": VILLAGE, "id": entry_id}).json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert api.auditor.data(ENTRY, {"v": VILLAGE, "id": entry_id})["journalEntry"]


def test_the_chart_in_force_lists_its_accounts_in_order(api: Api) -> None:
    chart = api.data(CHART, {"on": "2026-04-03"})["chartOfAccounts"]
    assert (chart["version"], chart["effectiveFrom"]) == ("2023", "2024-01-01")
    codes = [a["code"] for a in chart["accounts"]]
    assert codes[:3] == ["101", "102", "111"] and len(codes) == len(set(codes)) > 30
    receivable = next(a for a in chart["accounts"] if a["code"] == "112")
    assert receivable == {
        "code": "112", "name": "应收款", "category": "asset", "normalSide": "debit"
    }  # fmt: skip
    body = api.post(CHART, {"on": "2023-12-31"}).json()  # before the 2023 chart came in force
    assert body["errors"][0]["extensions"]["code"] == "date_before_chart_of_accounts"
