"""The drill-down below a statement line: the journal entry with its voucher (lines, preparer,
reviewer, 大写金额) and the event it was posted from; the event itself (its type, time, actor,
authority and data) with its inclusion proof in the sealed log. Histories and proofs are the
auditors' (the API says who may read them): others see the event's facts on the entry page."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from starlette.responses import JSONResponse, Response

from api.web.books.common import lines_xlsx, param, wants_xlsx
from api.web.event_names import event_name
from api.web.labels import label
from api.web.pages import PageError, Web
from domain.access.roles import Role
from domain.audit.canonical import decode

ENTRY = """
query BooksEntry($village: String!, $id: String!) {
  journalEntry(villageCode: $village, entryId: $id) {
    entryId villageCode voucherNo entryDate factDate kind description chartVersion voucherId
    totalDebit totalCredit totalInWords
    lines { lineNo accountCode accountName debit credit counterparty reference }
    source { notificationId aggregateId version eventType actor authority recordedAt }
  }
}
"""

ENTRY_VOUCHER = """
query BooksEntryVoucher($id: ID!) {
  voucher(id: $id) {
    id voucherNo status preparer reviewer reviewedOn attachments summary totalInWords
  }
}
"""

PROOF = """
query BooksEventProof($n: Int!) {
  eventProof(notificationId: $n) {
    notificationId leafIndex treeSize leafHash auditPath root event publicKey json
    checkpoint { treeSize root signedAt keyId signature }
  }
}
"""

HISTORY = """
query BooksEventHistory($id: ID!) {
  history(aggregateId: $id) { aggregateId version type recordedAt actor authority payload }
}
"""


async def entry_page(web: Web) -> Response:
    entry_id = web.request.path_params["entry_id"][:40]
    village = param(web, "village")
    if not village:
        raise PageError(400, "village_required", "请从明细账进入，或在地址中注明村代码。")
    data = await web.query(ENTRY, {"village": village, "id": entry_id})
    entry = data["journalEntry"]
    if entry is None:
        raise PageError(404, "entry_not_found", "这个村没有这笔分录。")
    if wants_xlsx(web):
        name = f"分录-{entry['voucherNo']}.xlsx"
        return lines_xlsx(name, entry["description"], entry["lines"])
    voucher = None
    if entry["voucherId"]:
        voucher = (await web.query(ENTRY_VOUCHER, {"id": entry["voucherId"]}))["voucher"]
    return web.render(
        "books/entry.html",
        {
            "entry": entry,
            "voucher": voucher,
            "village": village,
            "kind_name": label("EntryKind", entry["kind"]),
            "event_name": event_name(entry["source"]["eventType"]),
            "may_prove": web.role == Role.AUDITOR,
        },
    )


def canonical_of(proof: dict[str, Any]) -> tuple[str, int, str] | None:
    """The aggregate id, version and topic the proof's canonical bytes name."""
    try:
        event = decode(base64.b64decode(proof["event"], validate=True))
    except (ValueError, binascii.Error):
        return None
    return str(event.originator_id), event.originator_version, event.topic


async def event_page(web: Web) -> Response:
    notification_id = web.request.path_params["notification_id"]
    proof_answer = await web.graphql(PROOF, {"n": notification_id})
    proof = (proof_answer.data or {}).get("eventProof") if not proof_answer.errors else None
    # an auditor limited to villages may read their events but not proofs (district-wide):
    # the page then shows the event from the link's aggregate and version, without a proof
    named = canonical_of(proof) if proof else None
    aggregate_id = named[0] if named else param(web, "aggregate")
    version_text = str(named[1]) if named else param(web, "version")
    event = None
    if aggregate_id and version_text.isdigit():
        events = (await web.query(HISTORY, {"id": aggregate_id}))["history"]
        event = next((e for e in events if e["version"] == int(version_text)), None)
    if event is None and proof is None:
        code = proof_answer.errors[0].code if proof_answer.errors else "event_not_found"
        raise PageError(404, code, "找不到这条事件。")
    if web.request.query_params.get("format") == "json" and proof is not None:
        name = f"proof-{notification_id}.json"
        return JSONResponse(
            proof["json"], headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )
    return web.render(
        "books/event.html",
        {
            "n": notification_id,
            "event": event,
            "topic": named[2] if named else None,
            "event_name": event_name(event["type"]) if event else "",
            "payload": json.dumps(event["payload"], ensure_ascii=False, indent=2) if event else "",
            "proof": proof,
            "proof_code": proof_answer.errors[0].code if proof_answer.errors else None,
        },
    )
