"""The asset pages of the workbench (资产): the register, one asset, and the forms for the
everyday facts (register, confirm the rights, the villagers' resolution, list on the exchange,
sign and renew a contract, bill and receive rent). They read and write through GraphQL only
(api/web/graphql.py)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from api.web.assets.contracts import renew_contract, sign_contract
from api.web.assets.decisions import record_resolution
from api.web.assets.detail import asset_detail, contracts_xlsx, invoices_xlsx
from api.web.assets.listing import asset_list, asset_list_xlsx
from api.web.assets.register import register_asset
from api.web.assets.rent import invoice_rent, receive_rent
from api.web.assets.steps import confirm_rights, list_for_bidding
from api.web.pages import page
from domain.access.roles import Role

READERS = {Role.ACCOUNTANT, Role.AUDITOR, Role.PLATFORM}
WRITERS = {Role.ACCOUNTANT}
FORM = ["GET", "POST"]


def routes() -> list[BaseRoute]:
    return [
        Route("/assets", page(asset_list, roles=READERS), methods=["GET"]),
        Route("/assets/xlsx", page(asset_list_xlsx, roles=READERS), methods=["GET"]),
        Route("/assets/new", page(register_asset, roles=WRITERS), methods=FORM),
        Route("/assets/{asset_id}", page(asset_detail, roles=READERS), methods=["GET"]),
        Route(
            "/assets/{asset_id}/contracts/xlsx",
            page(contracts_xlsx, roles=READERS),
            methods=["GET"],
        ),
        Route(
            "/assets/{asset_id}/invoices/xlsx", page(invoices_xlsx, roles=READERS), methods=["GET"]
        ),
        Route("/assets/{asset_id}/confirm", page(confirm_rights, roles=WRITERS), methods=FORM),
        Route(
            "/assets/{asset_id}/resolution", page(record_resolution, roles=WRITERS), methods=FORM
        ),
        Route("/assets/{asset_id}/list", page(list_for_bidding, roles=WRITERS), methods=FORM),
        Route("/assets/{asset_id}/sign", page(sign_contract, roles=WRITERS), methods=FORM),
        Route("/assets/{asset_id}/renew", page(renew_contract, roles=WRITERS), methods=FORM),
        Route("/assets/{asset_id}/invoice", page(invoice_rent, roles=WRITERS), methods=FORM),
        Route("/assets/{asset_id}/receive", page(receive_rent, roles=WRITERS), methods=FORM),
    ]
