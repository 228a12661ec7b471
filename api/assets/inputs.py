# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Input objects of the asset mutations, and their translation into the domain's inputs."""

from __future__ import annotations

from typing import Any

import graphene

from api.enums import ContractMode, CounterpartyKind
from domain.assets.application import ContractInput as DomainContract
from domain.assets.application import InstallmentInput as DomainInstallment


class InstallmentInput(graphene.InputObjectType):
    """One scheduled rent payment and the period it covers."""

    due_on = graphene.Date(required=True)
    amount_yuan = graphene.Decimal(
        name="amount", required=True, description="Yuan, at most two decimals."
    )
    covers_from = graphene.Date(required=True)
    covers_to = graphene.Date(required=True)


class ContractInput(graphene.InputObjectType):
    """A contract to sign. Its mode must have been approved by a resolution."""

    contract_no = graphene.String(required=True, description="Unique per asset.")
    mode = ContractMode(required=True)
    counterparty_name = graphene.String(required=True)
    counterparty_kind = CounterpartyKind(required=True)
    signed_on = graphene.Date(required=True)
    start_on = graphene.Date(required=True, description="First day of the term.")
    end_on = graphene.Date(
        required=True, description="Last day of the term; a lease lasts at most 20 years."
    )
    rent_schedule = graphene.List(
        graphene.NonNull(InstallmentInput), default_value=[], description="At most 240 items."
    )
    public_bidding = graphene.Boolean(
        default_value=False, description="Awarded through the property-rights exchange."
    )
    related_party = graphene.Boolean(
        default_value=False, description="The counterparty is related to village officials."
    )


def installments(raw: Any) -> list[DomainInstallment]:
    return [
        DomainInstallment(i.due_on, i.amount_yuan, i.covers_from, i.covers_to) for i in raw or []
    ]


def contract(raw: Any) -> DomainContract:
    return DomainContract(
        contract_no=raw.contract_no,
        mode=raw.mode,
        counterparty_name=raw.counterparty_name,
        counterparty_kind=raw.counterparty_kind,
        signed_on=raw.signed_on,
        start_on=raw.start_on,
        end_on=raw.end_on,
        rent_schedule=installments(raw.rent_schedule),
        public_bidding=bool(raw.public_bidding),
        related_party=bool(raw.related_party),
    )
