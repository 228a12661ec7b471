"""What the books commands accept: a voucher line as submitted (GraphQL, CLI, a CSV or JSON
file of lines), and how it is read into the line an event stores."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.books.vocabulary import (
    COUNTERPARTY_KINDS,
    COUNTERPARTY_LENGTH_MAX,
    REFERENCE_LENGTH_MAX,
)
from domain.shared.errors import InvalidInput
from domain.shared.text import check_text
from domain.shared.values import ZERO, AccountCode, choice, yuan


@dataclass(frozen=True)
class VoucherLineInput:
    """account: a code of the chart in force (e.g. "513"). debit_yuan / credit_yuan: decimal
    strings, exactly one of them non-zero ("0" or empty for the other). counterparty: who the
    sub-ledger (辅助核算) keeps it for; counterparty_kind: person | organization | collective |
    government | members | operator. reference: contract no., asset or parcel code, month …"""

    account: AccountCode
    debit_yuan: Decimal | str = "0"
    credit_yuan: Decimal | str = "0"
    counterparty: str | None = None
    counterparty_kind: str | None = None
    reference: str | None = None


def _optional_text(value: str | None, field: str, maximum: int) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > maximum:
        raise InvalidInput(f"{field} is longer than {maximum} characters", field=field)
    check_text(text, field)
    return text


def read_line(line: VoucherLineInput, n: int) -> dict[str, Any]:
    """The line as the Prepared event stores it: amounts Decimal to the fen, absent texts None."""
    where = f"lines[{n}]"
    account = str(line.account or "").strip()
    if not account:
        raise InvalidInput(f"{where}.account is required", field=f"{where}.account")
    kind = (line.counterparty_kind or "").strip() or None
    if kind is not None:
        choice(kind, COUNTERPARTY_KINDS, f"{where}.counterparty_kind")
    return {
        "account": account,
        "debit_yuan": yuan(line.debit_yuan or ZERO, f"{where}.debit_yuan"),
        "credit_yuan": yuan(line.credit_yuan or ZERO, f"{where}.credit_yuan"),
        "counterparty": _optional_text(
            line.counterparty, f"{where}.counterparty", COUNTERPARTY_LENGTH_MAX
        ),
        "counterparty_kind": kind,
        "reference": _optional_text(line.reference, f"{where}.reference", REFERENCE_LENGTH_MAX),
    }
