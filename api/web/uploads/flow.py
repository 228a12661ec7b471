"""What every kind of upload shares: the file taken from the form, each row's outcome as the
preview and the result show it (row number, 接受 / 拒绝 with the Chinese message and the code),
the counts, and the pages."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from api.web.messages import message_zh
from api.web.pages import Handler, PageError, Web
from api.web.uploads.pending import PENDING
from api.web.uploads.refusals import UploadMissing, UploadTooLarge
from api.web.uploads.sheets import MAX_FILE_BYTES
from api.web.xlsx import Column, xlsx_response

SHOWN_CHARS = 40  # of each cell, in the preview
STATUS_NAMES = {
    "accepted": "接受",
    "already_recorded": "已导入过",
    "refused": "拒绝",
}


@dataclass(frozen=True)
class Upload:
    content: bytes
    filename: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


async def uploaded(web: Web, name: str = "file") -> Upload:
    """The file the form carries, at most MAX_FILE_BYTES (or ``UploadRefused``)."""
    found = web.form.get(name) if web.form is not None else None
    if not isinstance(found, UploadFile) or not found.filename:
        raise UploadMissing()
    content = await found.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise UploadTooLarge()
    return Upload(content, found.filename[-200:])


def row_view(number: int, shown: Sequence[Any], code: str | None = None) -> dict[str, Any]:
    """A row as the pages show it; refused by the page itself when ``code`` is given."""
    texts = [str(v) if len(str(v)) <= SHOWN_CHARS else str(v)[:SHOWN_CHARS] + "…" for v in shown]
    view: dict[str, Any] = {"number": number, "shown": texts, "sent": None}
    view.update(status=None, code=None, message=None)
    if code is not None:
        refuse(view, code)
    return view


def refuse(view: dict[str, Any], code: str) -> None:
    view.update(status="refused", code=code, message=message_zh(code))


def apply_outcomes(
    views: list[dict[str, Any]], outcomes: Sequence[dict[str, Any]], replayed: bool = False
) -> None:
    """The API's outcome of each row sent, in the order sent, onto the rows' views."""
    sent = [v for v in views if v["sent"] is not None]
    for view, outcome in zip(sent, outcomes, strict=False):
        status = str(outcome.get("status") or "refused")
        if replayed and status == "accepted":
            status = "already_recorded"
        if status == "refused":
            refuse(view, str(outcome.get("reasonCode") or "invalid_input"))
        else:
            view.update(status=status, code=None, message=None)


def counts(views: Sequence[dict[str, Any]]) -> dict[str, int]:
    statuses = [v.get("status") for v in views]
    return {s: statuses.count(s) for s in STATUS_NAMES}


def whole_refusal(answer_errors: Sequence[Any], payload: dict[str, Any] | None) -> list[str]:
    """Codes refusing the upload as a whole (the answer's errors, the payload's errors)."""
    codes = [e.code for e in answer_errors]
    codes += [str(e.get("code")) for e in (payload or {}).get("errors") or []]
    return codes


def preview_page(
    web: Web,
    kind: str,
    title: str,
    headers: Sequence[str],
    views: list[dict[str, Any]],
    target: str,
    upload: Upload,
    blank_rows: int,
    problems: Sequence[str] = (),
) -> Response:
    tally = counts(views)
    return web.render(
        "uploads/preview.html",
        {
            "kind": kind,
            "title": title,
            "headers": headers,
            "rows": views,
            "target": target,
            "sha256": upload.sha256,
            "filename": upload.filename,
            "blank_rows": blank_rows,
            "tally": tally,
            "statuses": STATUS_NAMES,
            "problems": [message_zh(c) + f"（{c}）" for c in problems],
            "can_confirm": tally["accepted"] > 0 and not problems,
        },
        status=400 if problems else 200,
    )


def result_page(
    web: Web,
    kind: str,
    title: str,
    headers: Sequence[str],
    views: list[dict[str, Any]],
    target: str,
    sha256: str,
) -> Response:
    return web.render(
        "uploads/result.html",
        {
            "kind": kind,
            "target": target,
            "sha256": sha256,
            "title": title,
            "headers": headers,
            "rows": views,
            "tally": counts(views),
            "statuses": STATUS_NAMES,
        },
    )


def outcomes_download(kind: str, title: str, headers: Sequence[str]) -> Handler:
    """The rows of an upload with their outcomes as xlsx (the preview's, or the result's once
    confirmed), for the user who uploaded it, while it is kept."""

    async def download(web: Web) -> Response:
        params = web.request.query_params
        owner = web.principal.token_id
        found = PENDING.get(owner, kind, params.get("target", ""), params.get("sha256", ""))
        if found is None:
            raise PageError(404, "upload_expired")
        columns = [Column("行号", "int", 8), *(Column(h) for h in headers)]
        columns += [Column("结果", width=10), Column("说明", width=40), Column("代码", width=24)]
        rows = [
            [
                r["number"],
                *r["shown"],
                STATUS_NAMES.get(r["status"] or "", ""),
                r["message"] or "",
                r["code"] or "",
            ]
            for r in found.rows
        ]
        return xlsx_response(f"{title}-导入结果.xlsx", title, columns, rows)

    return download
