# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The asset context's root mutation fields, one per command of the AssetApplication."""

from __future__ import annotations

import graphene

from api.assets.mutations.contracts import (
    DisposeAsset,
    RenewAssetContract,
    SignAssetContract,
    TerminateAssetContract,
)
from api.assets.mutations.corrections import CorrectInvoice, ReverseReceipt
from api.assets.mutations.lifecycle import (
    AppraiseAsset,
    ApproveRevitalization,
    ConfirmAssetRights,
    ListAssetForBidding,
    RecordRevitalizationRejection,
    RegisterAsset,
)
from api.assets.mutations.rent import InvoiceRent, MarkRentInArrears, ReceiveRent
from api.assets.mutations.rentroll import ReceiveRentRoll


class AssetMutations(graphene.ObjectType):
    register_asset = RegisterAsset.Field()
    confirm_asset_rights = ConfirmAssetRights.Field()
    appraise_asset = AppraiseAsset.Field()
    approve_revitalization = ApproveRevitalization.Field()
    record_revitalization_rejection = RecordRevitalizationRejection.Field()
    list_asset_for_bidding = ListAssetForBidding.Field()
    sign_asset_contract = SignAssetContract.Field()
    renew_asset_contract = RenewAssetContract.Field()
    terminate_asset_contract = TerminateAssetContract.Field()
    invoice_rent = InvoiceRent.Field()
    receive_rent = ReceiveRent.Field()
    receive_rent_roll = ReceiveRentRoll.Field()
    mark_rent_in_arrears = MarkRentInArrears.Field()
    dispose_asset = DisposeAsset.Field()
    correct_invoice = CorrectInvoice.Field()
    reverse_receipt = ReverseReceipt.Field()
