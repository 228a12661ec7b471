"""How many failed sign-ins one client may send before the workbench stops asking the registry
(and stops recording their failures): a flood of guesses from one address must not fill the log.
In memory, per server process: a window of recent failures per client address."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_FAILURES = 20  # failed sign-ins per client in the window; then refused without a look
WINDOW_SECONDS = 15 * 60
MAX_CLIENTS = 10_000  # addresses remembered, the least recently seen forgotten first


class SignInThrottle:
    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.now = now
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        self._failures.move_to_end(client)
        horizon = self.now() - self.window_seconds
        while failures and failures[0] < horizon:
            failures.popleft()
        while len(self._failures) > MAX_CLIENTS:
            self._failures.popitem(last=False)
        return failures

    def allowed(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client)) < self.max_failures

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(self.now())
