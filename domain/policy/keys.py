"""The framework of policy keys: what a key is, the parsers several contexts share, and the
registry the policy application looks keys up in.

A policy is looked up for a place and a day: village → town → district → CN, the most specific
jurisdiction with a value in force wins (docs/rules.md P-01). Each context declares its own keys,
with their parsers and defaults, in ``domain/<context>/policy_keys.py``; the bootstrap
(``qianwan/bootstrap.py``) registers them in a ``PolicyKeys`` and gives it to the
``PolicyApplication``. Nothing is registered at import time.

Each parser validates a value and returns it in the JSON shape stored in events (money as a
string of yuan, lists of plain dicts): the names and that shape are part of the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from domain.policy.errors import PolicyKeyUnknown, PolicyValueInvalid
from domain.shared.errors import DomainError
from domain.shared.values import non_negative_yuan

PolicyName = str  # "<context>.<what>", e.g. "land.term_years_max": stored in events


@dataclass(frozen=True)
class PolicyKey:
    """name: stored in the policy's events, never renamed. description: what the value means
    and where it comes from (docs/rules.md). parse: validates a value, returns its JSON shape."""

    name: PolicyName
    description: str
    parse: Callable[[Any], Any]


class PolicyKeys:
    """The policy keys the registry knows, by name: filled by the bootstrap, one context after
    the other. A name registered twice is a programmer error."""

    def __init__(self, *keys: PolicyKey) -> None:
        self._keys: dict[PolicyName, PolicyKey] = {}
        self.register(*keys)

    def register(self, *keys: PolicyKey) -> None:
        for key in keys:
            assert key.name not in self._keys, f"policy key {key.name} registered twice"
            self._keys[key.name] = key

    def __contains__(self, name: object) -> bool:
        return name in self._keys

    def __iter__(self) -> Iterator[PolicyName]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, name: PolicyName) -> PolicyKey:
        return self.known(name)

    def known(self, name: PolicyName) -> PolicyKey:
        """The key named ``name``; an unknown name is refused with ``policy_key_unknown``."""
        try:
            return self._keys[name]
        except KeyError:
            raise PolicyKeyUnknown(f"no policy named {name!r}", field="key") from None


def parse_yuan(raw: Any) -> str:
    """A non-negative amount of yuan to the fen, as a decimal string (docs/rules.md S-05)."""
    if isinstance(raw, float):  # money never passes through binary floats
        raise PolicyValueInvalid(f"a decimal string of yuan is needed, got the float {raw!r}")
    try:
        return str(non_negative_yuan(str(raw), "value"))
    except DomainError as error:
        raise PolicyValueInvalid(error.message) from None
