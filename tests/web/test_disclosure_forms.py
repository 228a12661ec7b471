"""The workbench's 村务公开 pages, on SQLite and PostgreSQL: a village's list with its overdue
periods; the draft, 更正, 重新生成, review and publish forms, each accepted (recorded, redirect)
and refused (400, the Chinese message beside its field, the values kept, nothing recorded);
roles (the accountant writes, the auditor and the platform read, the platform without the
members' names) and villages outside the user's scope."""

from __future__ import annotations

import re

import httpx

from api.web.messages import message_zh
from tests.support import OTHER_VILLAGE, VILLAGE
from tests.web.conftest import WebClient, csrf_in
from tests.web.disclosure_support import (
    LESSEE,
    MEMBERS,
    drafted,
    last_month,
    published,
    with_people,
)

_KEY = re.compile(r'name="idempotency_key" value="([^"]*)"')


def last(web: WebClient) -> int:
    return web.registry.store.last_notification_id()


def error_beside(html: str, field: str) -> str:
    """The refusal shown in the field ``field``'s block (empty when none)."""
    found = re.search(
        rf'<div class="field invalid[^"]*">\s*<label for="f-{field}"'
        r'.*?<p class="error"[^>]*>([^<]*)</p>',
        html,
        re.S,
    )
    return found.group(1) if found else ""


def refused(answer: httpx.Response, field: str, code: str) -> None:
    assert answer.status_code == 400, answer.text[:2000]
    assert error_beside(answer.text, field) == message_zh(code), answer.text[:3000]


def test_the_list_shows_the_village_s_disclosures_for_every_reader(web: WebClient) -> None:
    month = last_month(web.registry)
    did = drafted(web.registry, month.period)
    for client in (web, web.as_role("auditor"), web.as_role("platform")):
        answer = client.get(f"/villages/{VILLAGE}/disclosures")
        assert answer.status_code == 200, (client.role, answer.text[:500])
        assert f"/disclosures/{did}" in answer.text and "草稿" in answer.text
        assert client.get(f"/disclosures/{did}").status_code == 200
    assert "编制公开表" in web.get(f"/villages/{VILLAGE}/disclosures").text
    assert "编制公开表" not in web.as_role("auditor").get(f"/villages/{VILLAGE}/disclosures").text
    home = web.get("/disclosures", follow_redirects=False)
    assert home.status_code == 200 and f"/villages/{OTHER_VILLAGE}/disclosures" in home.text
    assert "/disclosures" in web.get("/").text


def test_roles_and_villages_outside_the_scope_are_refused(web: WebClient) -> None:
    month = last_month(web.registry)
    did = drafted(web.registry, month.period)
    assert web.as_role("admin").get(f"/villages/{VILLAGE}/disclosures").status_code == 403
    stranger = web.as_role("accountant", [OTHER_VILLAGE])
    assert stranger.get(f"/villages/{VILLAGE}/disclosures").status_code == 403
    assert stranger.get(f"/disclosures/{did}").status_code in (403, 404)
    auditor = web.as_role("auditor")
    before = last(web)
    answer = auditor.post(f"/disclosures/{did}/review", {"held_on": "2026-01-01"})
    assert answer.status_code == 403
    answer = stranger.post(f"/villages/{VILLAGE}/disclosures/new", {"period": month.period})
    assert answer.status_code == 403
    assert last(web) == before


def test_overdue_periods_are_highlighted(web: WebClient) -> None:
    with_people(web.registry)  # the lease is booked from April 2024: its months are due
    answer = web.get(f"/villages/{VILLAGE}/disclosures")
    assert answer.status_code == 200
    overdue = answer.text[answer.text.index('<section id="overdue">') :]
    assert "逾期未公开" in overdue and '<tr class="overdue"><td>2024年4月</td>' in overdue
    assert "尚未公布" in overdue


def test_drafting_through_the_form_records_once_and_refusals_record_nothing(
    web: WebClient,
) -> None:
    month = last_month(web.registry)
    form = web.get(f"/villages/{VILLAGE}/disclosures/new")
    assert form.status_code == 200 and f'value="{month.period}"' in form.text
    key = _KEY.search(form.text)
    assert key is not None and csrf_in(form.text) == web.csrf

    before = last(web)
    running = web.registry.clock.today().strftime("%Y-%m")
    answer = web.post(f"/villages/{VILLAGE}/disclosures/new", {"period": running})
    assert answer.status_code == 400 and error_beside(answer.text, "period")
    answer = web.post(f"/villages/{VILLAGE}/disclosures/new", {"period": "2026-13"})
    assert answer.status_code == 400 and error_beside(answer.text, "period")
    assert last(web) == before, "a refused draft recorded something"

    data = {"period": month.period, "idempotency_key": key.group(1)}
    done = web.post(f"/villages/{VILLAGE}/disclosures/new", data)
    assert done.status_code == 303, done.text[:2000]
    target = done.headers["location"]
    assert target.startswith("/disclosures/") and target.endswith("?done=recorded")
    after = last(web)
    again = web.post(f"/villages/{VILLAGE}/disclosures/new", data)  # a double click
    assert again.status_code == 303 and last(web) == after
    page = web.get(target)
    assert page.status_code == 200 and 'id="state">草稿<' in page.text
    assert "民主理财小组审核" in page.text


def test_review_and_publish_refused_beside_their_fields_then_accepted(web: WebClient) -> None:
    month = with_people(web.registry)
    did = drafted(web.registry, month.period)
    today = web.registry.clock.today().isoformat()
    before = last(web)

    too_few = {"held_on": today, "members": "李民主\n赵理财", "approved": "yes", "opinion": "好"}
    answer = web.post(f"/disclosures/{did}/review", too_few)
    assert answer.status_code == 400 and error_beside(answer.text, "members")
    assert "李民主\n赵理财" in answer.text  # the values are kept
    bad_day = {**too_few, "members": "\n".join(MEMBERS), "held_on": "2026-02-30"}
    answer = web.post(f"/disclosures/{did}/review", bad_day)
    assert answer.status_code == 400 and error_beside(answer.text, "held_on")
    early = {**bad_day, "held_on": "2000-01-01"}
    answer = web.post(f"/disclosures/{did}/review", early)
    assert answer.status_code == 400 and error_beside(answer.text, "held_on")
    no_verdict = {**bad_day, "held_on": today, "approved": ""}
    answer = web.post(f"/disclosures/{did}/review", no_verdict)
    assert answer.status_code == 400 and error_beside(answer.text, "approved")
    answer = web.post(f"/disclosures/{did}/publish", {"published_on": today})
    assert answer.status_code == 400  # not reviewed yet
    assert last(web) == before, "a refused form recorded something"

    reviewed = web.post(f"/disclosures/{did}/review", {**no_verdict, "approved": "yes"})
    assert reviewed.status_code == 303, reviewed.text[:2000]
    page = web.get(f"/disclosures/{did}")
    assert 'id="state">已审核<' in page.text and "李民主" in page.text and LESSEE in page.text
    platform = web.as_role("platform").get(f"/disclosures/{did}").text
    assert "李民主" not in platform and LESSEE not in platform and "王*" in platform

    before = last(web)
    answer = web.post(f"/disclosures/{did}/publish", {"published_on": "2000-01-01"})
    assert answer.status_code == 400 and error_beside(answer.text, "published_on")
    assert last(web) == before
    done = web.post(f"/disclosures/{did}/publish", {"published_on": today})
    assert done.status_code == 303, done.text[:2000]
    assert 'id="state">已公开<' in web.get(f"/disclosures/{did}").text
    assert web.anonymous().get(f"/public/disclosures/{did}").status_code == 200

    before = last(web)
    answer = web.post(f"/disclosures/{did}/rebuild", {})
    assert answer.status_code == 400 and 'class="form-error"' in answer.text
    assert last(web) == before, "a published disclosure was rebuilt"


def test_rebuild_accepted_on_a_draft(web: WebClient) -> None:
    month = last_month(web.registry)
    did = drafted(web.registry, month.period)
    before = last(web)
    answer = web.post(f"/disclosures/{did}/rebuild", {})
    assert answer.status_code == 303 and last(web) == before + 1


def test_a_correction_needs_its_reason_then_is_drafted(web: WebClient) -> None:
    month = last_month(web.registry)
    first = published(web.registry, month.period)
    page = web.get(f"/disclosures/{first}")
    assert f"/villages/{VILLAGE}/disclosures/new?corrects={first}" in page.text
    form = web.get(f"/villages/{VILLAGE}/disclosures/new?corrects={first}")
    assert form.status_code == 200 and "更正原因" in form.text
    data = {"correcting": "1", "period": month.period, "corrects": str(first), "reason": ""}
    before = last(web)
    answer = web.post(f"/villages/{VILLAGE}/disclosures/new", data)
    assert answer.status_code == 400 and error_beside(answer.text, "reason")
    assert last(web) == before
    done = web.post(f"/villages/{VILLAGE}/disclosures/new", {**data, "reason": "补记租金"})
    assert done.status_code == 303, done.text[:2000]
    second = web.get(done.headers["location"]).text
    assert "第2版" in second and "补记租金" in second


def test_hostile_and_wrong_values_are_refused_beside_their_fields(web: WebClient) -> None:
    month = last_month(web.registry)
    did = drafted(web.registry, month.period)
    today = web.registry.clock.today().isoformat()
    good = {"held_on": today, "members": "\n".join(MEMBERS), "approved": "yes"}
    before = last(web)
    for opinion in ("控制\x00字符", "长" * 5000):
        answer = web.post(f"/disclosures/{did}/review", {**good, "opinion": opinion})
        assert answer.status_code == 400 and error_beside(answer.text, "opinion"), opinion[:5]
    twice = {**good, "members": "\n".join([MEMBERS[0], MEMBERS[1], MEMBERS[0]])}
    answer = web.post(f"/disclosures/{did}/review", twice)
    assert answer.status_code == 400 and error_beside(answer.text, "members")
    quarter = f"{month.period_end.year}-Q{(month.period_end.month - 1) // 3 + 1}"
    answer = web.post(f"/villages/{VILLAGE}/disclosures/new", {"period": quarter})
    assert answer.status_code == 400 and error_beside(answer.text, "period")  # monthly here
    answer = web.post(f"/villages/{VILLAGE}/disclosures/new", {"period": "<script>"})
    assert answer.status_code == 400 and "<script>" not in answer.text
    assert last(web) == before, "a refused form recorded something"
