"""How many items each plain (non-connection) list of the schema can really hold, declared once
here with the constants that cap it, so that the estimate of what a query returns
(api/limits.py) multiplies by what a list can hold, not by a guess. A connection's edges are
bounded by its ``first`` instead. A test fails when a list field of the schema has no bound
here, or a bound names a field the schema lacks: a new list cannot be forgotten.

Most bounds hold per parent object (``PerParent``). A list whose items are spread over the
parents of another list holds a total instead (``InAll``): the villages of a district's monthly
summary are at most MAX_SUMMARY_VILLAGES in all, however they fall into towns."""

from __future__ import annotations

from dataclasses import dataclass

from api.common import MAX_LIST
from api.dashboard.types import (
    AREAS_MAX,
    ASSET_MODE_ROWS_MAX,
    FINDING_KINDS_MAX,
    MAX_DASHBOARD_DAYS,
    MAX_DASHBOARD_MONTHS,
)
from api.land.queries import LAND_POLICY_KEYS
from api.meals.queries import MAX_FINDING_DAYS
from api.meals.types.points import MAX_DAILY_COUNT_DAYS
from api.summary.types import MAX_SUMMARY_MEAL_LINES, MAX_SUMMARY_VILLAGES
from domain.access.application import MAX_TOKEN_VILLAGES
from domain.assets.rentroll import MAX_RENT_ROLL_ROWS
from domain.audit.verification import MAX_KEYS
from domain.books.vocabulary import VOUCHER_LINES_MAX
from domain.disclosure.vocabulary import (
    DISTRIBUTIONS_MAX,
    LAND_ENTRIES_MAX,
    LEASES_MAX,
    REVIEW_MEMBERS_MAX,
)
from domain.land.vocabulary import STAGES
from domain.ledger.chart import charts
from domain.meals.application import MAX_VOID_LOOKBACK_DAYS
from domain.meals.settling_bulk import MAX_POINTS_PER_DRAFT
from domain.meals.uploads import MAX_MEALS_PER_BATCH, MAX_MEALS_PER_CALL, MAX_UPLOADS_PER_CALL
from domain.meals.vocabulary import CATEGORIES, SLOTS
from domain.shared.history import MAX_HISTORY_EVENTS
from projections.disclosure_findings import MAX_OVERDUE
from projections.disclosure_queries import MAX_DISCLOSURES
from projections.ledger.entry import MAX_ENTRY_LINES
from projections.ledger.queries import MAX_STATEMENT_LINES
from projections.ledger.statements.balances import STATEMENT_ROWS_MAX
from projections.ledger.statements.journal import MAX_DETAIL_LINES
from projections.ledger.statements.layout import (
    ASSET_LINES,
    DISTRIBUTION_NAMES,
    INCOME_LINES,
    LIABILITY_LINES,
)
from projections.meals.findings import MAX_EVIDENCE
from projections.summary import INCOME_ACCOUNTS

# A place code gives a town three digits under its district: at most 1,000 towns per district.
TOWNS_PER_DISTRICT_MAX = 1000
# Notification ids are 64-bit: a Merkle tree of the log is at most 64 levels high.
AUDIT_PATH_MAX = 64
# A command stops at its first refusal (api/common.py ``attempt``).
REFUSALS_PER_COMMAND = 1


@dataclass(frozen=True)
class PerParent:
    """At most ``items`` in the list of each parent object."""

    items: int


@dataclass(frozen=True)
class InAll:
    """At most ``items`` in the lists of all parents under one object of type ``anchor``."""

    items: int
    anchor: str


ListBound = PerParent | InAll

SUMMARY = "DistrictMonthlySummary"

LIST_BOUNDS: dict[tuple[str, str], ListBound] = {
    ("AccountStatement", "lines"): PerParent(MAX_STATEMENT_LINES),
    ("Voucher", "lines"): PerParent(VOUCHER_LINES_MAX),
    ("JournalEntry", "lines"): PerParent(MAX_ENTRY_LINES),
    ("ChartOfAccounts", "accounts"): PerParent(max(len(chart.accounts) for chart in charts())),
    ("Periods", "months"): PerParent(MAX_LIST),
    ("Periods", "years"): PerParent(MAX_LIST),
    ("AccountBalances", "aged"): PerParent(STATEMENT_ROWS_MAX),
    ("AccountBalances", "rows"): PerParent(STATEMENT_ROWS_MAX),
    ("ApiToken", "villages"): PerParent(MAX_TOKEN_VILLAGES),
    ("BalanceSheet", "lines"): PerParent(len(ASSET_LINES) + len(LIABILITY_LINES)),
    ("BalanceSheetLine", "accounts"): PerParent(max(len(chart.accounts) for chart in charts())),
    ("DetailLedger", "lines"): PerParent(MAX_DETAIL_LINES),
    ("GeneralLedger", "months"): PerParent(12),
    ("IncomeStatement", "distribution"): PerParent(len(DISTRIBUTION_NAMES)),
    ("IncomeStatement", "lines"): PerParent(len(INCOME_LINES)),
    ("IncomeStatementLine", "accounts"): PerParent(max(len(chart.accounts) for chart in charts())),
    ("Dashboard", "months"): PerParent(MAX_DASHBOARD_MONTHS),
    ("Dashboard", "days"): PerParent(MAX_DASHBOARD_DAYS),
    ("Dashboard", "areas"): PerParent(AREAS_MAX),
    ("Dashboard", "assetsByMode"): PerParent(ASSET_MODE_ROWS_MAX),
    ("Dashboard", "findingsByKind"): PerParent(FINDING_KINDS_MAX),
    ("DistrictMonthlySummary", "incomeByTown"): PerParent(TOWNS_PER_DISTRICT_MAX),
    ("DistrictMonthlySummary", "landByTown"): PerParent(TOWNS_PER_DISTRICT_MAX),
    ("DistrictMonthlySummary", "mealsByCategory"): PerParent(len(CATEGORIES)),
    ("DistrictMonthlySummary", "mealsByPoint"): PerParent(MAX_SUMMARY_MEAL_LINES),
    ("Elder", "categories"): PerParent(MAX_LIST),
    ("EventProof", "auditPath"): PerParent(AUDIT_PATH_MAX),
    ("LandDistrictView", "stages"): PerParent(len(STAGES)),
    ("LandDistrictView", "towns"): PerParent(TOWNS_PER_DISTRICT_MAX),
    # the accepted records (at most MAX_LIST listed) and the refused ones (as many)
    ("MealBatch", "outcomes"): PerParent(min(2 * MAX_LIST, MAX_MEALS_PER_BATCH)),
    ("MealBatch", "refusals"): PerParent(MAX_LIST),
    ("MealFinding", "evidenceNotificationIds"): PerParent(MAX_EVIDENCE),
    ("MealFinding", "meals"): PerParent(MAX_EVIDENCE),
    ("SealVerificationRun", "eventKeyIds"): PerParent(MAX_KEYS),
    ("SealVerificationRun", "checkpointKeyIds"): PerParent(MAX_KEYS),
    # the elder and the meal point of each day of a run (a findings query spans at most this)
    ("MealFinding", "evidenceAggregateIds"): PerParent(1 + MAX_FINDING_DAYS),
    ("MealPoint", "slots"): PerParent(len(SLOTS)),
    ("MealPoint", "dailyCounts"): PerParent(MAX_DAILY_COUNT_DAYS),
    ("MealSettlement", "lines"): PerParent(MAX_LIST),
    ("MealSettlement", "clawbacks"): PerParent(MAX_LIST),
    ("Query", "parcelPolicies"): PerParent(len(LAND_POLICY_KEYS)),
    ("Query", "history"): PerParent(MAX_HISTORY_EVENTS),
    ("Query", "publishedDisclosures"): PerParent(MAX_DISCLOSURES),
    ("Query", "disclosures"): PerParent(MAX_DISCLOSURES),
    ("Query", "overdueDisclosures"): PerParent(MAX_OVERDUE),
    ("Disclosure", "incomeAndExpenses"): PerParent(len(INCOME_LINES)),
    ("Disclosure", "leases"): PerParent(LEASES_MAX),
    ("Disclosure", "landEntries"): PerParent(LAND_ENTRIES_MAX),
    ("Disclosure", "distributions"): PerParent(DISTRIBUTIONS_MAX),
    ("DisclosureReview", "members"): PerParent(REVIEW_MEMBERS_MAX),
    ("RecordDeathPayload", "voidedMealIds"): PerParent(MAX_VOID_LOOKBACK_DAYS * len(SLOTS)),
    ("RecordMealsPayload", "outcomes"): PerParent(MAX_MEALS_PER_BATCH),
    ("RecordMealUploadsPayload", "results"): PerParent(MAX_UPLOADS_PER_CALL),
    ("MealUploadResult", "outcomes"): InAll(MAX_MEALS_PER_CALL, anchor="RecordMealUploadsPayload"),
    ("DraftSettlementsPayload", "outcomes"): PerParent(MAX_POINTS_PER_DRAFT),
    ("ReceiveRentRollPayload", "outcomes"): PerParent(MAX_RENT_ROLL_ROWS),
    ("TownIncome", "villages"): InAll(MAX_SUMMARY_VILLAGES, anchor=SUMMARY),
    ("TrialBalance", "lines"): PerParent(max(len(chart.accounts) for chart in charts())),
    ("VillageIncome", "accounts"): PerParent(len(INCOME_ACCOUNTS)),
}
PAYLOAD_ERRORS = PerParent(REFUSALS_PER_COMMAND)  # the `errors` of every mutation's payload


def list_bound(parent: str, field: str) -> ListBound | None:
    """The declared bound of ``parent.field``, a list; None when none is declared."""
    found = LIST_BOUNDS.get((parent, field))
    if found is None and field == "errors" and parent.endswith("Payload"):
        return PAYLOAD_ERRORS
    return found


def anchors() -> frozenset[str]:
    return frozenset(b.anchor for b in LIST_BOUNDS.values() if isinstance(b, InAll))
