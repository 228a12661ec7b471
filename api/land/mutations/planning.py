# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""From registration to filing: the parcel, its planning conditions, the entry plan and the
collective's decision on it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.auth.permissions import WRITE_RECORDS
from api.enums import LandClass, PlannedUse
from api.land.inputs import EntryPlanInput, entry_plan
from api.land.mutations.subject import PARCEL, PARCEL_ID
from api.mutation import Authorized, CommandMutation
from api.resolution import ResolutionInput, resolution_dict
from domain.land.application import LandApplication
from domain.land.model import Parcel
from domain.shared.values import Provenance


class RegisterParcel(CommandMutation):
    """Register a parcel of collective construction land for entry into the market. Only an
    operating use in the land-use plan qualifies; farmland and homesteads are refused. A retry
    with the same content records nothing; the same code with other content is refused."""

    class Meta:
        subject = PARCEL
        permission = WRITE_RECORDS.of("village_code")
        creates = Parcel

    class Arguments(Authorized):
        village_code = graphene.String(required=True)
        parcel_code = graphene.String(required=True, description="宗地代码, unique in the village.")
        area_m2 = graphene.Decimal(required=True, description="Square metres, four decimals.")
        location = graphene.String(required=True)
        planned_use = PlannedUse(
            required=True, description="From the land-use plan; only operating uses qualify."
        )
        land_class = LandClass(
            required=True,
            description="collective_construction_land (homestead, farmland and unused_land "
            "are refused)",
        )
        certificate_no = graphene.String(required=True, description="The land certificate.")
        registered_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        village_code: str,
        parcel_code: str,
        area_m2: Decimal,
        location: str,
        planned_use: str,
        land_class: str,
        certificate_no: str,
        registered_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, by: Provenance) -> UUID:
            return app.register_parcel(
                village_code,
                parcel_code,
                area_m2,
                location,
                planned_use,
                land_class,
                certificate_no,
                registered_on,
                by,
            )

        return await RegisterParcel.run(info, authority, command)


class IssuePlanningConditions(CommandMutation):
    """Record the planning conditions (规划条件) issued for the parcel."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        document_no = graphene.String(required=True)
        issued_by = graphene.String(required=True, description="The natural-resources office.")
        issued_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        document_no: str,
        issued_by: str,
        issued_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.issue_planning_conditions(parcel, document_no, issued_by, issued_on, by)

        return await IssuePlanningConditions.act(info, authority, parcel_id, command)


class DraftEntryPlan(CommandMutation):
    """Draft (or redraft, until it is approved) the entry plan. The term maxima and the uses
    allowed a private agreement in force on the plan's date apply and are recorded."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        plan = EntryPlanInput(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        plan: Any,
        authority: str | None = None,
    ) -> Any:
        drafted = entry_plan(plan)

        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.draft_entry_plan(parcel, drafted, by)

        return await DraftEntryPlan.act(info, authority, parcel_id, command)


class ApproveEntryPlan(CommandMutation):
    """The collective approves the plan: at least two thirds of ALL members of the villagers'
    meeting or of ALL representatives, counted against the total (土地管理法 art. 63)."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        resolution = ResolutionInput(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        resolution: Any,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.approve_entry_plan(parcel, resolution_dict(resolution), by)

        return await ApproveEntryPlan.act(info, authority, parcel_id, command)


class FileEntryPlan(CommandMutation):
    """File the approved plan with the district government (备案); listing may follow once the
    minimum number of working days in force has passed."""

    class Meta:
        subject = PARCEL
        permission = PARCEL.writes

    class Arguments(Authorized):
        parcel_id = graphene.ID(required=True, description=PARCEL_ID)
        filed_with = graphene.String(required=True)
        filing_no = graphene.String(required=True)
        filed_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        parcel_id: str,
        filed_with: str,
        filing_no: str,
        filed_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: LandApplication, parcel: UUID, by: Provenance) -> None:
            app.file_entry_plan(parcel, filed_with, filing_no, filed_on, by)

        return await FileEntryPlan.act(info, authority, parcel_id, command)
