"""The policies of revitalizing collective assets (盘活): which kinds of asset and resource may
be registered, and from which contract value public bidding is required. Registered by the
bootstrap (qianwan/bootstrap.py); the rules: docs/rules.md P-03, P-04.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain.ledger.accounts import FIXED_ASSETS, INTANGIBLE_ASSETS
from domain.policy.errors import PolicyValueInvalid
from domain.policy.keys import PolicyKey, parse_yuan
from domain.shared.values import AccountCode

_KIND_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")  # the register's kind column holds 64
BOOK_ACCOUNTS_FOR_ASSETS: tuple[AccountCode, ...] = (FIXED_ASSETS, INTANGIBLE_ASSETS)


@dataclass(frozen=True)
class ResourceKind:
    """code: stable name. name_zh: as accountants say it. book_account: where a book value is
    carried (FIXED_ASSETS or INTANGIBLE_ASSETS) or None for resources not carried at value.
    sale_forbidden: the asset may never be sold (homesteads: no sale, no disguised sale)."""

    code: str
    name_zh: str
    book_account: AccountCode | None
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
        if not _KIND_CODE.fullmatch(kind.code) or not 0 < len(kind.name_zh) <= 64:
            raise PolicyValueInvalid(
                f"resource kinds: code must be 1–64 of a-z, 0-9, _ and name_zh 1–64 characters; "
                f"got {kind.code!r}"
            )
        if kind.code in seen:
            raise PolicyValueInvalid(f"resource kinds: {kind.code} appears twice")
        if kind.book_account not in (None, *BOOK_ACCOUNTS_FOR_ASSETS):
            raise PolicyValueInvalid(f"resource kinds: book_account {kind.book_account} unknown")
        seen.add(kind.code)
        result.append(kind.__dict__.copy())
    return result


ASSET_KEYS: tuple[PolicyKey, ...] = (
    PolicyKey(
        "assets.resource_kinds",
        "The kinds of collective asset and resource that may be registered for "
        "revitalization (the official list of the 'four types' was not found: "
        "docs/rules.md P-03).",
        parse_resource_kinds,
    ),
    PolicyKey(
        "assets.public_bidding_threshold_yuan",
        "A contract whose total value reaches this amount must go through public bidding on "
        "the rural property-rights exchange (local rule: docs/rules.md P-04).",
        parse_yuan,
    ),
)

# The demo and a fresh installation adopt these at national level; a district revises them.
DEFAULT_RESOURCE_KINDS: list[dict[str, Any]] = [
    {
        "code": "idle_farmhouse",
        "name_zh": "闲置农房",
        "book_account": FIXED_ASSETS,
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
        "book_account": FIXED_ASSETS,
        "sale_forbidden": False,
    },
    {"code": "four_wastes_land", "name_zh": "四荒地", "book_account": None, "sale_forbidden": True},
    {"code": "other", "name_zh": "其他", "book_account": FIXED_ASSETS, "sale_forbidden": False},
]
