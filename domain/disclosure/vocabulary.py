"""The closed vocabularies of disclosures (村务公开): their states, the kinds of period, the
schedule's frequencies, and the caps every input respects."""

from __future__ import annotations

# A disclosure's life (docs/rules.md D-05 … D-08): drafted → reviewed (approved) → published;
# a review that does not approve leaves it rejected, to be rebuilt or reviewed again.
DRAFTED = "drafted"
REVIEWED = "reviewed"
REJECTED = "rejected"
PUBLISHED = "published"
STATES = (DRAFTED, REVIEWED, REJECTED, PUBLISHED)
STATE_NAMES_ZH = {DRAFTED: "草稿", REVIEWED: "已审核", REJECTED: "审核未通过", PUBLISHED: "已公开"}

# The period a disclosure covers: a whole month ("2026-03") or quarter ("2026-Q1").
MONTH = "month"
QUARTER = "quarter"
PERIOD_KINDS = (MONTH, QUARTER)
PERIOD_KIND_NAMES_ZH = {MONTH: "月", QUARTER: "季度"}

# How often a village discloses (the policy disclosure.schedule, docs/rules.md D-02).
MONTHLY = "monthly"
QUARTERLY = "quarterly"
FREQUENCIES = (MONTHLY, QUARTERLY)
FREQUENCY_NAMES_ZH = {MONTHLY: "按月", QUARTERLY: "按季"}
KIND_OF_FREQUENCY = {MONTHLY: MONTH, QUARTERLY: QUARTER}

# The democratic finance group (民主理财小组) has three to five members (docs/rules.md D-05).
REVIEW_MEMBERS_MIN = 3
REVIEW_MEMBERS_MAX = 5
MEMBER_NAME_LENGTH_MAX = 50
OPINION_LENGTH_MAX = 1000
REASON_LENGTH_MAX = 500
DUE_DAYS_MAX = 90  # the schedule's days after the period's end to publish by
EDITIONS_MAX = 99  # corrections of one period: far more than a village ever needs
# Rows of each list of figures: a village holds far fewer; the figures are refused rather than
# cut short (docs/rules.md D-09). They bound what a query may return (api/list_bounds.py).
LEASES_MAX = 300
LAND_ENTRIES_MAX = 50
DISTRIBUTIONS_MAX = 50
FIGURE_ROWS_MAX = {
    "leases": LEASES_MAX,
    "land_entries": LAND_ENTRIES_MAX,
    "distributions": DISTRIBUTIONS_MAX,
}
