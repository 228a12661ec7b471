# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root field of the district's monthly summary."""

from __future__ import annotations

import re

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import READ_DISTRICT_VIEWS, PermittedField
from api.common import read
from api.summary.types import DistrictMonthlySummary
from domain.shared.errors import InvalidInput
from projections.summary_queries import DistrictMonth, district_month

_DISTRICT = re.compile(r"[0-9]{6}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def checked_month(month: str) -> str:
    found = _MONTH.fullmatch(month)
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1:
        raise InvalidInput(f"month must be YYYY-MM, got {month!r}", field="month")
    return month


class SummaryQuery(graphene.ObjectType):
    district_monthly_summary = PermittedField(
        DistrictMonthlySummary,
        permission=READ_DISTRICT_VIEWS,
        district_code=graphene.String(required=True, description="6-digit district code."),
        month=graphene.String(required=True, description="YYYY-MM, e.g. 2025-03."),
        description="Income by town and village, land proceeds by town and meals by category "
        "and meal point, for one month; null when the district is not registered.",
    )

    @staticmethod
    def resolve_district_monthly_summary(
        root: None, info: GraphQLResolveInfo, district_code: str, month: str
    ) -> DistrictMonth | None:
        if _DISTRICT.fullmatch(district_code) is None:
            raise InvalidInput(
                f"districtCode must be 6 digits, got {district_code!r}", field="district_code"
            )
        wanted = checked_month(month)
        return read(info, lambda conn: district_month(conn, district_code, wanted))
