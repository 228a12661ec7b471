"""The policy of disclosures (村务公开): how often a village discloses and within how many days
after the period's end. Registered by the bootstrap (qianwan/bootstrap.py); the rule:
docs/rules.md D-02.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.disclosure.vocabulary import DUE_DAYS_MAX, FREQUENCIES, KIND_OF_FREQUENCY, MONTHLY
from domain.policy.errors import PolicyValueInvalid
from domain.policy.keys import PolicyKey

SCHEDULE_KEY = "disclosure.schedule"
# Used where no value was ever set for the place: monthly, published within 10 days.
DEFAULT_SCHEDULE: dict[str, Any] = {"frequency": MONTHLY, "due_days": 10}


@dataclass(frozen=True)
class Schedule:
    """frequency: monthly or quarterly. due_days: the days after the period's end by which its
    disclosure is published. effective_from: the day the value took effect (None: the
    default, in force since ever)."""

    frequency: str
    due_days: int
    effective_from: Any = None

    @property
    def period_kind(self) -> str:
        return KIND_OF_FREQUENCY[self.frequency]


def parse_schedule(raw: Any) -> dict[str, Any]:
    """{"frequency": "monthly"|"quarterly", "due_days": 0–90}."""
    if not isinstance(raw, dict) or set(raw) != {"frequency", "due_days"}:
        raise PolicyValueInvalid('schedule: {"frequency": …, "due_days": …} is needed')
    frequency, due_days = raw["frequency"], raw["due_days"]
    if frequency not in FREQUENCIES:
        raise PolicyValueInvalid(f"schedule: frequency must be one of {', '.join(FREQUENCIES)}")
    if isinstance(due_days, bool) or not isinstance(due_days, int):
        raise PolicyValueInvalid("schedule: due_days must be a whole number of days")
    if not 0 <= due_days <= DUE_DAYS_MAX:
        raise PolicyValueInvalid(f"schedule: due_days must be 0–{DUE_DAYS_MAX}")
    return {"frequency": frequency, "due_days": due_days}


DISCLOSURE_KEYS: tuple[PolicyKey, ...] = (
    PolicyKey(
        SCHEDULE_KEY,
        "How often a village discloses its finances (村务公开) and within how many days after "
        'the period\'s end: {"frequency": "monthly"|"quarterly", "due_days": n}; by default '
        "monthly within 10 days (docs/rules.md D-02).",
        parse_schedule,
    ),
)
