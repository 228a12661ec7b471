"""An asset's contract (lease, self-operation, equity, cooperation): signed, renewed, terminated.
The terms are computed here; each command checks its rules (rules.py) and triggers one event
of ``Asset``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from domain.assets import billing, rules
from domain.assets.billing import Installment
from domain.assets.state import AssetState
from domain.shared.resolution import Resolution
from domain.shared.values import Provenance


def extension_starts_on(old_end: date) -> date:
    """A renewal's extension starts the day after the old end, which was billed already."""
    return old_end + timedelta(days=1)


def renewal_counted_from(renewed_on: date, old_end: date) -> date:
    """A renewed lease is again at most 20 years, counted from the day it is agreed (Civil Code
    art. 705: 自续订之日起), or from the day after the old end if that is earlier
    (docs/rules.md A-06)."""
    return min(renewed_on, extension_starts_on(old_end))


class ContractCommands(AssetState):
    """The commands of ``Asset`` on its contract."""

    def sign_contract(
        self,
        contract_no: str,
        mode: str,
        counterparty_name: str,
        counterparty_kind: str,
        related_party: bool,
        signed_on: date,
        start_on: date,
        end_on: date,
        rent_schedule: list[Installment],
        public_bidding: bool,
        bidding_threshold_yuan: Decimal,
        by: Provenance,
    ) -> None:
        """bidding_threshold_yuan: the public-bidding threshold in force (policy, passed in)."""
        self.check_not_disposed()
        self.check_rights_confirmed()
        rules.check_not_under_contract(self.status, self.contract, self.asset_code, say_until=True)
        rules.check_contract_number_new(self.contract_numbers, contract_no, self.asset_code)
        resolution = self.check_resolution_for(mode, signed_on)
        rules.check_term(start_on, end_on)
        if mode == "lease":
            rules.check_lease_term(start_on, end_on)
        for item in rent_schedule:
            rules.check_period_inside(item.covers_from, item.covers_to, start_on, end_on)
        total = billing.total_yuan(rent_schedule)
        self.check_bidding(total, public_bidding, bidding_threshold_yuan)
        self._contracted(
            contract_no=contract_no,
            mode=mode,
            counterparty_name=counterparty_name,
            counterparty_kind=counterparty_kind,
            related_party=related_party,
            signed_on=signed_on,
            start_on=start_on,
            end_on=end_on,
            rent_schedule=[i.as_dict() for i in rent_schedule],
            total_value_yuan=total,
            public_bidding=public_bidding,
            resolution_reference=resolution["reference"],
            actor=by.actor,
            authority=by.authority or resolution["reference"],
        )

    def renew_contract(
        self,
        new_end_on: date,
        resolution: Resolution,
        renewed_on: date,
        additional_schedule: list[Installment],
        by: Provenance,
    ) -> None:
        contract = self.check_active_contract()
        old_end: date = contract["end_on"]
        rules.check_renewal(contract, new_end_on, renewed_on, resolution)
        rules.check_resolution_passes(contract["mode"], resolution)
        if contract["mode"] == "lease":
            rules.check_lease_term(renewal_counted_from(renewed_on, old_end), new_end_on)
        for item in additional_schedule:
            extension = (extension_starts_on(old_end), new_end_on)
            rules.check_period_inside(item.covers_from, item.covers_to, *extension)
        self._renewed(
            contract_no=contract["contract_no"],
            previous_end_on=old_end,
            new_end_on=new_end_on,
            renewed_on=renewed_on,
            additional_schedule=[i.as_dict() for i in additional_schedule],
            resolution=resolution.as_dict(),
            actor=by.actor,
            authority=by.authority or resolution.reference,
        )

    def terminate_contract(self, terminated_on: date, reason: str, by: Provenance) -> None:
        contract = self.check_active_contract()
        rules.check_termination_inside_term(contract, terminated_on)
        self._terminated(
            contract_no=contract["contract_no"],
            terminated_on=terminated_on,
            reason=reason,
            receivable_cancellations=billing.cancellations_after(
                self.invoices.values(), contract["contract_no"], terminated_on
            ),
            actor=by.actor,
            authority=by.authority,
        )
