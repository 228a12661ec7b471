"""The audit export: a village's journal, trial balance and source events for a period, as CSV
files (UTF-8 with a BOM, so Excel shows the Chinese), and a manifest naming the signed checkpoint
and Merkle root that cover every exported event, with the SHA-256 of each file (docs/audit.md).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from domain.audit import canonical
from domain.audit.checkpoints import Checkpoint, write_json_file
from domain.audit.errors import (
    EventNoLongerSealed,
    ExportDirectoryNotEmpty,
    ExportNotCovered,
    NoCheckpointYet,
    OutputNotWritable,
    SealDisagreesWithCheckpoint,
)
from domain.audit.merkle import leaf_hash
from domain.ledger.chart import chart_in_force
from domain.shared.eventstore import EventStore
from domain.shared.history import describe
from domain.shared.values import from_fen
from projections.ledger.queries import trial_balance, utc
from projections.ledger.tables import entries, lines
from projections.seal import StoredTree

EXPORT_FORMAT = "qianwan-audit-export-v1"
MAX_EXPORT_LINES = 200_000  # journal lines in one export
JOURNAL_HEADER = (
    "凭证号",
    "日期",
    "摘要",
    "行号",
    "科目编码",
    "科目名称",
    "借方",
    "贷方",
    "往来单位",
    "往来类型",
    "参考号",
    "业务日期",
    "凭证类型",
    "分录编号",
    "科目表",
    "来源事件号",
    "来源对象",
    "来源版本",
    "事件类型",
    "记录人",
    "依据",
    "记录时间",
)
SOURCE_COLUMN = JOURNAL_HEADER.index("来源事件号")
TRIAL_BALANCE_HEADER = ("科目编码", "科目名称", "借方余额", "贷方余额")
EVENTS_HEADER = (
    "notification_id",
    "leaf_index",
    "leaf_hash",
    "aggregate_id",
    "version",
    "event_type",
    "recorded_at",
    "actor",
    "authority",
    "payload_json",
    "canonical_base64",
)


@dataclass(frozen=True)
class Export:
    directory: Path
    manifest: dict[str, Any]


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel reads UTF-8


def journal_rows(engine: Engine, village: str, date_from: date, date_to: date) -> list[list[Any]]:
    with engine.connect() as conn:
        found = conn.execute(
            select(lines, entries)
            .join(entries, entries.c.entry_id == lines.c.entry_id)
            .where(
                lines.c.village_code == village,
                lines.c.entry_date >= date_from,
                lines.c.entry_date <= date_to,
            )
            .order_by(entries.c.entry_date, entries.c.source_notification_id, lines.c.entry_id)
            .order_by(lines.c.line_no)
            .limit(MAX_EXPORT_LINES)
        ).mappings()
        rows = []
        for r in found:
            chart = chart_in_force(r["entry_date"])
            name = chart.account(r["account_code"]).name_zh if chart.has(r["account_code"]) else ""
            rows.append(
                [
                    r["voucher_no"],
                    r["entry_date"].isoformat(),
                    r["description"],
                    r["line_no"],
                    r["account_code"],
                    name,
                    f"{from_fen(r['debit_fen']):.2f}",
                    f"{from_fen(r['credit_fen']):.2f}",
                    r["counterparty"] or "",
                    r["counterparty_kind"] or "",
                    r["reference"] or "",
                    r["fact_date"].isoformat(),
                    r["kind"],
                    r["entry_id"],
                    r["chart_version"],
                    r["source_notification_id"],
                    r["source_aggregate_id"],
                    r["source_version"],
                    r["source_event_type"],
                    r["actor"],
                    r["authority"] or "",
                    utc(r["recorded_at"]).isoformat(),
                ]
            )
    return rows


def trial_balance_rows(engine: Engine, village: str, as_of: date) -> list[list[str]]:
    with engine.connect() as conn:
        tb = trial_balance(conn, village, as_of)
    rows = [
        [line.account_code, line.account_name, f"{line.debit:.2f}", f"{line.credit:.2f}"]
        for line in tb.lines
    ]
    rows.append(["", "合计", f"{tb.total_debit:.2f}", f"{tb.total_credit:.2f}"])
    return rows


def event_rows(
    store: EventStore, engine: Engine, notification_ids: Sequence[int], checkpoint: Checkpoint
) -> list[list[Any]]:
    """The source events, each checked against its sealed leaf and covered by ``checkpoint``."""
    rows = []
    with engine.connect() as conn:
        tree = StoredTree(conn)
        if tree.root(checkpoint.tree_size) != checkpoint.root:
            raise SealDisagreesWithCheckpoint(
                "the seal no longer gives the latest checkpoint's root; run `qianwan verify`"
            )
        for nid in notification_ids:
            leaf = tree.leaf_of(nid)
            found = store.recorder.select_notifications(start=nid, limit=1, stop=nid)
            data = canonical.of_notification(found[0]) if found else b""
            if leaf is None or not found or leaf_hash(data) != leaf.leaf_hash:
                raise EventNoLongerSealed(f"event {nid} does not match the seal; run verify")
            if leaf.leaf_index >= checkpoint.tree_size:
                raise ExportNotCovered(
                    f"event {nid} was recorded after the latest checkpoint; run "
                    "`qianwan checkpoint` first"
                )
            e = describe(store.mapper.to_domain_event(found[0]))
            rows.append(
                [
                    nid,
                    leaf.leaf_index,
                    leaf.leaf_hash.hex(),
                    str(e.aggregate_id),
                    e.version,
                    e.event_type,
                    e.recorded_at.astimezone(UTC).isoformat(),
                    e.actor,
                    e.authority or "",
                    json.dumps(e.payload, ensure_ascii=False, sort_keys=True),
                    base64.b64encode(data).decode("ascii"),
                ]
            )
    return rows


def export_books(
    store: EventStore,
    engine: Engine,
    checkpoint: Checkpoint | None,
    village: str,
    date_from: date,
    date_to: date,
    out: Path,
) -> Export:
    if checkpoint is None:
        raise NoCheckpointYet("no checkpoint is signed yet: run `qianwan checkpoint` first")
    refuse_directory_in_use(out)
    journal = journal_rows(engine, village, date_from, date_to)
    sources = sorted({int(row[SOURCE_COLUMN]) for row in journal})
    files = {
        "journal.csv": (JOURNAL_HEADER, journal),
        "trial_balance.csv": (TRIAL_BALANCE_HEADER, trial_balance_rows(engine, village, date_to)),
        "events.csv": (EVENTS_HEADER, event_rows(store, engine, sources, checkpoint)),
    }
    described: dict[str, Any] = {}
    for name, (header, rows) in files.items():
        data = csv_bytes(header, rows)
        write_new_file(out / name, data)
        described[name] = {"sha256": hashlib.sha256(data).hexdigest(), "rows": len(rows)}
    manifest = {
        "format": EXPORT_FORMAT,
        "village_code": village,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "exported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "tree_size": checkpoint.tree_size,
        "root": checkpoint.root.hex(),
        "checkpoint": checkpoint.to_json(),
        "files": described,
    }
    write_json_file(out / "manifest.json", manifest)
    return Export(out, manifest)


def refuse_directory_in_use(out: Path) -> None:
    """An export writes into a new or empty directory; every file problem is a coded refusal."""
    try:
        if out.exists() and not out.is_dir():
            raise OutputNotWritable(f"{out} is a file, not a directory", field="out")
        if out.exists() and any(out.iterdir()):
            raise ExportDirectoryNotEmpty(f"{out} is not empty", field="out")
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputNotWritable(
            f"cannot write into {out}: {error.strerror or error}", field="out"
        ) from None


def write_new_file(path: Path, data: bytes) -> None:
    try:
        with path.open("xb") as f:
            f.write(data)
    except OSError as error:
        raise OutputNotWritable(f"cannot write {path}: {error.strerror or error}") from None
