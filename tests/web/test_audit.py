"""The auditor's pages: an object's history with actor and authority and its state at a version
or time; the findings of meal assistance with the meals behind each (and their xlsx); the seal's
state after ``qianwan verify`` recorded its outcome; who may see what."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from openpyxl import load_workbook

from api.web.labels import label
from api.web.messages import message_zh
from domain.meals.application import MealsApplication
from domain.shared.history import notification_ids
from qianwan.bootstrap import Registry
from scripts.cli import main
from tests.audit_support import change_one_byte
from tests.support import (
    ACCOUNTANT,
    OPERATOR,
    OTHER_VILLAGE,
    VILLAGE,
    enrol_elder,
    leased_building,
    meal,
    meals_registry,
    register_canteen,
)
from tests.web.conftest import WebClient

MAY = {"date_from": "2024-05-01", "date_to": "2024-05-31"}
AFTER_DEATH = label("FindingKind", "meal_after_death")


def text_of(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)<', page, re.S)
    assert found is not None, f"no element {element_id}"
    return html.unescape(found.group(1)).strip()


@pytest.fixture
def auditor(web: WebClient) -> WebClient:
    return web.as_role("auditor")


@pytest.fixture
def asset(web: WebClient) -> UUID:
    return leased_building(web.registry.assets)


@pytest.fixture
def died(web: WebClient) -> tuple[MealsApplication, UUID, UUID]:
    """Meals on 1–5 May for 张桂英, who died on 3 May: the meals of 4 and 5 May are voided."""
    meals = meals_registry(web.registry)
    point = register_canteen(meals)
    elder = enrol_elder(meals)
    days = [date(2024, 5, d) for d in range(1, 6)]
    meals.record_meals(point, "B1", [meal(f"{d}", elder, f"{d} 11:30") for d in days], OPERATOR)
    meals.record_death(elder, date(2024, 5, 3), date(2024, 5, 10), ACCOUNTANT)
    return meals, point, elder


# -- finding an object, its history and its state ------------------------------------------------


def test_an_auditor_finds_an_asset_by_its_code_and_opens_its_history(
    auditor: WebClient, asset: UUID
) -> None:
    page = auditor.get("/audit", params={"kind": "asset", "village": VILLAGE, "q": "zc-001"})
    assert page.status_code == 200
    assert f'href="/audit/asset/{asset}"' in page.text
    listed = auditor.get("/audit", params={"kind": "asset", "q": "zc-001", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(listed.content)).active
    assert sheet is not None and [c.value for c in sheet[2]][:2] == ["ZC-001", "村部旧楼"]
    none = auditor.get("/audit", params={"kind": "asset", "q": "没有这个"})
    assert f"/audit/asset/{asset}" not in none.text and "暂无记录" in none.text

    history = auditor.get(f"/audit/asset/{asset}")
    assert history.status_code == 200
    assert "资产登记" in history.text and "签订合同" in history.text  # types in Chinese
    assert "accountant:test" in history.text and "村务记录" in history.text  # actor, authority
    first = notification_ids(auditor.registry.store, asset)[1]
    link = f"/books/events/{first}?aggregate={asset}&amp;version=1"
    assert f'href="{link}"' in history.text
    assert auditor.get(html.unescape(link)).status_code == 200  # the link leads somewhere


def test_the_state_at_an_earlier_version_or_time_differs_from_now(
    auditor: WebClient, asset: UUID
) -> None:
    registry = auditor.registry
    versions = len(notification_ids(registry.store, asset))
    registry.assets.invoice_rent(
        asset,
        "FP-001",
        "30000",
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2025, 3, 31),
        ACCOUNTANT,
    )
    now = auditor.get(f"/audit/asset/{asset}")
    assert f"第 {versions + 1} 版" in now.text and 'class="changed"' not in now.text

    then = auditor.get(f"/audit/asset/{asset}", params={"version": "1"})
    assert then.status_code == 200
    assert "第 1 版" in then.text and f"现在（第 {versions + 1} 版）" in then.text
    assert 'class="changed"' in then.text  # the status and the invoices moved on since

    # As it stood when its first event was recorded (a time, in any zone's notation).
    moment: str = registry.store.repository.get(asset).created_on.isoformat()
    at = auditor.get(f"/audit/asset/{asset}", params={"at": moment})
    assert at.status_code == 200 and "第 1 版" in at.text and 'class="changed"' in at.text

    sheet = load_workbook(
        io.BytesIO(auditor.get(f"/audit/asset/{asset}/state.xlsx?version=1").content)
    ).active
    assert sheet is not None and [c.value for c in sheet[1]] == ["项目", "当时", "现在"]


def test_a_refused_version_or_time_is_shown_beside_its_field_and_records_nothing(
    auditor: WebClient, asset: UUID
) -> None:
    before = auditor.registry.store.last_notification_id()
    late = auditor.get(f"/audit/asset/{asset}", params={"version": "999"})
    assert late.status_code == 400
    assert text_of(late.text, "e-version") == message_zh("version_not_recorded")
    bad = auditor.get(f"/audit/asset/{asset}", params={"at": "明天<script>"})
    assert bad.status_code == 400 and "<script>" not in bad.text
    assert text_of(bad.text, "e-at") == message_zh("time_invalid")
    assert "资产登记" in bad.text  # the history is still shown
    assert auditor.registry.store.last_notification_id() == before


@pytest.mark.parametrize(
    "path",
    [
        "/audit/asset/not-an-id",
        "/audit/asset/%00",
        "/audit/nothing/00000000-0000-0000-0000-000000000000",
        "/audit/asset/00000000-0000-0000-0000-000000000000",
        "/audit?kind=%00&q=%E2%80%AE<script>alert(1)</script>",
        "/audit/findings?date_from=2024-13-01&date_to=%00",
    ],
)
def test_hostile_addresses_are_refused_or_escaped_never_a_500(
    auditor: WebClient, path: str
) -> None:
    before = auditor.registry.store.last_notification_id()
    answer = auditor.get(path)
    assert answer.status_code in (200, 400, 404)
    assert "<script>alert" not in answer.text and "<html" in answer.text
    assert auditor.registry.store.last_notification_id() == before


def test_the_history_downloads_as_xlsx(auditor: WebClient, asset: UUID) -> None:
    answer = auditor.get(f"/audit/asset/{asset}/xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:4] == ["版本", "日志位置", "记录时间（北京时间）", "类型"]
    assert sheet["D2"].value == "资产登记" and sheet["F2"].value == "accountant:test"


def test_histories_and_the_seal_are_the_auditors_alone(web: WebClient, asset: UUID) -> None:
    for role in ("accountant", "platform", "admin"):
        client = web if role == "accountant" else web.as_role(role)
        for path in ("/audit", f"/audit/asset/{asset}", "/audit/seal"):
            assert client.get(path).status_code == 403, (role, path)
        assert ">审计查询<" not in client.get("/").text  # no link to a page that would refuse


def test_an_auditor_of_one_village_cannot_open_another_villages_asset(web: WebClient) -> None:
    other = leased_building(web.registry.assets, "ZC-009")
    limited = web.as_role("auditor", [OTHER_VILLAGE])
    before = web.registry.store.last_notification_id()
    answer = limited.get(f"/audit/asset/{other}")
    assert answer.status_code == 403 and "FORBIDDEN" in answer.text
    assert web.registry.store.last_notification_id() == before


# -- findings ------------------------------------------------------------------------------------


def test_findings_show_the_meals_behind_each_and_download(
    auditor: WebClient, died: tuple[MealsApplication, UUID, UUID]
) -> None:
    _, point, elder = died
    page = auditor.get("/audit/findings", params={**MAY, "village": VILLAGE})
    assert page.status_code == 200
    assert re.findall(r'class="current"[^>]*>([^<]*)<', page.text) == ["助餐疑点"]  # only it
    assert AFTER_DEATH != "meal_after_death"  # the kind in Chinese
    assert page.text.count(f"<td>{AFTER_DEATH}") == 2 and "已作废" in page.text
    meal_links = re.findall(r'href="/audit/meal/([0-9a-f-]{36})"', page.text)
    assert len(meal_links) == 2
    with_meal = auditor.get(f"/audit/meal/{meal_links[0]}")
    assert with_meal.status_code == 200 and "作废用餐记录" in with_meal.text
    assert f'href="/audit/elder/{elder}"' in page.text and "张桂英" in page.text

    xlsx = auditor.get("/audit/findings/xlsx", params={**MAY, "point": str(point)})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == 3
    assert sheet["B2"].value == AFTER_DEATH and meal_links[0] in str(sheet["H2"].value)

    june = auditor.get(
        "/audit/findings", params={"date_from": "2024-06-01", "date_to": "2024-06-30"}
    )
    assert f"<td>{AFTER_DEATH}" not in june.text and "暂无记录" in june.text


def test_a_platform_user_sees_the_findings_without_names_or_id_numbers(
    web: WebClient, died: tuple[MealsApplication, UUID, UUID]
) -> None:
    platform = web.as_role("platform")
    page = platform.get("/audit/findings", params=MAY)
    assert page.status_code == 200 and f"<td>{AFTER_DEATH}" in page.text
    assert "张桂英" not in page.text and "320117194405061" not in page.text
    download = platform.get("/audit/findings/xlsx", params=MAY)
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None and sheet["E2"].value == "张*"  # masked, as the API gives it
    assert "320117194405061" not in download.text


def test_findings_of_a_village_outside_the_accountants_scope_are_refused(
    web: WebClient, died: tuple[MealsApplication, UUID, UUID]
) -> None:
    mine = web.as_role("accountant", [OTHER_VILLAGE])
    before = web.registry.store.last_notification_id()
    refused = mine.get("/audit/findings", params={**MAY, "village": VILLAGE})
    assert refused.status_code == 403 and "FORBIDDEN" in refused.text
    unfiltered = mine.get("/audit/findings", params=MAY)
    assert unfiltered.status_code == 200 and f"<td>{AFTER_DEATH}" not in unfiltered.text
    assert web.registry.store.last_notification_id() == before


def test_a_refused_period_is_shown_beside_its_field(auditor: WebClient) -> None:
    answer = auditor.get(
        "/audit/findings", params={"date_from": "2024-05-01", "date_to": "2023-01-01"}
    )
    assert answer.status_code == 400
    assert text_of(answer.text, "e-date_to") == message_zh("invalid_input")


# -- the seal ------------------------------------------------------------------------------------


def test_the_seal_shows_the_last_verification_that_verify_recorded(
    auditor: WebClient,
    asset: UUID,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    registry: Registry = auditor.registry
    empty = auditor.get("/audit/seal")
    assert empty.status_code == 200 and "尚无校验记录" in empty.text
    for name, value in registry.settings.to_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    assert registry.settings.event_key_file is not None
    key = str(registry.settings.event_key_file.with_suffix(".pub"))
    through = registry.store.last_notification_id()
    assert main(["verify", "--event-public-key", key]) == 0
    assert capsys.readouterr().out.startswith("OK:")  # verify's own output, as before
    assert registry.store.last_notification_id() > through  # its outcome, recorded

    page = auditor.get("/audit/seal")
    assert page.status_code == 200
    assert "通过" in page.text and f"第 {through} 号" in page.text
    assert "尚无校验记录" not in page.text and "cli:" in page.text and "1 次" in page.text

    change_one_byte(registry, 3)  # someone with the database edits a recorded event
    assert main(["verify", "--event-public-key", key]) == 1
    assert "changed" in capsys.readouterr().out
    diverged = auditor.get("/audit/seal")
    assert "事件被改动" in diverged.text and "通过" not in diverged.text
    assert 'href="/books/events/3"' in diverged.text and "2 次" in diverged.text
    every = re.search(r'href="(/audit/record/[0-9a-f-]{36})"', diverged.text)
    assert every is not None
    runs = auditor.get(every.group(1))
    assert runs.status_code == 200 and runs.text.count("完成一次校验") == 2
