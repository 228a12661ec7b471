"""Every policy the registry knows: its name, what its value looks like, and why it is data.

A policy is looked up for a place and a day: village → town → district → CN, the most specific
jurisdiction with a value in force wins. Each parser validates a value and returns it in the
JSON shape stored in events (money as a string of yuan, lists of plain dicts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.policy.errors import PolicyValueInvalid
from domain.shared.errors import DomainError
from domain.shared.values import non_negative_yuan

BOOK_ACCOUNTS_FOR_ASSETS = ("151", "161")  # 固定资产, 无形资产


@dataclass(frozen=True)
class ResourceKind:
    """code: stable name. name_zh: as accountants say it. book_account: where a book value is
    carried (151 fixed assets, 161 intangible assets) or None for resources not carried at value.
    sale_forbidden: the asset may never be sold (homesteads: no sale, no disguised sale)."""

    code: str
    name_zh: str
    book_account: str | None
    sale_forbidden: bool


def parse_resource_kinds(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise PolicyValueInvalid("resource kinds: a non-empty list is needed")
    seen: set[str] = set()
    result: list[dict[str, Any]] = []
    for item in raw:
        try:
            kind = ResourceKind(
                code=str(item["code"]),
                name_zh=str(item["name_zh"]),
                book_account=item.get("book_account"),
                sale_forbidden=bool(item.get("sale_forbidden", False)),
            )
        except (KeyError, TypeError, AttributeError):
            raise PolicyValueInvalid(
                "resource kinds: each needs code, name_zh, book_account, sale_forbidden"
            ) from None
        if kind.code in seen:
            raise PolicyValueInvalid(f"resource kinds: {kind.code} appears twice")
        if kind.book_account not in (None, *BOOK_ACCOUNTS_FOR_ASSETS):
            raise PolicyValueInvalid(f"resource kinds: book_account {kind.book_account} unknown")
        seen.add(kind.code)
        result.append(kind.__dict__.copy())
    return result


def parse_yuan(raw: Any) -> str:
    try:
        return str(non_negative_yuan(str(raw), "value"))
    except DomainError as error:
        raise PolicyValueInvalid(error.message) from None


@dataclass(frozen=True)
class PolicyKey:
    name: str
    description: str
    parse: Callable[[Any], Any]


POLICY_KEYS: dict[str, PolicyKey] = {
    k.name: k
    for k in (
        PolicyKey(
            "assets.resource_kinds",
            "The kinds of collective asset and resource that may be registered for "
            "revitalization (the official list of the 'four types' was not found: RULES.md §a).",
            parse_resource_kinds,
        ),
        PolicyKey(
            "assets.public_bidding_threshold_yuan",
            "A contract whose total value reaches this amount must go through public bidding on "
            "the rural property-rights exchange (local rule: RULES.md §a).",
            parse_yuan,
        ),
    )
}

# The demo and a fresh installation adopt these at national level; a district revises them.
DEFAULT_RESOURCE_KINDS: list[dict[str, Any]] = [
    {
        "code": "idle_farmhouse",
        "name_zh": "闲置农房",
        "book_account": "151",
        "sale_forbidden": False,
    },
    {
        "code": "idle_homestead",
        "name_zh": "闲置宅基地",
        "book_account": None,
        "sale_forbidden": True,
    },
    {
        "code": "operating_construction_land",
        "name_zh": "集体经营性建设用地",
        "book_account": None,
        "sale_forbidden": False,
    },
    {
        "code": "collective_building",
        "name_zh": "集体楼宇厂房",
        "book_account": "151",
        "sale_forbidden": False,
    },
    {"code": "four_wastes_land", "name_zh": "四荒地", "book_account": None, "sale_forbidden": True},
    {"code": "other", "name_zh": "其他", "book_account": "151", "sale_forbidden": False},
]
