"""What the asset pages' tests share: reading the refusals beside the fields of a page, a form
posted and accepted or refused (nothing recorded), and the typed values of each form."""

from __future__ import annotations

import re
from uuid import UUID

from api.web.messages import message_zh
from tests.support import VILLAGE
from tests.web.conftest import WebClient

ERROR = re.compile(r'<p class="error" id="e-([a-z_0-9]+)" role="alert">([^<]*)</p>')


def errors_of(html: str) -> dict[str, str]:
    return {name: text for name, text in ERROR.findall(html)}


def recorded(web: WebClient) -> int:
    return web.registry.store.last_notification_id() or 0


def refused_beside(web: WebClient, path: str, data: dict[str, str], field: str, code: str) -> str:
    """POST ``data``: a 400 page with ``code``'s Chinese message beside ``field``, nothing
    recorded."""
    before = recorded(web)
    answer = web.post(path, data)
    assert answer.status_code == 400, answer.text[-800:]
    assert errors_of(answer.text).get(field) == message_zh(code), errors_of(answer.text)
    assert recorded(web) == before
    return answer.text


def accepted(web: WebClient, path: str, data: dict[str, str], asset_id: UUID | None) -> str:
    before = recorded(web)
    answer = web.post(path, data)
    assert answer.status_code == 303, errors_of(answer.text) or answer.text[-800:]
    target = answer.headers["location"]
    assert target.endswith("?done=recorded")
    if asset_id is not None:
        assert target == f"/assets/{asset_id}?done=recorded"
    assert recorded(web) > before
    return target


def registration(**changes: str) -> dict[str, str]:
    return {
        "village": VILLAGE,
        "asset_code": "ZC-101",
        "name": "老粮站",
        "kind": "collective_building",
        "area_m2": "450.25",
        "location": "乌村桥村3组",
        "registered_on": "2024-05-06",
        "book_value": "86000",
        **changes,
    }


def minutes(**changes: str) -> dict[str, str]:
    return {
        "outcome": "approved",
        "matter": "lease",
        "reference": "乌村桥村决〔2024〕9号",
        "meeting_kind": "representatives_meeting",
        "held_on": "2024-04-10",
        "members_total": "30",
        "members_present": "28",
        "votes_for": "21",
        "counted_against": "total",
        **changes,
    }


def lease(**changes: str) -> dict[str, str]:
    return {
        "contract_no": "HT-201",
        "mode": "lease",
        "counterparty_name": "溧水某农业合作社",
        "counterparty_kind": "organization",
        "signed_on": "2024-04-20",
        "start_on": "2024-05-01",
        "end_on": "2026-04-30",
        "rent_schedule": "2024-05-01 12000 2024-05-01 2025-04-30\n"
        "2025-05-01, 12000, 2025-05-01, 2026-04-30",
        **changes,
    }


def bill(**changes: str) -> dict[str, str]:
    return {
        "invoice_no": "ZD-101",
        "amount": "30000",
        "issued_on": "2024-04-01",
        "due_on": "2024-04-30",
        "covers_from": "2024-04-01",
        "covers_to": "2025-03-31",
        **changes,
    }
