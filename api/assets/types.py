# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Collective assets being revitalized (盘活), their contracts and their rent invoices."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from api.assets.loaders import (
    ContractPagesByAsset,
    InvoicePagesByAsset,
    UnpaidInvoicePagesByAsset,
)
from api.common import Row, related
from api.enums import AssetStatus, ContractMode, CounterpartyKind, TerminationReason
from api.pagination import connection_field, connection_type, load_page
from api.places.loaders import VillageByCode
from api.places.types import Village


class AssetContract(graphene.ObjectType):
    """A contract putting an asset to use: a lease, an equity stake, a cooperation, or the
    collective's own operation. Every contract rests on a collective resolution."""

    contract_no = graphene.String(required=True, description="Unique per asset.")
    mode = ContractMode(required=True)
    counterparty_name = graphene.String(required=True, description="Lessee, investee or partner.")
    counterparty_kind = CounterpartyKind(required=True)
    related_party = graphene.Boolean(
        required=True, description="The counterparty is related to village officials."
    )
    signed_on = graphene.Date(required=True)
    start_on = graphene.Date(required=True, description="First day of the term.")
    end_on = graphene.Date(required=True, description="Last day of the term (after renewals).")
    terminated_on = graphene.Date(description="Last day, when the contract ended early.")
    termination_reason = TerminationReason()
    total_value_yuan = graphene.Decimal(
        name="totalValue",
        required=True,
        description="Yuan: the sum of the rent schedule, renewals included.",
    )
    public_bidding = graphene.Boolean(
        required=True, description="Awarded through the rural property-rights exchange."
    )
    resolution_reference = graphene.String(
        required=True, description="The collective resolution that approved the contract."
    )
    renewals = graphene.Int(required=True, description="How many times it was renewed.")


class AssetInvoice(graphene.ObjectType):
    """Rent (or returns) billed under a contract, and what has been received against it."""

    invoice_no = graphene.String(required=True, description="Unique per asset.")
    contract_no = graphene.String(required=True)
    amount_yuan = graphene.Decimal(name="amount", required=True, description="Yuan billed.")
    issued_on = graphene.Date(required=True)
    due_on = graphene.Date(required=True)
    covers_from = graphene.Date(required=True, description="First day of the period billed.")
    covers_to = graphene.Date(required=True, description="Last day of the period billed.")
    received_yuan = graphene.Decimal(
        name="received", required=True, description="Yuan received so far."
    )
    cancelled_yuan = graphene.Decimal(
        name="cancelled",
        required=True,
        description="Yuan no longer owed: billed rent for days after an early termination.",
    )
    outstanding_yuan = graphene.Decimal(
        name="outstanding",
        required=True,
        description="Yuan still owed: amount − received − cancelled.",
    )
    arrears_noticed_on = graphene.Date(description="When it was last noticed as in arrears.")


class Asset(graphene.ObjectType):
    """An asset or resource of a village collective, as the asset register shows it now."""

    village_key = "village_code"  # its objects belong to this village (api/auth/middleware.py)

    id = graphene.ID(required=True, description="The asset's id (its history's aggregateId).")
    village_code = graphene.String(required=True)
    asset_code = graphene.String(required=True, description="资产编号, unique in the village.")
    name = graphene.String(required=True)
    kind = graphene.String(
        required=True, description="A resource kind of the policy `assets.resource_kinds`."
    )
    area_m2 = graphene.Decimal(required=True, description="Area in square metres.")
    location = graphene.String(required=True)
    certificate_no = graphene.String(description="The rights certificate (确权证书), once known.")
    book_value_yuan = graphene.Decimal(
        name="bookValue", required=True, description="Yuan carried in the books."
    )
    registered_on = graphene.Date(required=True)
    status = AssetStatus(required=True)
    rights_confirmed = graphene.Boolean(required=True)
    appraised_value_yuan = graphene.Decimal(
        name="appraisedValue", description="Yuan, from the latest appraisal."
    )
    current_contract_no = graphene.String(description="The contract in force, if any.")
    invoiced_yuan = graphene.Decimal(
        name="invoicedToDate", required=True, description="Yuan invoiced in total."
    )
    received_yuan = graphene.Decimal(
        name="receivedToDate", required=True, description="Yuan received in total."
    )
    cancelled_yuan = graphene.Decimal(
        name="cancelledToDate",
        required=True,
        description="Yuan cancelled by early terminations (no longer owed).",
    )
    outstanding_yuan = graphene.Decimal(
        name="outstanding",
        required=True,
        description="Yuan invoiced, neither received nor cancelled.",
    )
    version = graphene.Int(required=True, description="The last event applied (its version).")
    updated_at = graphene.DateTime(required=True, description="When that event was recorded.")
    village = graphene.Field(Village, description="The owning collective's village.")
    contracts = connection_field(
        "api.assets.types.AssetContractConnection", "Its contracts, oldest first."
    )
    invoices = connection_field(
        "api.assets.types.AssetInvoiceConnection",
        "Its invoices, oldest first.",
        unpaid=graphene.Boolean(
            default_value=False,
            description="Only invoices with money outstanding (neither received nor cancelled).",
        ),
    )

    resolve_village = related(VillageByCode, "village_code")

    @staticmethod
    def resolve_contracts(
        root: Row, info: GraphQLResolveInfo, first: int | None = None, after: str | None = None
    ) -> Awaitable[Any]:
        return load_page(info, ContractPagesByAsset, root["id"], first, after)

    @staticmethod
    def resolve_invoices(
        root: Row,
        info: GraphQLResolveInfo,
        first: int | None = None,
        after: str | None = None,
        unpaid: bool = False,
    ) -> Awaitable[Any]:
        loader = UnpaidInvoicePagesByAsset if unpaid else InvoicePagesByAsset
        return load_page(info, loader, root["id"], first, after)


AssetConnection = connection_type(Asset, "A page of assets, by village and asset code.")
AssetContractConnection = connection_type(AssetContract, "A page of contracts, oldest first.")
AssetInvoiceConnection = connection_type(AssetInvoice, "A page of invoices, oldest first.")
