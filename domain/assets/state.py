"""What an asset holds, as its events leave it, and the checks that read it.

``Asset`` (model.py) sets this state in its ``@event`` methods, and only there; its commands,
grouped by what changes together (decisions.py, contracts.py, rent.py), read it, call the rules
(rules.py) and trigger those events. This class names the state and the event triggers they
share, so that each group can be read on its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from domain.assets import billing, rules
from domain.assets.billing import Invoice


class AssetState:
    """village_code, asset_code, kind, sale_forbidden, book_value_yuan and book_account: as
    registered. status: where the asset is in its lifecycle (vocabulary.STATUSES).
    approvals: matter → the approving resolution, until a contract or disposal uses it.
    listing: the open listing on the exchange, if any. contract: the latest contract.
    contract_numbers: every contract signed, the current one last. invoices and receipts: by
    their numbers."""

    village_code: str
    asset_code: str
    kind: str
    sale_forbidden: bool
    book_value_yuan: Decimal
    book_account: str | None
    status: str
    rights_confirmed: bool
    approvals: dict[str, dict[str, Any]]
    listing: dict[str, Any] | None
    contract: dict[str, Any] | None
    contract_numbers: list[str]
    invoices: dict[str, Invoice]
    receipts: dict[str, dict[str, Any]]

    # The events, defined in model.py: triggering one is the only way a command changes state.
    _rights_confirmed: Callable[..., None]
    _appraised: Callable[..., None]
    _approved: Callable[..., None]
    _rejected: Callable[..., None]
    _listed: Callable[..., None]
    _contracted: Callable[..., None]
    _renewed: Callable[..., None]
    _terminated: Callable[..., None]
    _invoiced: Callable[..., None]
    _received: Callable[..., None]
    _invoice_corrected: Callable[..., None]
    _receipt_reversed: Callable[..., None]
    _in_arrears: Callable[..., None]
    _disposed: Callable[..., None]

    def check_not_disposed(self) -> None:
        rules.check_not_disposed(self.status, self.asset_code)

    def check_rights_confirmed(self) -> None:
        rules.check_rights_confirmed(self.rights_confirmed, self.asset_code)

    def check_active_contract(self) -> dict[str, Any]:
        self.check_not_disposed()
        return rules.check_active_contract(self.status, self.contract, self.asset_code)

    def check_resolution_for(self, matter: str, on: date) -> dict[str, Any]:
        return rules.check_approval_for(self.approvals, matter, on, self.asset_code)

    def check_bidding(self, value: Decimal, public_bidding: bool, threshold: Decimal) -> None:
        listed = self.listing is not None
        rules.check_bidding(value, public_bidding, threshold, listed, self.asset_code)

    check_period_inside = staticmethod(rules.check_period_inside)

    def overdue_invoices(self, as_of: date) -> list[Invoice]:
        return billing.overdue(self.invoices.values(), as_of)
