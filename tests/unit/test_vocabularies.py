"""The domain's closed vocabularies are GraphQL enums: each one equals the domain's own list,
carries its Chinese names, hands resolvers plain codes, and no vocabulary-named field or argument
is left a free String."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest
from graphql import (
    EnumValueNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)

from api.enums import VOCABULARIES
from api.meals.loaders import ELDER_STATUS_FILTERS
from api.schema import build_schema
from domain.access.roles import ROLES
from domain.assets import vocabulary as assets
from domain.assets.rentroll import ROW_STATUS_NAMES_ZH, ROW_STATUSES
from domain.books import vocabulary as books
from domain.disclosure import vocabulary as disclosure
from domain.land import vocabulary as land
from domain.ledger.chart import ACCOUNT_CATEGORIES, CATEGORY_NAMES_ZH
from domain.meals import vocabulary as meals
from domain.meals.errors import MEAL_REFUSAL_REASONS
from domain.reference.model import TOWN_KIND_NAMES_ZH, TOWN_KINDS
from domain.shared import resolution
from domain.shared.values import PAYMENT_CHANNELS
from projections.meals.findings import FINDING_KINDS, FINDING_STATUSES

# GraphQL enum → the domain's vocabulary it must equal, value for value and in order.
EXPECTED: dict[str, tuple[str, ...]] = {
    "TownKind": TOWN_KINDS,
    "Role": ROLES,
    "AssetStatus": assets.STATUSES,
    "ContractMode": assets.MODES,
    "RevitalizationMatter": assets.MATTERS,
    "CounterpartyKind": assets.COUNTERPARTY_KINDS,
    "TerminationReason": assets.TERMINATION_REASONS,
    "PaymentChannel": PAYMENT_CHANNELS,
    "InvoiceCorrectionReason": assets.INVOICE_CORRECTION_REASONS,
    "ReceiptReversalReason": assets.RECEIPT_REVERSAL_REASONS,
    "MeetingKind": resolution.MEETING_KINDS,
    "CountedAgainst": resolution.COUNTING_BASES,
    "ParcelStage": land.STAGES,
    "PlannedUse": tuple(land.PLANNED_USES),
    "LandClass": tuple(land.LAND_CLASSES),
    "EntryWay": tuple(land.ENTRY_WAYS),
    "ListingMethod": tuple(land.LISTING_METHODS),
    "WinnerKind": land.WINNER_KINDS,
    "LevyBase": tuple(land.LEVY_BASES),
    "ParcelPaymentKind": tuple(land.PAYMENT_KINDS),
    "MealSlot": meals.SLOTS,
    "MealCategory": tuple(meals.CATEGORIES),
    "MealPointKind": tuple(meals.MEAL_POINT_KINDS),
    "OperatorKind": tuple(meals.OPERATOR_KINDS),
    "SuspensionReason": meals.SUSPENSION_REASONS,
    "ClosureReason": meals.CLOSURE_REASONS,
    "ErasureReason": meals.ERASURE_REASONS,
    "VoidReason": meals.VOID_REASONS,
    "SettlementReturnReason": meals.SETTLEMENT_RETURN_REASONS,
    "ElderStatus": meals.ELDER_STATUSES,
    "SettlementStatus": meals.SETTLEMENT_STATUSES,
    "MealOutcomeStatus": tuple(meals.OUTCOME_STATUSES),
    "SettlementDraftStatus": tuple(meals.DRAFT_STATUSES),
    "MealRefusalReason": tuple(MEAL_REFUSAL_REASONS),
    "FindingKind": tuple(FINDING_KINDS),
    "FindingStatus": tuple(FINDING_STATUSES),
    "VoucherStatus": books.STATUSES,
    "SubledgerCounterpartyKind": books.COUNTERPARTY_KINDS,
    "EntryKind": books.ENTRY_KINDS,
    "RentReceiptRowStatus": ROW_STATUSES,
    "AccountCategory": ACCOUNT_CATEGORIES,
    "DisclosureState": disclosure.STATES,
}
# Chinese names the domain keeps: each must be its value's description.
NAMES_ZH: dict[str, Mapping[str, str]] = {
    "TownKind": TOWN_KIND_NAMES_ZH,
    "RentReceiptRowStatus": ROW_STATUS_NAMES_ZH,
    "AccountCategory": CATEGORY_NAMES_ZH,
    "DisclosureState": disclosure.STATE_NAMES_ZH,
    "ContractMode": assets.MODE_NAMES_ZH,
    "RevitalizationMatter": assets.MATTER_NAMES_ZH,
    "MeetingKind": resolution.MEETING_KIND_NAMES_ZH,
    "PlannedUse": {code: use.name_zh for code, use in land.PLANNED_USES.items()},
    "LandClass": land.LAND_CLASSES,
    "EntryWay": land.ENTRY_WAYS,
    "ListingMethod": land.LISTING_METHODS,
    "LevyBase": land.LEVY_BASES,
    "MealSlot": meals.SLOT_NAMES_ZH,
    "MealCategory": meals.CATEGORIES,
    "MealPointKind": meals.MEAL_POINT_KINDS,
    "OperatorKind": meals.OPERATOR_KINDS,
    "VoucherStatus": books.STATUS_NAMES_ZH,
    "SubledgerCounterpartyKind": books.COUNTERPARTY_KIND_NAMES_ZH,
    "EntryKind": books.ENTRY_KIND_NAMES_ZH,
}
# Names that always mean a closed vocabulary, wherever a field, argument or input field has one.
VOCABULARY_NAMES = frozenset(
    {
        "status",
        "stage",
        "slot",
        "category",
        "channel",
        "role",
        "mode",
        "matter",
        "kind",
        "kinds",
        "reason",
        "reasonCode",
        "meetingKind",
        "planMeetingKind",
        "countedAgainst",
        "counterpartyKind",
        "operatorKind",
        "winnerKind",
        "plannedUse",
        "landClass",
        "way",
        "listingMethod",
        "levyBaseKind",
        "terminationReason",
        "returnReason",
        "voidReason",
    }
)
# Free text or open lists on purpose, each with its reason.
NOT_VOCABULARIES = {
    # the resource kinds are the policy `assets.resource_kinds`, revised by a district
    "Asset.kind",
    "Query.assets(kind)",
    "Mutation.registerAsset(kind)",
    # why a token was revoked is the administrator's own words
    "Mutation.revokeApiToken(reason)",
    # a rent-roll row's refusal is the code receiveRent refuses that receipt with: any of the
    # domain's error codes, not a list of its own
    "RentReceiptRowOutcome.reasonCode",
    # why a published disclosure is corrected is the accountant's own words
    "Mutation.draftDisclosure(reason)",
    # the change feed's kinds are event types (Asset.Contracted) and aggregates (Asset), which an
    # enum value cannot spell (a dot); checked against the feed's kinds (feed_kind_unknown)
    "Subscription.events(kinds)",
}


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    built: GraphQLSchema = build_schema().graphql_schema
    return built


def enums(schema: GraphQLSchema) -> dict[str, GraphQLEnumType]:
    return {
        name: t
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLEnumType) and not name.startswith("__")
    }


def test_every_graphql_enum_equals_its_domain_vocabulary(schema: GraphQLSchema) -> None:
    found = {name: tuple(t.values) for name, t in enums(schema).items()}
    assert found == EXPECTED
    assert VOCABULARIES == EXPECTED


def test_every_value_the_domain_names_in_chinese_carries_that_name(schema: GraphQLSchema) -> None:
    for name, names_zh in NAMES_ZH.items():
        described = {code: v.description for code, v in enums(schema)[name].values.items()}
        assert described == dict(names_zh), name


def test_every_enum_says_what_it_is(schema: GraphQLSchema) -> None:
    assert [name for name, t in enums(schema).items() if not t.description] == []


def test_an_enum_hands_resolvers_the_plain_code_of_a_literal_or_a_variable(
    schema: GraphQLSchema,
) -> None:
    # events must keep their stored bytes: a code reaches the domain as an exact str
    for name, graphql_type in enums(schema).items():
        for code in graphql_type.values:
            for parsed in (
                graphql_type.parse_literal(EnumValueNode(value=code)),
                graphql_type.parse_value(code),
            ):
                assert type(parsed) is str and parsed == code, (name, code, parsed)
            assert graphql_type.serialize(code) == code


def schema_positions(schema: GraphQLSchema) -> Iterator[tuple[str, str, str]]:
    """(position, its name, the name of its type) of every field, argument and input field."""
    for type_name, graphql_type in schema.type_map.items():
        if type_name.startswith("__"):
            continue
        if isinstance(graphql_type, GraphQLObjectType):
            for field_name, field in graphql_type.fields.items():
                yield f"{type_name}.{field_name}", field_name, get_named_type(field.type).name
                for arg_name, arg in field.args.items():
                    position = f"{type_name}.{field_name}({arg_name})"
                    yield position, arg_name, get_named_type(arg.type).name
        if isinstance(graphql_type, GraphQLInputObjectType):
            for field_name, input_field in graphql_type.fields.items():
                named = get_named_type(input_field.type).name
                yield f"{type_name}.{field_name}", field_name, named


def test_no_field_or_argument_named_for_a_vocabulary_is_a_free_string(
    schema: GraphQLSchema,
) -> None:
    strings = {
        position
        for position, name, type_name in schema_positions(schema)
        if name in VOCABULARY_NAMES and type_name == "String"
    }
    assert strings == NOT_VOCABULARIES


def test_the_same_codes_mean_the_same_in_every_context() -> None:
    # one PaymentChannel enum serves assets, land and meals: one list (domain/shared/values.py),
    # no context keeps a copy that could drift apart
    for vocabulary in (assets, land, meals):
        assert "PAYMENT_CHANNELS" not in vars(vocabulary), vocabulary.__name__
    assert PAYMENT_CHANNELS == ("bank", "cash")
    assert set(ELDER_STATUS_FILTERS) == set(meals.ELDER_STATUSES)
