"""The audit over GraphQL: corrections as mutations (and their refusals), the books as known at
a recorded time, any aggregate at a version or time, and the proof of one event against the
latest checkpoint, which the standalone checker accepts."""

from __future__ import annotations

import importlib.util
import time
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.audit.keyfiles import key_id, raw_public_key
from domain.audit.verification import outcome_of, record_verification
from domain.shared.values import Provenance
from projections.audit import sign_checkpoint, verify
from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api
from tests.e2e.documents import ERRORS
from tests.support import ACCOUNTANT, VILLAGE, leased_building

CORRECT_INVOICE = f"""
mutation Correct($id: ID!, $no: String!, $amount: Decimal!,
                 $reason: InvoiceCorrectionReason!) {{
  correctInvoice(assetId: $id, invoiceNo: $no, correctedAmount: $amount, reasonCode: $reason,
                 authority: "更正审批单 2024-07") {{
    recorded
    asset {{ invoicedToDate receivedToDate
             invoices {{ edges {{ node {{ invoiceNo amount received outstanding }} }} }} }}
    {ERRORS}
  }}
}}
"""

REVERSE_RECEIPT = f"""
mutation Reverse($id: ID!, $no: String!, $reason: ReceiptReversalReason!) {{
  reverseReceipt(assetId: $id, receiptNo: $no, reasonCode: $reason) {{
    recorded
    asset {{ receivedToDate }}
    {ERRORS}
  }}
}}
"""

TRIAL_BALANCE = """
query Books($v: String!, $knownAt: DateTime) {
  trialBalance(villageCode: $v, asOf: "2024-12-31", knownAt: $knownAt) {
    knownAt totalDebit totalCredit lines { accountCode debit credit }
  }
}
"""

AGGREGATE_AT = """
query At($id: ID!, $version: Int, $at: DateTime) {
  aggregateAt(id: $id, version: $version, at: $at) { aggregateId type version recordedAt state }
}
"""

EVENT_PROOF = """
query Proof($n: Int!) {
  eventProof(notificationId: $n) {
    notificationId leafIndex treeSize leafHash auditPath root publicKey event json
    checkpoint { treeSize root signedAt publicKey keyId signature }
  }
}
"""

HISTORY_LENGTH = "query($id: ID!) { history(aggregateId: $id) { version } }"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_proof.py"


@pytest.fixture
def invoiced(api: Api, seeded: Registry) -> str:
    """A lease billed 300,000.00 for its first year instead of 30,000.00; 10,000.00 received."""
    asset = leased_building(seeded.assets)
    seeded.assets.invoice_rent(
        asset,
        "FP-001",
        "300000",
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2025, 3, 31),
        ACCOUNTANT,
    )
    seeded.assets.receive_rent(asset, "SJ-001", "FP-001", "10000", date(2024, 4, 10), ACCOUNTANT)
    return str(asset)


def versions(api: Api, asset_id: str) -> int:
    return len(api.auditor.data(HISTORY_LENGTH, {"id": asset_id})["history"])


def accounts(books: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {line["accountCode"]: (line["debit"], line["credit"]) for line in books["lines"]}


def test_a_corrected_invoice_shows_now_and_the_books_as_known_before_still_show_then(
    api: Api, invoiced: str
) -> None:
    # given the books as they stand before the correction
    time.sleep(0.01)
    before = datetime.now(UTC).isoformat()
    time.sleep(0.01)

    # when the accountant corrects the invoice to 30,000.00
    corrected = api.data(
        CORRECT_INVOICE,
        {"id": invoiced, "no": "FP-001", "amount": "30000", "reason": "amount_mistyped"},
        actor="accountant:wang",
    )["correctInvoice"]

    # then the register shows the corrected invoice, and the books both ways
    assert corrected["errors"] == [] and corrected["recorded"] is True
    assert corrected["asset"]["invoices"]["edges"][0]["node"]["amount"] == "30000.00"
    assert corrected["asset"]["invoicedToDate"] == "30000.00"
    then = api.data(TRIAL_BALANCE, {"v": VILLAGE, "knownAt": before})["trialBalance"]
    now = api.data(TRIAL_BALANCE, {"v": VILLAGE})["trialBalance"]
    assert accounts(then)["112"] == ("290000.00", "0.00")
    assert accounts(now)["112"] == ("20000.00", "0.00")
    assert then["knownAt"] is not None and now["knownAt"] is None
    assert then["totalDebit"] == then["totalCredit"] and now["totalDebit"] == now["totalCredit"]


def test_a_reversed_receipt_is_owed_again(api: Api, invoiced: str) -> None:
    result = api.data(REVERSE_RECEIPT, {"id": invoiced, "no": "SJ-001", "reason": "bank_returned"})[
        "reverseReceipt"
    ]
    again = api.data(REVERSE_RECEIPT, {"id": invoiced, "no": "SJ-001", "reason": "bank_returned"})[
        "reverseReceipt"
    ]

    assert result["errors"] == [] and result["recorded"] is True
    assert result["asset"]["receivedToDate"] == "0.00"
    assert again["recorded"] is False  # a safe retry


@pytest.mark.parametrize(
    ("document", "variables", "field", "code", "argument"),
    [
        (
            CORRECT_INVOICE,
            {"no": "FP-001", "amount": "5000", "reason": "amount_mistyped"},
            "correctInvoice",
            "corrected_amount_below_received",
            "correctedAmount",
        ),
        (
            REVERSE_RECEIPT,
            {"no": "SJ-404", "reason": "duplicate_entry"},
            "reverseReceipt",
            "receipt_not_found",
            "receiptNo",
        ),
    ],
)
def test_a_refused_correction_returns_its_code_and_records_nothing(
    api: Api,
    invoiced: str,
    document: str,
    variables: dict[str, Any],
    field: str,
    code: str,
    argument: str,
) -> None:
    before = versions(api, invoiced)
    result = api.data(document, {"id": invoiced, **variables})[field]

    assert result["asset"] is None and result["recorded"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [(code, argument)]
    assert versions(api, invoiced) == before


def test_an_aggregate_at_a_version_and_at_a_time(api: Api, invoiced: str) -> None:
    auditor = api.auditor
    now = auditor.data(AGGREGATE_AT, {"id": invoiced})["aggregateAt"]
    first = auditor.data(AGGREGATE_AT, {"id": invoiced, "version": 1})["aggregateAt"]
    then = auditor.data(AGGREGATE_AT, {"id": invoiced, "at": first["recordedAt"]})["aggregateAt"]

    assert (now["type"], now["version"]) == ("Asset", versions(api, invoiced))
    assert now["state"]["invoices"]["FP-001"]["received_yuan"] == "10000.00"
    assert first["version"] == then["version"] == 1
    assert first["state"]["status"] == "registered" and first["state"]["invoices"] == {}

    response = api.auditor.post(AGGREGATE_AT, {"id": invoiced, "version": 42})
    assert response.json()["errors"][0]["extensions"]["code"] == "version_not_recorded"


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_proof", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_proof_of_an_event_holds_for_the_standalone_checker(
    api: Api, seeded: Registry, invoiced: str, checker: ModuleType
) -> None:
    # given no checkpoint yet, there is nothing to prove against
    response = api.auditor.post(EVENT_PROOF, {"n": 5})
    assert response.json()["errors"][0]["extensions"]["code"] == "no_checkpoint_yet"

    # when a checkpoint is signed and the proof of event 5 asked for
    key = Ed25519PrivateKey.generate()
    cp = sign_checkpoint(
        seeded.runner, seeded.checkpoints, key, event_keys=seeded.event_keys.trusted
    )
    proof = api.auditor.data(EVENT_PROOF, {"n": 5})["eventProof"]

    # then it names the checkpoint and the standalone checker accepts it with the key
    assert (proof["notificationId"], proof["leafIndex"], proof["treeSize"]) == (5, 4, cp.tree_size)
    assert proof["checkpoint"]["root"] == proof["root"] == cp.root.hex()
    assert proof["publicKey"] == cp.public_key.hex() == proof["json"]["public_key"]
    ok, summary = checker.check(proof["json"], cp.public_key)
    assert ok, summary
    response = api.auditor.post(EVENT_PROOF, {"n": 10_000})
    assert response.json()["errors"][0]["extensions"]["code"] == "notification_not_sealed"


SEAL_STATE = """
query { sealState { events sealed root checkpoints lastCheckpoint { treeSize keyId }
                    lastVerification { result ok checkedThrough eventKeyIds runs recordId } } }
"""


def test_the_seal_state_names_the_latest_checkpoint_and_verification(
    api: Api, seeded: Registry, invoiced: str
) -> None:
    auditor = api.auditor
    before = auditor.data(SEAL_STATE)["sealState"]
    assert before["lastCheckpoint"] is None and before["lastVerification"] is None
    assert before["sealed"] == before["events"] == seeded.store.last_notification_id()
    assert before["checkpoints"] == 0 and len(before["root"]) == 64

    key = Ed25519PrivateKey.generate()
    sign_checkpoint(seeded.runner, seeded.checkpoints, key, event_keys=seeded.event_keys.trusted)
    outcome = outcome_of(
        verify(
            seeded.store,
            seeded.engine,
            (),
            [raw_public_key(key)],
            seeded.checkpoints,
            event_keys=seeded.event_keys.trusted,
        ),
        before["events"],
        seeded.event_keys.trusted.key_ids,
        [],
    )
    record_verification(seeded.store, outcome, Provenance("cli:auditor"))
    after = auditor.data(SEAL_STATE)["sealState"]
    assert after["lastCheckpoint"]["treeSize"] == before["events"]
    assert after["lastCheckpoint"]["keyId"] == key_id(raw_public_key(key))
    run = after["lastVerification"]
    assert (run["result"], run["ok"], run["runs"]) == ("ok", True, 1)
    assert run["checkedThrough"] == before["events"]
    assert run["eventKeyIds"] == list(seeded.event_keys.trusted.key_ids)
    assert [
        e["type"]
        for e in auditor.data(
            "query($id: ID!) { history(aggregateId: $id) { type } }", {"id": run["recordId"]}
        )["history"]
    ] == ["SealVerification.Opened", "SealVerification.Completed"]

    for role in ("accountant", "platform", "admin"):
        refused = api.as_role(role).post(SEAL_STATE).json()
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
