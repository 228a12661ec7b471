# mypy: disallow-subclassing-any=False
# (graphene ships no type information: its base classes are Any to mypy)
"""Elders: enrolment, categories, suspension, moves, death and the erasure of personal data."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from api.auth.owners import outside_villages
from api.auth.permissions import WRITE_RECORDS, Owner
from api.enums import ErasureReason, MealCategory, SuspensionReason
from api.meals.inputs import ElderCategoryInput, categories
from api.meals.mutations.subjects import ELDER, ELDER_ID
from api.mutation import Authorized, CommandMutation
from domain.meals.application import MealsApplication
from domain.meals.model.elder import Elder
from domain.shared.values import Provenance


class EnrolElder(CommandMutation):
    """Enrol an elder aged 60 or over. The name and ID number are sealed before they are
    recorded; the payload shows them masked. A retry with the same details returns the same
    elder; the same ID number with other details is refused (`elder_already_enrolled`)."""

    class Meta:
        subject = ELDER
        permission = WRITE_RECORDS.of("village_code")
        creates = Elder

    class Arguments(Authorized):
        village_code = graphene.String(required=True, description="Where the elder lives.")
        name = graphene.String(required=True)
        id_number = graphene.String(required=True, description="Resident ID number (GB 11643).")
        categories = graphene.List(graphene.NonNull(ElderCategoryInput), required=True)
        enrolled_on = graphene.Date(required=True)
        birth_date = graphene.Date(description="When given, must agree with the ID number.")

    @staticmethod
    async def mutate(root: None, info: GraphQLResolveInfo, **args: Any) -> Any:
        authority = args.pop("authority", None)
        held = categories(args.pop("categories"))

        def command(app: MealsApplication, by: Provenance) -> UUID:
            return app.enrol_elder(categories=held, by=by, **args)

        return await EnrolElder.run(info, authority, command)


class GrantCategory(CommandMutation):
    """Grant an eligibility category from a day (an age band not before the elder's birthday)."""

    class Meta:
        subject = ELDER
        permission = ELDER.writes

    class Arguments(Authorized):
        elder_id = graphene.ID(required=True, description=ELDER_ID)
        category = MealCategory(required=True)
        valid_from = graphene.Date(required=True)
        valid_to = graphene.Date(description="Last day; omitted while it lasts.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        elder_id: str,
        category: str,
        valid_from: date,
        valid_to: date | None = None,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, elder: UUID, by: Provenance) -> None:
            app.grant_category(elder, category, valid_from, by, valid_to)

        return await GrantCategory.act(info, authority, elder_id, command)


class EndCategory(CommandMutation):
    """End the open window of a category on its last day."""

    class Meta:
        subject = ELDER
        permission = ELDER.writes

    class Arguments(Authorized):
        elder_id = graphene.ID(required=True, description=ELDER_ID)
        category = MealCategory(required=True)
        valid_to = graphene.Date(required=True, description="The last day it holds.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        elder_id: str,
        category: str,
        valid_to: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, elder: UUID, by: Provenance) -> None:
            app.end_category(elder, category, valid_to, by)

        return await EndCategory.act(info, authority, elder_id, command)


class SuspendElder(CommandMutation):
    """Suspend meal assistance from a day on (a hospital stay, a review …) until resumed."""

    class Meta:
        subject = ELDER
        permission = ELDER.writes

    class Arguments(Authorized):
        elder_id = graphene.ID(required=True, description=ELDER_ID)
        from_on = graphene.Date(required=True, description="The first day without meals.")
        reason = SuspensionReason(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        elder_id: str,
        from_on: date,
        reason: str,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, elder: UUID, by: Provenance) -> None:
            app.suspend_elder(elder, from_on, reason, by)

        return await SuspendElder.act(info, authority, elder_id, command)


class ResumeElder(CommandMutation):
    """End the suspension in force: meals are allowed again from `resumedOn`."""

    class Meta:
        subject = ELDER
        permission = ELDER.writes

    class Arguments(Authorized):
        elder_id = graphene.ID(required=True, description=ELDER_ID)
        resumed_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        elder_id: str,
        resumed_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, elder: UUID, by: Provenance) -> None:
            app.resume_elder(elder, resumed_on, by)

        return await ResumeElder.act(info, authority, elder_id, command)


class MoveElder(CommandMutation):
    """The elder moved to another registered village (a token limited to villages must hold
    both), or (no `toVillageCode`) out of the area."""

    class Meta:
        subject = ELDER
        permission = ELDER.writes.of("to_village_code")

    class Arguments(Authorized):
        elder_id = graphene.ID(required=True, description=ELDER_ID)
        moved_on = graphene.Date(required=True)
        to_village_code = graphene.String(description="Omitted: out of the registry's area.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        elder_id: str,
        moved_on: date,
        to_village_code: str | None = None,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, elder: UUID, by: Provenance) -> None:
            app.move_elder(elder, moved_on, by, to_village_code)

        return await MoveElder.act(info, authority, elder_id, command)


class RecordDeath(CommandMutation):
    """Record a death, reported on a later day, and void every meal found after the death date
    (reason `meal_after_death`) in the same transaction. Safe to repeat."""

    class Meta:
        subject = ELDER
        permission = ELDER.writes

    voided_meal_ids = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.ID)),
        description="The meals this command voided (a paid one is clawed back next settlement); "
        "for a token limited to villages, those of its villages' meal points.",
    )

    class Arguments(Authorized):
        elder_id = graphene.ID(required=True, description=ELDER_ID)
        died_on = graphene.Date(required=True, description="Meals on this day are allowed.")
        reported_on = graphene.Date(required=True, description="When the registry learnt of it.")

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        elder_id: str,
        died_on: date,
        reported_on: date,
        authority: str | None = None,
    ) -> Any:
        voided: list[str] = []

        def command(app: MealsApplication, elder: UUID, by: Provenance) -> None:
            voided.extend(str(m) for m in app.record_death(elder, died_on, reported_on, by))

        return await RecordDeath.act(info, authority, elder_id, command, voided_meal_ids=voided)

    @staticmethod
    async def resolve_voided_meal_ids(root: Any, info: GraphQLResolveInfo) -> list[str]:
        """Meals served at another village's points stay voided, but are not named here."""
        voided: list[str] = root.voided_meal_ids
        hidden = await outside_villages(info, Owner.MEAL, voided)
        return [m for m in voided if m not in hidden]


class ErasePersonalData(CommandMutation):
    """Destroy the elder's key: name and ID number become unreadable for good (null from now
    on); every event, meal, settlement and journal entry stays. Safe to repeat."""

    class Meta:
        subject = ELDER
        permission = ELDER.writes

    class Arguments(Authorized):
        elder_id = graphene.ID(required=True, description=ELDER_ID)
        reason = ErasureReason(required=True)
        erased_on = graphene.Date(required=True)

    @staticmethod
    async def mutate(
        root: None,
        info: GraphQLResolveInfo,
        elder_id: str,
        reason: str,
        erased_on: date,
        authority: str | None = None,
    ) -> Any:
        def command(app: MealsApplication, elder: UUID, by: Provenance) -> None:
            app.erase_personal_data(elder, reason, erased_on, by)

        return await ErasePersonalData.act(info, authority, elder_id, command)
