# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""What recordVoucher takes: its lines."""

from __future__ import annotations

from typing import Any

import graphene

from api.books.types import SubledgerCounterpartyKind
from domain.books.inputs import VoucherLineInput as LineInput


class VoucherLineInput(graphene.InputObjectType):
    """One line: an account and exactly one of debit and credit (the other 0 or absent)."""

    account_code = graphene.String(required=True, description="科目编码 in the chart in force.")
    debit_yuan = graphene.Decimal(name="debit", description="Yuan (借方).")
    credit_yuan = graphene.Decimal(name="credit", description="Yuan (贷方).")
    counterparty = graphene.String(description="Required on 112, 211 (books.subledger_accounts).")
    counterparty_kind = SubledgerCounterpartyKind()
    reference = graphene.String(description="Contract no., asset or parcel code …")


def line_inputs(lines: list[Any]) -> list[LineInput]:
    return [
        LineInput(
            account=line.get("account_code") or "",
            debit_yuan=line.get("debit_yuan") or "0",
            credit_yuan=line.get("credit_yuan") or "0",
            counterparty=line.get("counterparty"),
            counterparty_kind=line.get("counterparty_kind"),
            reference=line.get("reference"),
        )
        for line in lines
    ]
