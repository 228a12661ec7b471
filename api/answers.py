"""Answers kept by the projections' positions: the district platform asks the same few
questions (a village's trial balance, the district's month, a statement, the dashboard) again
and again while the log stands still. An answer is kept under

    (document, operation, variables, the caller's scope, today, every projection's position)

so a repeated question costs one read of the positions (one statement) instead of the reads of
its answer, and a new event changes the key: nothing is ever invalidated by hand, and an answer
is never served for read models other than those it was read from.

- Only query operations whose root fields all read the projections (``CACHED_FIELDS``): not the
  audit fields (they read the log itself), not the tokens nor the personal data read log.
- The scope is what the caller may see: the role and the villages of the token or the user.
  Two callers with different scopes never share an answer; permissions and masking of
  personal data run as they would, since the answer kept was made for that same scope.
- An answer that returned personal data in clear is not kept: each such read is recorded
  (api/auth/personal.py), so it is read again every time.
- Only a complete answer is kept: status 200, no errors, no warnings (a halted read model or
  one behind the log), at most ``MAX_ANSWER_BYTES``. While any projection is halted, nothing
  is served from here.
- Per process, thread-safe, at most ``MAX_CACHED_ANSWERS`` answers and
  ``MAX_CACHED_BYTES`` of JSON, the least recently used dropped first.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, OperationDefinitionNode, OperationType

from api.auth.principal import Principal

CACHED_ANSWERS_ENV = "QIANWAN_CACHED_ANSWERS"  # "off": no answers kept (to measure without)
MAX_CACHED_ANSWERS = 2048  # answers kept per process
MAX_CACHED_BYTES = 64 * 1024 * 1024  # their JSON in all
MAX_ANSWER_BYTES = 2 * 1024 * 1024  # a larger answer is read again each time

# Root fields answered from the read models alone (and the registry's places and calendar,
# which change only by events). Their answers depend on the arguments, the caller's scope,
# today's date and the projections' positions, and on nothing else.
CACHED_FIELDS = frozenset(
    {
        "__typename",
        # places
        "district",
        "towns",
        "town",
        "villages",
        "village",
        # assets and land
        "assets",
        "asset",
        "parcels",
        "parcel",
        "landDistrictView",
        # meals
        "mealPoints",
        "mealPoint",
        "elders",
        "elder",
        "meals",
        "meal",
        "mealBatches",
        "mealBatch",
        "mealSettlements",
        "mealSettlement",
        "mealFindings",
        # the books, the ledger and the statements
        "trialBalance",
        "accountBalance",
        "accountStatement",
        "journalEntry",
        "balanceSheet",
        "incomeStatement",
        "accountBalances",
        "generalLedger",
        "detailLedger",
        "vouchers",
        "voucher",
        "periods",
        # the district's views and disclosures
        "districtMonthlySummary",
        "dashboard",
        "publishedDisclosures",
        "publishedDisclosure",
        "disclosures",
        "disclosure",
        "overdueDisclosures",
    }
)


@dataclass(frozen=True)
class Answer:
    """A reply kept: its body and the JSON sent."""

    body: dict[str, Any]
    content: bytes


def scope_of(principal: Principal | None) -> Hashable:
    """What the caller may see: its role and villages (None: every village)."""
    if principal is None:
        return None
    villages = None if principal.villages is None else tuple(sorted(principal.villages))
    return (principal.role.value, villages)


def cacheable(operation: OperationDefinitionNode) -> bool:
    """A query whose root selections are all plain fields of ``CACHED_FIELDS``."""
    if operation.operation is not OperationType.QUERY:
        return False
    selections = operation.selection_set.selections
    return all(
        isinstance(node, FieldNode) and node.name.value in CACHED_FIELDS for node in selections
    )


def question(
    query: str, operation_name: str | None, variables: dict[str, Any] | None
) -> tuple[str, str | None, str]:
    """The question's part of a key: the document, the operation and the variables (as
    canonical JSON: the same values in another order are the same question)."""
    canonical = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"), default=str)
    return (query, operation_name, canonical)


class AnswerCache:
    """Answers by key, least recently used dropped first; safe to share between threads."""

    def __init__(
        self, max_answers: int = MAX_CACHED_ANSWERS, max_bytes: int = MAX_CACHED_BYTES
    ) -> None:
        self.max_answers = max_answers
        self.max_bytes = max_bytes
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, answer: Answer) -> None:
        size = len(answer.content)
        if size > MAX_ANSWER_BYTES or size > self.max_bytes:
            return
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
            self._answers[key] = answer
            self._bytes += size
            while len(self._answers) > self.max_answers or self._bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped.content)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._bytes = 0
