"""The domain's closed vocabularies as GraphQL enums, for arguments and output fields alike.

Each enum is built from the domain's own constant, never retyped here, and its GraphQL value
names ARE the domain's codes (lower_snake, as GraphQL allows): outputs serialise to the strings
clients already read, variables take the strings they already send, and only a literal in a
document loses its quotes (``status: contracted``). A value outside the vocabulary is refused by
GraphQL validation, before anything runs, instead of silently matching nothing.

graphene would hand resolvers Python enum members; ``plain_values`` makes them receive the codes
as plain ``str``, so nothing below the schema changes: commands, events (whose stored bytes must
stay the same) and idempotency digests see exactly what they saw before.

Not enums, on purpose: resource kinds (``assets.resource_kinds`` is a policy a district revises,
docs/rules.md P-03, so the schema cannot fix its list) and policy keys (their dots are not GraphQL
names; an unknown key is refused with ``policy_key_unknown``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum, StrEnum
from typing import Any

import graphene
from graphene.types.definitions import GrapheneEnumType

from domain.access.roles import ROLES
from domain.assets.rentroll import ROW_STATUS_NAMES_ZH, ROW_STATUSES
from domain.assets.vocabulary import (
    CORRECTION_REASONS,
    COUNTERPARTY_KINDS,
    INVOICE_CORRECTION_REASONS,
    MATTER_NAMES_ZH,
    MATTERS,
    MODE_NAMES_ZH,
    MODES,
    RECEIPT_REVERSAL_REASONS,
    STATUSES,
    TERMINATION_REASONS,
)
from domain.books.vocabulary import ENTRY_KIND_NAMES_ZH, ENTRY_KINDS
from domain.land.vocabulary import (
    ENTRY_WAYS,
    LAND_CLASSES,
    LEVY_BASES,
    LISTING_METHODS,
    PAYMENT_KINDS,
    PLANNED_USES,
    STAGES,
    WINNER_KINDS,
)
from domain.ledger.chart import ACCOUNT_CATEGORIES, CATEGORY_NAMES_ZH
from domain.meals.errors import MEAL_REFUSAL_REASONS
from domain.meals.vocabulary import (
    CATEGORIES,
    CLOSURE_REASONS,
    DRAFT_STATUSES,
    ELDER_STATUSES,
    ERASURE_REASONS,
    MEAL_POINT_KINDS,
    OPERATOR_KINDS,
    OUTCOME_STATUSES,
    SETTLEMENT_RETURN_REASONS,
    SETTLEMENT_STATUSES,
    SLOT_NAMES_ZH,
    SLOTS,
    SUSPENSION_REASONS,
    VOID_REASONS,
)
from domain.reference.model import TOWN_KIND_NAMES_ZH, TOWN_KINDS
from domain.shared.resolution import COUNTING_BASES, MEETING_KIND_NAMES_ZH, MEETING_KINDS
from domain.shared.values import PAYMENT_CHANNELS
from projections.meals.findings import FINDING_KINDS, FINDING_STATUSES

# Every vocabulary enum of the schema: its GraphQL name → the domain's codes, in their order.
VOCABULARIES: dict[str, tuple[str, ...]] = {}


def vocabulary(
    name: str, codes: Iterable[str], description: str, meanings: Mapping[str, str] | None = None
) -> Any:
    """A GraphQL enum whose values are ``codes`` (the domain's constant itself), each described
    by its entry in ``meanings`` (its Chinese name, or what it means) when it has one."""
    values = tuple(codes)
    assert name not in VOCABULARIES, f"{name}: one enum per vocabulary"
    VOCABULARIES[name] = values
    members = StrEnum(name, [(code, code) for code in values])  # type: ignore[misc]
    known = dict(meanings or {})

    def describe(member: Enum | None) -> str | None:
        return description if member is None else known.get(str(member.value))

    return graphene.Enum.from_enum(members, description=describe)


def plain_values(schema: graphene.Schema) -> graphene.Schema:
    """Let each vocabulary enum hand resolvers its code as a plain ``str``: the value GraphQL
    parses a literal or a variable into is the code itself, not graphene's enum member (an
    output is still serialised from the code a resolver returns)."""
    for graphql_type in schema.graphql_schema.type_map.values():
        if isinstance(graphql_type, GrapheneEnumType) and graphql_type.name in VOCABULARIES:
            for code, value in graphql_type.values.items():
                value.value = code
            graphql_type.__dict__.pop("_value_lookup", None)  # graphql-core's cache of values
    return schema


def _zh(names: Mapping[str, Any]) -> dict[str, str]:
    return {code: str(getattr(name, "name_zh", name)) for code, name in names.items()}


# -- places, access ------------------------------------------------------------------------------

TownKind = vocabulary("TownKind", TOWN_KINDS, "What a town-level place is.", TOWN_KIND_NAMES_ZH)
Role = vocabulary("Role", ROLES, "What an API token may do (docs/api.md, Roles).")

# -- assets (盘活) -------------------------------------------------------------------------------

AssetStatus = vocabulary(
    "AssetStatus",
    STATUSES,
    "Where an asset is in its lifecycle: registered → rights_confirmed → approved | rejected "
    "→ listed → contracted (in_arrears while rent is overdue) → terminated | disposed.",
)
ContractMode = vocabulary(
    "ContractMode", MODES, "How a contract puts an asset to use.", MODE_NAMES_ZH
)
RevitalizationMatter = vocabulary(
    "RevitalizationMatter",
    MATTERS,
    "What a collective resolution approves or rejects for an asset: a contract mode or its "
    "disposal. Lease and disposal need two thirds of ALL members.",
    MATTER_NAMES_ZH,
)
CounterpartyKind = vocabulary(
    "CounterpartyKind", COUNTERPARTY_KINDS, "Who the other party of a contract is."
)
TerminationReason = vocabulary(
    "TerminationReason", TERMINATION_REASONS, "Why a contract ended before its term."
)
PaymentChannel = vocabulary("PaymentChannel", PAYMENT_CHANNELS, "How money moved.")
EntryKind = vocabulary(
    "EntryKind",
    ENTRY_KINDS,
    "What caused a journal entry: a programme's fact, a reviewed voucher, a year-end closing "
    "voucher, or a red reversal (红字冲销).",
    ENTRY_KIND_NAMES_ZH,
)
InvoiceCorrectionReason = vocabulary(
    "InvoiceCorrectionReason",
    INVOICE_CORRECTION_REASONS,
    "Why an invoice's amount is corrected (docs/audit.md).",
    CORRECTION_REASONS,
)
ReceiptReversalReason = vocabulary(
    "ReceiptReversalReason",
    RECEIPT_REVERSAL_REASONS,
    "Why a receipt is reversed (docs/audit.md).",
    CORRECTION_REASONS,
)
MeetingKind = vocabulary(
    "MeetingKind", MEETING_KINDS, "The meeting that passed a resolution.", MEETING_KIND_NAMES_ZH
)
CountedAgainst = vocabulary(
    "CountedAgainst",
    COUNTING_BASES,
    "What the minutes counted the votes against: all members (total) or those present.",
)

# -- land entering the market (入市) ---------------------------------------------------------------

ParcelStage = vocabulary(
    "ParcelStage", STAGES, "A parcel's stage, in the one order the lifecycle allows."
)
PlannedUse = vocabulary(
    "PlannedUse",
    PLANNED_USES,
    "The use the land-use plan gives a parcel; only operating uses may enter the market.",
    _zh(PLANNED_USES),
)
LandClass = vocabulary(
    "LandClass",
    LAND_CLASSES,
    "The land class (地类) on the certificate; only collective construction land that is not a "
    "homestead may enter the market.",
    LAND_CLASSES,
)
EntryWay = vocabulary("EntryWay", ENTRY_WAYS, "How land enters the market.", ENTRY_WAYS)
ListingMethod = vocabulary(
    "ListingMethod", LISTING_METHODS, "How the winner is chosen.", LISTING_METHODS
)
WinnerKind = vocabulary("WinnerKind", WINNER_KINDS, "Who won a parcel.")
LevyBase = vocabulary(
    "LevyBase",
    LEVY_BASES,
    "What the adjustment-fund (土地增值收益调节金) rate applies to.",
    LEVY_BASES,
)
ParcelPaymentKind = vocabulary(
    "ParcelPaymentKind", PAYMENT_KINDS, "Which money a parcel payment is.", PAYMENT_KINDS
)

# -- elderly meal assistance (老年助餐) ------------------------------------------------------------

MealSlot = vocabulary("MealSlot", SLOTS, "A meal of the day.", SLOT_NAMES_ZH)
MealCategory = vocabulary(
    "MealCategory",
    CATEGORIES,
    "An eligibility category of meal assistance (the subsidy depends on it).",
    CATEGORIES,
)
MealPointKind = vocabulary(
    "MealPointKind", MEAL_POINT_KINDS, "What kind of meal point.", MEAL_POINT_KINDS
)
OperatorKind = vocabulary("OperatorKind", OPERATOR_KINDS, "Who runs a meal point.", OPERATOR_KINDS)
SuspensionReason = vocabulary(
    "SuspensionReason", SUSPENSION_REASONS, "Why an elder's meal assistance is suspended."
)
ClosureReason = vocabulary("ClosureReason", CLOSURE_REASONS, "Why a meal point closed.")
ErasureReason = vocabulary(
    "ErasureReason", ERASURE_REASONS, "Why an elder's personal data is erased."
)
VoidReason = vocabulary("VoidReason", VOID_REASONS, "Why a recorded meal was voided.")
SettlementReturnReason = vocabulary(
    "SettlementReturnReason",
    SETTLEMENT_RETURN_REASONS,
    "Why the civil-affairs office sent a settlement back.",
)
ElderStatus = vocabulary("ElderStatus", ELDER_STATUSES, "What the register says of an elder.")
SettlementStatus = vocabulary(
    "SettlementStatus",
    SETTLEMENT_STATUSES,
    "Where a month's claim is: drafted → submitted → verified → approved → paid; returned → "
    "drafted again.",
)
RentReceiptRowStatus = vocabulary(
    "RentReceiptRowStatus",
    ROW_STATUSES,
    "What became of one row of a rent roll.",
    ROW_STATUS_NAMES_ZH,
)
AccountCategory = vocabulary(
    "AccountCategory",
    ACCOUNT_CATEGORIES,
    "The category of an account (科目类别).",
    CATEGORY_NAMES_ZH,
)
MealOutcomeStatus = vocabulary(
    "MealOutcomeStatus",
    OUTCOME_STATUSES,
    "What became of one record of an upload.",
    OUTCOME_STATUSES,
)
SettlementDraftStatus = vocabulary(
    "SettlementDraftStatus",
    DRAFT_STATUSES,
    "What became of one meal point's settlement in a command drafting many.",
    DRAFT_STATUSES,
)
MealRefusalReason = vocabulary(
    "MealRefusalReason",
    MEAL_REFUSAL_REASONS,
    "Why one record of an upload was refused.",
    MEAL_REFUSAL_REASONS,
)
FindingKind = vocabulary(
    "FindingKind", FINDING_KINDS, "What an audit finding is about.", FINDING_KINDS
)
FindingStatus = vocabulary(
    "FindingStatus", FINDING_STATUSES, "How a finding stands.", FINDING_STATUSES
)
