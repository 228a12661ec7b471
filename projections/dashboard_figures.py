"""The figures of one cell of the dashboard (a month, a town or village, or the place in all),
in whole fen and counts; the API reads them as yuan (projections/dashboard_queries.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.shared.values import from_fen


def yuan(fen: int) -> Decimal:
    return from_fen(fen)


def months_between(from_month: str, to_month: str) -> list[str]:
    """'YYYY-MM' months from one to the other, both included (empty when reversed)."""
    year, month = int(from_month[:4]), int(from_month[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= to_month:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


class MealMoney:
    """The meals' money of a cell or a day, in fen, read as yuan."""

    price_fen: int
    government_fen: int
    collective_fen: int
    elder_fen: int

    @property
    def price(self) -> Decimal:
        return yuan(self.price_fen)

    @property
    def government(self) -> Decimal:
        return yuan(self.government_fen)

    @property
    def collective(self) -> Decimal:
        return yuan(self.collective_fen)

    @property
    def co_payment(self) -> Decimal:
        return yuan(self.elder_fen)


@dataclass
class Figures(MealMoney):
    """key: the month ('YYYY-MM'), the town's or village's code, or the place's code."""

    key: str
    name: str
    meals: int = 0
    price_fen: int = 0
    government_fen: int = 0
    collective_fen: int = 0
    elder_fen: int = 0
    elders_served: int = 0
    income_fen: int = 0
    assets_in_force: int = 0
    land_contracts: int = 0
    land_area_m2: Decimal = Decimal("0")
    land_price_fen: int = 0
    installments_fen: int = 0
    levy_paid_fen: int = 0
    arrears_invoices: int = 0
    arrears_fen: int = 0
    findings: int = 0
    overdue_disclosures: int | None = None  # counted when the disclosures read model is there

    def add_meals(self, counts: list[int]) -> None:
        """(meals, price, government, collective, co-payment fen) added in."""
        self.meals += counts[0]
        self.price_fen += counts[1]
        self.government_fen += counts[2]
        self.collective_fen += counts[3]
        self.elder_fen += counts[4]

    @property
    def income(self) -> Decimal:
        return yuan(self.income_fen)

    @property
    def land_price(self) -> Decimal:
        return yuan(self.land_price_fen)

    @property
    def installments_received(self) -> Decimal:
        return yuan(self.installments_fen)

    @property
    def levy_paid(self) -> Decimal:
        return yuan(self.levy_paid_fen)

    @property
    def arrears(self) -> Decimal:
        return yuan(self.arrears_fen)
