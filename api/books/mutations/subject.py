"""What the books mutations act on: a voucher (read back into the payload's ``voucher``), or a
village's periods (``periods``, after closing or reopening)."""

from __future__ import annotations

from api.auth.permissions import Owner
from api.books.loaders import PeriodsByBooksId, VoucherById
from api.books.types import Periods, Voucher
from api.mutation import Subject
from domain.books.application import BooksApplication

VOUCHER: Subject[BooksApplication] = Subject(
    payload_field="voucher",
    type=Voucher,
    description="The voucher after the command (for reverseVoucher: the red reversal); null "
    "when refused.",
    application=lambda registry: registry.books,
    loader=VoucherById,
    id_of=lambda row: row["id"],
    id_argument="voucher_id",
    owner=Owner.VOUCHER,
)
VOUCHER_ID = "The voucher's id."

PERIODS: Subject[BooksApplication] = Subject(
    payload_field="periods",
    type=Periods,
    description="The village's periods after the command; null when refused.",
    application=lambda registry: registry.books,
    loader=PeriodsByBooksId,
    id_of=lambda row: row["village_code"],
    id_argument="village_code",
    owner=Owner.VILLAGE,
)
