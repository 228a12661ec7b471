"""The accountant's home: rent due this month and in arrears, contracts ending within 90 days,
this month's meals and settlements, and where the books stand, per village of the user."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from api.web.home import month_bounds
from tests.support import ACCOUNTANT, OTHER_VILLAGE, VILLAGE, contracted_building, lease_contract
from tests.web.conftest import WebClient


def seed_rent(web: WebClient) -> date:
    """A lease with a bill due this month and one in arrears; a lease ending in 30 days."""
    assets, today = web.registry.assets, web.registry.clock.today()
    first, last, _ = month_bounds(today)
    long = lease_contract("HT-001", date(today.year - 1, 1, 1), date(today.year + 3, 12, 31))
    leased = contracted_building(assets, long, "ZC-001")
    assets.invoice_rent(leased, "ZD-DUE", "2500", first, last, first, last, ACCOUNTANT)
    assets.invoice_rent(leased, "ZD-PAID", "800", first, last, first, last, ACCOUNTANT)
    assets.receive_rent(leased, "SK-PAID", "ZD-PAID", "800", first, ACCOUNTANT)
    year_ago = date(today.year - 1, 1, 1)
    assets.invoice_rent(
        leased,
        "ZD-OLD",
        "30000",
        year_ago,
        year_ago + timedelta(days=30),
        year_ago,
        date(today.year - 1, 12, 31),
        ACCOUNTANT,
    )
    assets.receive_rent(leased, "SK-OLD", "ZD-OLD", "10000", year_ago, ACCOUNTANT)
    ending = lease_contract("HT-002", date(today.year - 1, 1, 1), today + timedelta(days=30))
    contracted_building(assets, ending, "ZC-002")
    return today


def test_the_home_shows_rent_due_arrears_and_contracts_ending(web: WebClient) -> None:
    today = seed_rent(web)
    page = web.get("/")
    assert page.status_code == 200 and "乌村桥村" in page.text
    cards = page.text.split('id="due"')[0]
    assert "2,500.00" in cards and "1 张账单 · " in cards  # due this month
    assert "20,000.00" in cards and "1 张账单逾期未收清" in cards  # in arrears
    assert "ZD-DUE" in page.text and "ZD-OLD" in page.text
    assert "ZD-PAID" not in page.text  # received in full: neither due nor in arrears
    ending = page.text.split('id="ending"')[-1]
    assert "HT-002" in ending and (today + timedelta(days=30)).isoformat() in ending
    assert "HT-001" not in ending  # ends in more than 90 days
    assert "本月助餐" in page.text and "尚未结账" in page.text
    assert f'<option value="{OTHER_VILLAGE}"' in page.text  # a picker: two villages


def test_each_table_of_the_home_downloads_as_xlsx(web: WebClient) -> None:
    seed_rent(web)
    answer = web.get(f"/?village={VILLAGE}&format=xlsx&table=arrears")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [["ZC-001", "村部旧楼", "ZD-OLD", rows[0][3], 30000, 20000]]
    ending = load_workbook(io.BytesIO(web.get("/?format=xlsx&table=ending").content)).active
    assert ending is not None and [c.value for c in ending["C"]][1:] == ["HT-002"]
    assert web.get("/?format=xlsx&table=nothing").status_code == 400


def test_the_home_shows_only_the_users_villages(web: WebClient) -> None:
    seed_rent(web)
    other = web.get(f"/?village={OTHER_VILLAGE}")
    assert "测试村" in other.text and "ZD-OLD" not in other.text and "暂无记录" in other.text
    outsider = web.as_role("accountant", [OTHER_VILLAGE])
    page = outsider.get(f"/?village={VILLAGE}")  # not theirs: their own village instead
    assert page.status_code == 200 and "测试村" in page.text
    assert "ZD-OLD" not in page.text and "乌村桥村" not in page.text
    assert 'id="q-village"' not in page.text  # one village: no picker


def test_auditors_and_the_platform_read_the_overview_and_admins_keep_their_tiles(
    web: WebClient,
) -> None:
    seed_rent(web)
    readers = [web.as_role("auditor"), web.as_role("platform")]  # users and sessions recorded
    before = web.registry.store.last_notification_id()
    for reader in readers:
        page = reader.get(f"/?village={VILLAGE}")
        assert page.status_code == 200 and "ZD-OLD" in page.text and 'id="card-due"' in page.text
    assert web.registry.store.last_notification_id() == before  # no personal data was read
    admin = web.as_role("admin").get("/")
    assert admin.status_code == 200 and 'class="tiles"' in admin.text
    assert 'id="card-due"' not in admin.text


def test_the_home_counts_this_months_meals(web: WebClient) -> None:
    from tests.support import enrol_elder, meal, record_one, register_canteen, seed_meal_policies

    meals, today = web.registry.meals, web.registry.clock.today()
    seed_meal_policies(web.registry.policies)
    point = register_canteen(meals)
    elder = enrol_elder(meals)
    recorded = record_one(meals, point, meal("R1", elder, f"{today.isoformat()} 11:30"))
    assert recorded.outcomes[0].status == "accepted", recorded.outcomes
    card = web.get("/").text.split('id="card-meals"')[1].split("</div>")[0]
    assert '<p class="figure">1 <small>餐 · 补贴 2.00 元</small></p>' in card  # 低保, lunch
