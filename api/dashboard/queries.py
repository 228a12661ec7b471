# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Root field of the dashboard of a district or a town."""

from __future__ import annotations

import re
from datetime import date

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import READ_DISTRICT_VIEWS, PermittedField
from api.common import context_of, read
from api.dashboard.types import MAX_DASHBOARD_MONTHS, Dashboard
from api.summary.queries import checked_month
from domain.shared.clock import business_date
from domain.shared.errors import DomainError, InvalidInput
from projections.dashboard_queries import Dashboard as DashboardRow
from projections.dashboard_queries import dashboard

_PLACE = re.compile(r"[0-9]{6}|[0-9]{9}")


class DashboardRangeTooLong(DomainError):
    """A dashboard covers at most 24 months, and its first month comes before its last."""

    code = "dashboard_range_invalid"


def checked_range(from_month: str, to_month: str) -> tuple[str, str]:
    first = checked_month(from_month)
    last = checked_month(to_month)
    # the registry's calendar (date_out_of_range): the last day of 2999-12 is its last day
    business_date(date.fromisoformat(f"{first}-01"), "from_month")
    business_date(date.fromisoformat(f"{last}-01"), "to_month")
    months = _index(last) - _index(first) + 1
    if months == 0 or months > MAX_DASHBOARD_MONTHS:
        raise DashboardRangeTooLong(
            f"fromMonth {first} to toMonth {last}: a dashboard covers 1 to "
            f"{MAX_DASHBOARD_MONTHS} months, first month first",
            field="to_month",
        )
    return first, last


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7])


class DashboardQuery(graphene.ObjectType):
    dashboard = PermittedField(
        Dashboard,
        permission=READ_DISTRICT_VIEWS,
        place_code=graphene.String(
            required=True, description="A district (6 digits) or a town (9 digits)."
        ),
        from_month=graphene.String(required=True, description="YYYY-MM, the first month."),
        to_month=graphene.String(
            required=True,
            description=f"YYYY-MM, the last month (at most {MAX_DASHBOARD_MONTHS} in all).",
        ),
        description="Meals and their subsidies, elders served, assets put to use and income, "
        "land entering the market and its proceeds, rent arrears and meal findings of a "
        "district or a town, by month, day and town or village; null when no such place.",
    )

    @staticmethod
    def resolve_dashboard(
        root: None, info: GraphQLResolveInfo, place_code: str, from_month: str, to_month: str
    ) -> DashboardRow | None:
        if _PLACE.fullmatch(place_code) is None:
            raise InvalidInput(
                f"placeCode must be a district (6 digits) or a town (9 digits), got {place_code!r}",
                field="place_code",
            )
        first, last = checked_range(from_month, to_month)
        today = context_of(info).registry.clock.today()
        return read(info, lambda conn: dashboard(conn, place_code, first, last, today))
