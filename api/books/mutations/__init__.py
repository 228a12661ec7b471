# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""The books context's root mutation fields, one per command of the BooksApplication."""

from __future__ import annotations

import graphene

from api.books.mutations.periods import ClosePeriod, CloseYear, ReopenPeriod
from api.books.mutations.vouchers import (
    RecordVoucher,
    RejectVoucher,
    ReverseVoucher,
    ReviewVoucher,
)


class BooksMutations(graphene.ObjectType):
    record_voucher = RecordVoucher.Field()
    review_voucher = ReviewVoucher.Field()
    reject_voucher = RejectVoucher.Field()
    reverse_voucher = ReverseVoucher.Field()
    close_period = ClosePeriod.Field()
    reopen_period = ReopenPeriod.Field()
    close_year = CloseYear.Field()
