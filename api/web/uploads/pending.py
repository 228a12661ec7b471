"""Uploads between their preview and their confirmation: the rows read from the file, kept in
the server's memory for a while, keyed by who uploaded it, the kind, the target (a meal point,
a village) and the file's SHA-256. The file itself is not kept, nor sent back to the browser;
the confirm button names only the SHA-256. Forgotten after PENDING_SECONDS, or when more than
MAX_PENDING are waiting (the oldest first): the accountant then uploads the file again."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

PENDING_SECONDS = 1800
MAX_PENDING = 200


@dataclass
class Pending:
    owner: str  # the principal's token id
    kind: str  # "meals" | "rent"
    target: str  # the meal point's id or the village's code
    sha256: str
    filename: str
    variables: dict[str, Any]  # the mutation's variables, but for dryRun
    rows: list[dict[str, Any]]  # the rows as the preview showed them
    made: float = field(default_factory=time.monotonic)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.owner, self.kind, self.target, self.sha256)


class PendingUploads:
    def __init__(self, seconds: float = PENDING_SECONDS, capacity: int = MAX_PENDING) -> None:
        self.seconds = seconds
        self.capacity = capacity
        self._kept: OrderedDict[tuple[str, str, str, str], Pending] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, pending: Pending) -> None:
        with self._lock:
            self._forget_old()
            self._kept[pending.key] = pending
            self._kept.move_to_end(pending.key)
            while len(self._kept) > self.capacity:
                self._kept.popitem(last=False)

    def get(self, owner: str, kind: str, target: str, sha256: str) -> Pending | None:
        with self._lock:
            self._forget_old()
            found = self._kept.get((owner, kind, target, sha256))
            if found is not None and time.monotonic() - found.made > self.seconds:
                return None
            return found

    def forget(self, pending: Pending) -> None:
        with self._lock:
            self._kept.pop(pending.key, None)

    def _forget_old(self) -> None:
        now = time.monotonic()
        while self._kept:
            oldest = next(iter(self._kept.values()))
            if now - oldest.made <= self.seconds:
                break
            self._kept.popitem(last=False)


PENDING = PendingUploads()
