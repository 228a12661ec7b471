"""What is decided about an asset outside a contract: its rights confirmed (确权), its appraisal,
the collective's resolution approving or rejecting a matter, its listing for public bidding, and
its disposal. Each command checks its rules (rules.py) and triggers one event of ``Asset``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.assets import rules
from domain.assets.state import AssetState
from domain.shared.resolution import Resolution
from domain.shared.values import Provenance


class DecisionCommands(AssetState):
    """The commands of ``Asset`` before and beside its contracts."""

    def confirm_rights(self, certificate_no: str, confirmed_on: date, by: Provenance) -> None:
        self.check_not_disposed()
        rules.check_rights_not_confirmed(self.rights_confirmed, self.asset_code)
        self._rights_confirmed(
            certificate_no=certificate_no,
            confirmed_on=confirmed_on,
            actor=by.actor,
            authority=by.authority,
        )

    def appraise(
        self,
        appraised_value_yuan: Decimal,
        appraiser: str,
        report_no: str,
        appraised_on: date,
        by: Provenance,
    ) -> None:
        self.check_not_disposed()
        self._appraised(
            appraised_value_yuan=appraised_value_yuan,
            appraiser=appraiser,
            report_no=report_no,
            appraised_on=appraised_on,
            actor=by.actor,
            authority=by.authority,
        )

    def approve_revitalization(self, matter: str, resolution: Resolution, by: Provenance) -> None:
        self.check_not_disposed()
        self.check_rights_confirmed()
        if matter == "disposal":
            rules.check_may_be_sold(self.sale_forbidden, self.asset_code, self.kind, "matter")
        rules.check_resolution_passes(matter, resolution)
        self._approved(
            matter=matter, resolution=resolution.as_dict(), actor=by.actor, authority=by.authority
        )

    def record_rejection(self, matter: str, resolution: Resolution, by: Provenance) -> None:
        """The meeting voted the proposal down: a fact worth keeping, approving nothing."""
        self.check_not_disposed()
        resolution.check_counts()
        self._rejected(
            matter=matter, resolution=resolution.as_dict(), actor=by.actor, authority=by.authority
        )

    def list_for_bidding(
        self,
        exchange: str,
        listing_no: str,
        listed_on: date,
        reserve_price_yuan: Decimal,
        by: Provenance,
    ) -> None:
        self.check_not_disposed()
        self.check_rights_confirmed()
        rules.check_listing_approved(self.approvals, self.asset_code, exchange)
        self._listed(
            exchange=exchange,
            listing_no=listing_no,
            listed_on=listed_on,
            reserve_price_yuan=reserve_price_yuan,
            actor=by.actor,
            authority=by.authority,
        )

    def dispose(
        self,
        disposed_on: date,
        proceeds_yuan: Decimal,
        counterparty_name: str,
        public_bidding: bool,
        bidding_threshold_yuan: Decimal,
        by: Provenance,
    ) -> None:
        """bidding_threshold_yuan: the public-bidding threshold in force (policy, passed in)."""
        self.check_not_disposed()
        rules.check_may_be_sold(self.sale_forbidden, self.asset_code, self.kind, None)
        rules.check_not_under_contract(self.status, self.contract, self.asset_code, say_until=False)
        resolution = self.check_resolution_for("disposal", disposed_on)
        self.check_bidding(proceeds_yuan, public_bidding, bidding_threshold_yuan)
        self._disposed(
            disposed_on=disposed_on,
            proceeds_yuan=proceeds_yuan,
            counterparty_name=counterparty_name,
            public_bidding=public_bidding,
            carrying_value_yuan=self.book_value_yuan,
            book_account=self.book_account,
            resolution_reference=resolution["reference"],
            actor=by.actor,
            authority=by.authority or resolution["reference"],
        )
