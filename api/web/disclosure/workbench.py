"""The workbench's 村务公开 pages for signed-in users: a village's disclosures with its overdue
periods (/villages/{code}/disclosures) and one disclosure with its state and, for the
accountant, the forms that move it on (/disclosures/{id}: 重新生成, 民主理财小组审核, 公布,
更正). Auditors and the platform read; every rule and mask is the API's."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.responses import Response

from api.web.books.common import village_choices
from api.web.disclosure.notice import DISCLOSURE_FIELDS
from api.web.forms import Choice, Field, FormState, blank_form
from api.web.labels import label
from api.web.pages import PageError, Web, see_other
from api.web.templating import period_zh
from domain.access.roles import Role

READERS = frozenset({Role.ACCOUNTANT, Role.AUDITOR, Role.PLATFORM})
WRITERS = frozenset({Role.ACCOUNTANT})
ERRORS = "errors { code field message }"
MONTHS_OFFERED = 24
QUARTERS_OFFERED = 8

LIST = """
query VillageDisclosures($code: String!) {
  village(code: $code) { code name collectiveName }
  disclosures(villageCode: $code) {
    id period periodStart periodEnd edition state publishedOn correctionReason
    corrects { id edition } correctedBy { id edition }
  }
}
"""
OVERDUE = """
query VillageOverdue($code: String!) {
  overdueDisclosures(placeCode: $code) { villageCode period periodEnd dueOn publishedOn daysLate }
}
"""
ONE = f"""
query WorkbenchDisclosure($id: ID!) {{
  disclosure(id: $id) {{ {DISCLOSURE_FIELDS} }}
}}
"""


REVIEW_FIELDS = [
    Field("held_on", "审核日期", "date", required=True, path="heldOn"),
    Field(
        "members",
        "参加审核的民主理财小组成员",
        "textarea",
        required=True,
        path="members",
        help="每行写一位成员的姓名，3 到 5 人。成员姓名只记录在档，不向公众公开。",
    ),
    Field(
        "approved",
        "审核结论",
        "select",
        required=True,
        path="approved",
        choices=(Choice("yes", "通过"), Choice("no", "不通过")),
    ),
    Field("opinion", "审核意见", "textarea", path="opinion"),
]
PUBLISH_FIELDS = [Field("published_on", "公布日期", "date", required=True, path="publishedOn")]


def ended_periods(today: date) -> list[Choice]:
    """The months and quarters that have ended by ``today``, newest first: what may be drafted
    (the API decides which kind the village's schedule allows)."""
    found: list[Choice] = []
    year, month = today.year, today.month
    for _ in range(MONTHS_OFFERED):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        text = f"{year}-{month:02d}"
        found.append(Choice(text, f"{period_zh(text)}（月度）"))
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(QUARTERS_OFFERED):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        text = f"{year}-Q{quarter}"
        found.append(Choice(text, f"{period_zh(text)}（季度）"))
    return found


def state_label(state: str | None) -> str:
    """草稿, 已审核, 审核未通过, 已公开 (the vocabulary's names, api/web/labels.py)."""
    return label("DisclosureState", str(state or "").lower())


def code_of(web: Web) -> str:
    code = str(web.request.path_params.get("code", ""))
    if not code or len(code) > 40 or any(ord(c) < 32 for c in code):
        raise PageError(404, "village_not_found")
    return code


async def overdue_of(web: Web, code: str) -> list[dict[str, Any]]:
    """The village's overdue periods as of today (the API's findings, scoped like the list)."""
    return list((await web.query(OVERDUE, {"code": code})).get("overdueDisclosures") or [])


async def disclosure_list(web: Web) -> Response:
    code = code_of(web)
    data = await web.query(LIST, {"code": code})
    village = data.get("village")
    if not isinstance(village, dict):
        raise PageError(404, "village_not_found")
    overdue = await overdue_of(web, code)
    late = {row["period"] for row in overdue}
    context = {
        "village": village,
        "disclosures": data.get("disclosures") or [],
        "overdue": overdue,
        "late": late,
        "state_label": state_label,
        "may_write": web.role in WRITERS,
    }
    return web.render("disclosure/list.html", context)


async def disclosure_of(web: Web) -> dict[str, Any]:
    value = str(web.request.path_params.get("disclosure_id", ""))
    if not value or len(value) > 100 or any(ord(c) < 32 for c in value):
        raise PageError(404, "disclosure_not_found")
    found = (await web.query(ONE, {"id": value})).get("disclosure")
    if not isinstance(found, dict):
        raise PageError(404, "disclosure_not_found")
    return found


def show_disclosure(
    web: Web,
    d: dict[str, Any],
    forms: dict[str, FormState] | None = None,
    status: int = 200,
) -> Response:
    today = web.registry.clock.today().isoformat()
    shown = {
        "review": blank_form(REVIEW_FIELDS, {"held_on": today}),
        "publish": blank_form(PUBLISH_FIELDS, {"published_on": today}),
        "rebuild": blank_form([]),
    }
    shown.update(forms or {})
    state = str(d.get("state") or "").upper()
    writer = web.role in WRITERS
    sent = forms or {}  # a refused form is shown again, with its refusal, whatever the state
    context = {
        "d": d,
        "forms": shown,
        "state": state,
        "state_label": state_label(state),
        "may_rebuild": writer and (state in ("DRAFTED", "REJECTED") or "rebuild" in sent),
        "may_review": writer and (state in ("DRAFTED", "REJECTED") or "review" in sent),
        "may_publish": writer and (state == "REVIEWED" or "publish" in sent),
        "may_correct": writer and state == "PUBLISHED" and not d.get("correctedBy"),
    }
    return web.render("disclosure/detail.html", context, status)


async def disclosure_page(web: Web) -> Response:
    return show_disclosure(web, await disclosure_of(web))


async def disclosure_home(web: Web) -> Response:
    """/disclosures: the user's villages, each with a link to its disclosures (straight to the
    list when the user keeps one village)."""
    choices = await village_choices(web)
    if len(choices) == 1:
        return see_other(f"/villages/{choices[0].value}/disclosures")
    return web.render("disclosure/villages.html", {"villages": choices})
