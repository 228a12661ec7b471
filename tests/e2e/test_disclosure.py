"""Disclosures (村务公开) over GraphQL, on SQLite and PostgreSQL: drafted, reviewed, published
and read by the public role in process (the public pages' way); the public sees published ones
only, a natural person's name masked, no member of the finance group; scope and role refusals;
every refusal a code with nothing recorded (docs/rules.md D-01 … D-09, R-01)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from api.auth.public import PUBLIC_PRINCIPAL
from api.schema import build_schema
from api.web.graphql import run_as
from tests.e2e.conftest import Api
from tests.support import OTHER_VILLAGE, VILLAGE, contracted_building, lease_contract

FIELDS = """
  id villageCode villageName period periodStart periodEnd edition state correctionReason
  corrects { id edition } correctedBy { id edition }
  builtAt sealPosition sealSize sealRoot sealRootMatches
  incomeAndExpenses { accountCode accountName lineName side amount }
  totalIncome totalExpenses netIncome
  leases { assetCode assetName contractNo kind counterparty counterpartyKind termStart termEnd
           annualRent received arrears }
  landEntries { parcelCode contractPrice levyAssessed levyPaid membersShare retainedShare }
  distributions { parcelCode amount }
  meals { elders meals price government collective coPayment }
  review { heldOn approved opinion memberCount members }
  publishedOn
"""
PAYLOAD = "errors { code field message } disclosure { id state edition }"
DRAFT = f"""
mutation($village: String!, $period: String!, $corrects: ID, $reason: String, $key: String) {{
  draftDisclosure(villageCode: $village, period: $period, corrects: $corrects, reason: $reason,
                  idempotencyKey: $key) {{ {PAYLOAD} }}
}}"""
REBUILD = f"mutation($id: ID!) {{ rebuildDisclosure(id: $id) {{ {PAYLOAD} }} }}"
REVIEW = f"""
mutation($id: ID!, $on: Date!, $members: [String!]!, $approved: Boolean!) {{
  reviewDisclosure(id: $id, heldOn: $on, members: $members, approved: $approved,
                   opinion: "账实相符") {{ {PAYLOAD} }}
}}"""
PUBLISH = f"""
mutation($id: ID!, $on: Date) {{ publishDisclosure(id: $id, publishedOn: $on) {{ {PAYLOAD} }} }}"""
PUBLISHED = f"""
query($village: String!) {{ publishedDisclosures(villageCode: $village) {{ {FIELDS} }} }}"""
PUBLISHED_ONE = f"query($id: ID!) {{ publishedDisclosure(id: $id) {{ {FIELDS} }} }}"
ALL = f"query($village: String!) {{ disclosures(villageCode: $village) {{ {FIELDS} }} }}"
ONE = f"query($id: ID!) {{ disclosure(id: $id) {{ {FIELDS} }} }}"
OVERDUE = """
query($place: String!, $on: Date) {
  overdueDisclosures(placeCode: $place, asOn: $on) {
    villageCode period dueOn publishedOn daysLate
  }
}"""
MEMBERS = ["王一", "李二", "张三"]
LESSEE = "王小明"


def last(api: Api) -> int:
    return api.registry.store.last_notification_id()


def public(api: Api, document: str, variables: dict[str, Any]) -> Any:
    answer = run_as(
        api.registry, build_schema(api.registry.clock), PUBLIC_PRINCIPAL, document, variables
    )
    return answer


def last_month(api: Api) -> str:
    today = api.registry.clock.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def draft(api: Api, period: str, **more: Any) -> dict[str, Any]:
    payload: dict[str, Any] = api.data(DRAFT, {"village": VILLAGE, "period": period, **more})[
        "draftDisclosure"
    ]
    return payload


def refused(api: Api, document: str, variables: dict[str, Any], field: str, code: str) -> None:
    before = last(api)
    payload = api.data(document, variables)[field]
    assert [e["code"] for e in payload["errors"]] == [code], payload
    assert payload["disclosure"] is None
    assert last(api) == before, "a refused command recorded something"


def published(api: Api) -> dict[str, Any]:
    """A lease to a natural person; last month's disclosure drafted, reviewed and published."""
    contract = replace(lease_contract(), counterparty_name=LESSEE, counterparty_kind="person")
    contracted_building(api.registry.assets, contract)
    period = last_month(api)
    made = draft(api, period)
    assert made["errors"] == [], made
    did = made["disclosure"]["id"]
    today = api.registry.clock.today()
    reviewed = api.data(REVIEW, {"id": did, "on": str(today), "members": MEMBERS, "approved": True})
    assert reviewed["reviewDisclosure"]["disclosure"]["state"] == "reviewed"
    done = api.data(PUBLISH, {"id": did})["publishDisclosure"]
    assert done["errors"] == [] and done["disclosure"]["state"] == "published", done
    return {"id": did, "period": period}


def test_draft_review_publish_and_the_public_reads_it_masked(api: Api) -> None:
    made = published(api)
    answer = public(api, PUBLISHED, {"village": VILLAGE})
    assert answer.errors == [], answer.errors
    [found] = answer.data["publishedDisclosures"]
    assert found["id"] == made["id"] and found["state"] == "published"
    assert found["villageName"] == "乌村桥村" and found["period"] == made["period"]
    assert found["review"]["memberCount"] == 3 and found["review"]["members"] is None
    [lease] = found["leases"]
    assert lease["counterparty"] == "王*" and lease["annualRent"] == "30000.00"
    assert len(found["sealRoot"]) == 64 and found["sealPosition"] > 0
    assert found["sealRootMatches"] is True
    whole = json.dumps(answer.data, ensure_ascii=False)
    for secret in [LESSEE, *MEMBERS]:
        assert secret not in whole
    # the accountant of the village reads the names in clear
    mine = api.data(ONE, {"id": made["id"]})["disclosure"]
    assert mine["leases"][0]["counterparty"] == LESSEE
    assert mine["review"]["members"] == MEMBERS
    platform = api.platform.data(ONE, {"id": made["id"]})["disclosure"]
    assert platform["leases"][0]["counterparty"] == "王*"
    assert platform["review"]["members"] is None


def test_the_public_sees_no_draft_and_no_records(api: Api) -> None:
    made = draft(api, last_month(api))
    did = made["disclosure"]["id"]
    assert public(api, PUBLISHED_ONE, {"id": did}).data == {"publishedDisclosure": None}
    assert public(api, PUBLISHED, {"village": VILLAGE}).data == {"publishedDisclosures": []}
    for document, variables in ((ONE, {"id": did}), (ALL, {"village": VILLAGE})):
        answer = public(api, document, variables)
        assert [p.code for p in answer.errors] == ["FORBIDDEN"], answer.errors
    answer = public(api, DRAFT, {"village": VILLAGE, "period": last_month(api)})
    assert [p.code for p in answer.errors] == ["FORBIDDEN"]
    # the accountant sees the draft
    assert [d["id"] for d in api.data(ALL, {"village": VILLAGE})["disclosures"]] == [did]


def test_a_running_period_is_refused_and_nothing_recorded(api: Api) -> None:
    today = api.registry.clock.today()
    running = f"{today.year:04d}-{today.month:02d}"
    variables = {"village": VILLAGE, "period": running}
    refused(api, DRAFT, variables, "draftDisclosure", "disclosure_period_not_ended")
    variables = {"village": VILLAGE, "period": f"{today.year:04d}-Q9"}
    refused(api, DRAFT, variables, "draftDisclosure", "disclosure_period_invalid")


def test_publish_needs_an_approved_review_and_a_published_one_is_fixed(api: Api) -> None:
    made = draft(api, last_month(api))
    did = made["disclosure"]["id"]
    refused(api, PUBLISH, {"id": did}, "publishDisclosure", "disclosure_not_approved")
    today = str(api.registry.clock.today())
    bad = {"id": did, "on": today, "members": ["王一", "王一", "李二"], "approved": True}
    refused(api, REVIEW, bad, "reviewDisclosure", "disclosure_review_members_invalid")
    ok = {"id": did, "on": today, "members": MEMBERS, "approved": True}
    api.data(REVIEW, ok)
    refused(api, REBUILD, {"id": did}, "rebuildDisclosure", "disclosure_approved")
    api.data(PUBLISH, {"id": did})
    refused(api, PUBLISH, {"id": did}, "publishDisclosure", "disclosure_published")
    refused(api, REVIEW, ok, "reviewDisclosure", "disclosure_published")
    refused(api, REBUILD, {"id": did}, "rebuildDisclosure", "disclosure_published")


def test_a_correction_names_the_published_edition_and_says_why(api: Api) -> None:
    made = published(api)
    period = made["period"]
    refused(
        api,
        DRAFT,
        {"village": VILLAGE, "period": period},
        "draftDisclosure",
        "disclosure_published_exists",
    )
    variables = {"village": VILLAGE, "period": period, "corrects": made["id"]}
    refused(api, DRAFT, variables, "draftDisclosure", "disclosure_correction_reason_missing")
    fixed = draft(api, period, corrects=made["id"], reason="租金收入漏记")
    assert fixed["errors"] == [] and fixed["disclosure"]["edition"] == 2
    both = api.data(ALL, {"village": VILLAGE})["disclosures"]
    assert [d["edition"] for d in both] == [2, 1]
    assert both[0]["corrects"]["id"] == made["id"] and both[1]["correctedBy"]["edition"] == 2
    # the public does not see the unpublished correction
    [first] = public(api, PUBLISHED, {"village": VILLAGE}).data["publishedDisclosures"]
    assert first["correctedBy"] is None
    refused(
        api, DRAFT, {**variables, "reason": "再改"}, "draftDisclosure", "disclosure_open_exists"
    )


def test_scope_an_accountant_of_another_village_is_refused(api: Api) -> None:
    made = draft(api, last_month(api))
    other = api.as_role("accountant", [OTHER_VILLAGE])
    assert other.token  # issued before counting
    before = last(api)
    for document, variables in (
        (ONE, {"id": made["disclosure"]["id"]}),
        (ALL, {"village": VILLAGE}),
        (REBUILD, {"id": made["disclosure"]["id"]}),
        (DRAFT, {"village": VILLAGE, "period": last_month(api)}),
    ):
        body = other.post(document, variables).json()
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
    assert last(api) == before


@pytest.mark.parametrize(
    "period", ["", "2026-13", "2026-Q0", "\x00", "9999-01", "1799-12", "2026-03-01", "x" * 5000]
)
def test_hostile_periods_are_refused_with_a_code(api: Api, period: str) -> None:
    before = last(api)
    body = api.post(DRAFT, {"village": VILLAGE, "period": period}).json()
    if "errors" in body:  # refused at the boundary (text rule, limits)
        assert all(e["extensions"]["code"] != "INTERNAL_SERVER_ERROR" for e in body["errors"])
    else:
        codes = [e["code"] for e in body["data"]["draftDisclosure"]["errors"]]
        assert codes and codes[0] in {
            "disclosure_period_invalid",
            "text_contains_forbidden_character",
            "invalid_input",
        }, codes
    assert last(api) == before


def test_overdue_findings_list_the_unpublished_periods(api: Api) -> None:
    made = published(api)
    today = api.registry.clock.today()
    found = api.platform.data(OVERDUE, {"place": "320117", "on": str(today)})["overdueDisclosures"]
    periods = {(f["villageCode"], f["period"]) for f in found}
    assert (VILLAGE, made["period"]) not in periods
    assert any(v == VILLAGE for v, _ in periods)  # earlier months since the first posting
    assert all(f["daysLate"] > 0 for f in found)
    assert date.fromisoformat(found[0]["dueOn"]) < today


@pytest.mark.parametrize("code", ["x", "", "32011710720", "3201171072060", "\x00" * 12])
def test_hostile_village_codes_are_refused_with_a_code(api: Api, code: str) -> None:
    for document in (PUBLISHED, ALL):
        body = api.post(document, {"village": code}).json()
        codes = [e["extensions"]["code"] for e in body["errors"]]
        assert codes and "internal_error" not in codes, body
    answer = public(api, PUBLISHED, {"village": code})
    assert answer.errors and all(p.code != "internal_error" for p in answer.errors)


@pytest.mark.parametrize("on", ["1800-01-01", "2999-12-31", "0001-01-01", "2026-02-30"])
def test_overdue_findings_at_the_calendars_ends(api: Api, on: str) -> None:
    body = api.platform.post(OVERDUE, {"place": VILLAGE, "on": on}).json()
    codes = [e["extensions"]["code"] for e in body.get("errors", [])]
    assert "internal_error" not in codes, body
    if not codes:
        assert isinstance(body["data"]["overdueDisclosures"], list)


def test_a_draft_retried_with_its_idempotency_key_records_nothing(api: Api) -> None:
    variables = {"village": VILLAGE, "period": last_month(api), "key": "draft-1"}
    first = api.data(DRAFT, variables)["draftDisclosure"]
    before = last(api)
    again = api.data(DRAFT, variables)["draftDisclosure"]
    assert again == first and last(api) == before
    other = api.data(DRAFT, {**variables, "period": "2026-01"})["draftDisclosure"]
    assert [e["code"] for e in other["errors"]] == ["idempotency_key_reused"]
    assert last(api) == before


def test_the_public_reads_places_but_no_records(api: Api) -> None:
    names = public(api, f'{{ village(code: "{VILLAGE}") {{ name town {{ name }} }} }}', {})
    assert names.errors == [] and names.data["village"]["name"] == "乌村桥村"
    for document in (
        "{ assets { totalCount } }",
        f'{{ village(code: "{VILLAGE}") {{ assets {{ totalCount }} }} }}',
        OVERDUE,
    ):
        answer = public(api, document, {"place": "320117"} if document == OVERDUE else {})
        assert "FORBIDDEN" in [p.code for p in answer.errors], (document, answer)
