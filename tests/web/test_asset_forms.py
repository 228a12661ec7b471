"""The asset forms after registration, each through its mutation: the rights, the villagers'
resolution, the listing, signing and renewing a contract, billing and receiving rent. A refusal
shows the Chinese message beside its field and records nothing."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tests.support import ACCOUNTANT, VILLAGE, approved_building, leased_building
from tests.web.assets_support import (
    accepted,
    bill,
    lease,
    minutes,
    refused_beside,
    registration,
)
from tests.web.conftest import WebClient

# -- from a registered asset to a lease, all through the forms ------------------------------------


def test_an_asset_goes_from_registration_to_a_lease_through_the_forms(web: WebClient) -> None:
    accepted(web, "/assets/new", registration(), None)
    asset_id = web.registry.assets.id_of(VILLAGE, "ZC-101")
    assert f'href="/assets/{asset_id}/confirm"' in web.get(f"/assets/{asset_id}").text
    confirm = f"/assets/{asset_id}/confirm"
    certificate = {"certificate_no": "苏(2024)溧水区不动产权第0101号", "confirmed_on": "2024-05-20"}
    refused_beside(
        web, confirm, {**certificate, "confirmed_on": "2024-02-30"}, "confirmed_on", "date_invalid"
    )
    accepted(web, confirm, certificate, asset_id)
    accepted(web, f"/assets/{asset_id}/resolution", minutes(), asset_id)
    listing = f"/assets/{asset_id}/list"
    exchange = {
        "exchange": "溧水区农村产权交易中心",
        "listing_no": "LS-2024-09",
        "listed_on": "2024-04-15",
        "reserve_price": "60000",
    }
    assert "挂牌交易" in web.get(f"/assets/{asset_id}").text
    refused_beside(
        web, listing, {**exchange, "reserve_price": "6万"}, "reserve_price", "decimal_invalid"
    )
    accepted(web, listing, exchange, asset_id)
    schedule = "\n".join(f"{y}-05-01 40000 {y}-05-01 {y + 1}-04-30" for y in (2024, 2025))
    signed = lease(rent_schedule=schedule, public_bidding="on")
    accepted(web, f"/assets/{asset_id}/sign", signed, asset_id)
    assert web.registry.assets.get(asset_id).status == "contracted"


# -- the villagers' resolution -------------------------------------------------------------------


def rights_confirmed(web: WebClient, code: str = "ZC-001") -> UUID:
    assets = web.registry.assets
    asset_id = assets.register_asset(
        VILLAGE,
        code,
        "村部旧楼",
        "collective_building",
        "320.5",
        "乌村桥村12号",
        date(2024, 1, 10),
        ACCOUNTANT,
        book_value_yuan="120000",
    )
    assets.confirm_rights(asset_id, "苏(2024)溧水区不动产权第0001号", date(2024, 2, 1), ACCOUNTANT)
    return asset_id


def test_a_resolution_is_recorded_approved_or_voted_down(web: WebClient) -> None:
    asset_id = rights_confirmed(web)
    path = f"/assets/{asset_id}/resolution"
    assert "村民代表会议" in web.get(path).text
    refused_beside(
        web, path, minutes(votes_for="19"), "votes_for", "approval_below_two_thirds_of_total"
    )
    refused_beside(web, path, minutes(members_total="三十"), "members_total", "variables_invalid")
    refused_beside(web, path, minutes(outcome="maybe"), "outcome", "invalid_input")
    accepted(web, path, minutes(outcome="rejected", votes_for="9"), asset_id)
    assert web.registry.assets.get(asset_id).status == "rejected"
    accepted(web, path, minutes(), asset_id)
    assert web.registry.assets.get(asset_id).status == "approved"


# -- sign and renew a contract -------------------------------------------------------------------


def test_signing_a_lease_records_the_contract_with_its_schedule(web: WebClient) -> None:
    asset_id = approved_building(web.registry.assets)
    path = f"/assets/{asset_id}/sign"
    refused_beside(web, path, lease(end_on="2045-05-01"), "end_on", "lease_term_exceeds_20_years")
    refused_beside(
        web,
        path,
        lease(rent_schedule="2024-05-01 12000 2024-05-01"),
        "rent_schedule",
        "variables_invalid",
    )
    refused_beside(
        web,
        path,
        lease(rent_schedule="2024-05-01 12000.001 2024-05-01 2025-04-30"),
        "rent_schedule",
        "amount_not_in_fen",
    )
    accepted(web, path, lease(), asset_id)
    shown = web.get(f"/assets/{asset_id}")
    assert "HT-201" in shown.text and "溧水某农业合作社" in shown.text
    assert "24,000.00" in shown.text  # the schedule's total


def test_renewing_the_contract_in_force(web: WebClient) -> None:
    asset_id = leased_building(web.registry.assets)
    path = f"/assets/{asset_id}/renew"
    renewal = {
        **minutes(held_on="2028-12-01", reference="乌村桥村决〔2028〕2号"),
        "new_end_on": "2034-03-31",
        "renewed_on": "2028-12-05",
        "additional_schedule": "2029-04-01 32000 2029-04-01 2030-03-31",
    }
    refused_beside(
        web, path, {**renewal, "new_end_on": "2028-03-31"}, "new_end_on", "renewal_not_later"
    )
    refused_beside(
        web, path, {**renewal, "votes_for": "12"}, "votes_for", "approval_below_two_thirds_of_total"
    )
    accepted(web, path, renewal, asset_id)
    assert "2034-03-31" in web.get(f"/assets/{asset_id}").text


# -- bill and receive rent -----------------------------------------------------------------------


def test_billing_and_receiving_rent(web: WebClient) -> None:
    asset_id = leased_building(web.registry.assets)
    invoice = f"/assets/{asset_id}/invoice"
    refused_beside(
        web, invoice, bill(covers_to="2030-03-31"), "covers_from", "rent_period_outside_contract"
    )
    refused_beside(web, invoice, bill(amount="3万"), "amount", "decimal_invalid")
    accepted(web, invoice, bill(), asset_id)
    receive = f"/assets/{asset_id}/receive"
    form = web.get(receive + "?invoice=ZD-101")
    assert 'value="ZD-101" selected' in form.text and "未收 30,000.00 元" in form.text
    payment = {
        "invoice_no": "ZD-101",
        "receipt_no": "SK-101",
        "amount": "12000.50",
        "received_on": "2024-04-20",
        "channel": "bank",
    }
    refused_beside(
        web, receive, {**payment, "amount": "30000.01"}, "amount", "payment_exceeds_amount_due"
    )
    refused_beside(
        web, receive, {**payment, "invoice_no": "ZD-404"}, "invoice_no", "invoice_not_found"
    )
    accepted(web, receive, payment, asset_id)
    shown = web.get(f"/assets/{asset_id}")
    assert "12,000.50" in shown.text and "17,999.50" in shown.text
