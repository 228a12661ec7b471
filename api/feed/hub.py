"""Wakes the live subscriptions of a server process when this process records events: one save
listener (domain/shared/eventstore.py) per app, whichever thread the save ran on, each
subscription's event loop told thread-safely. Other processes' events are found by polling
(api/feed/reading.py POLL_SECONDS)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import dataclass, field

from api.common import RequestContext


class FeedHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def saved(self, last_notification_id: int) -> None:
        """The save listener: events up to ``last_notification_id`` were recorded."""
        with self._lock:
            waiters = list(self._waiters)
        for loop, wake in waiters:
            with contextlib.suppress(RuntimeError):  # its loop closed meanwhile: nobody waits
                loop.call_soon_threadsafe(wake.set)

    def join(self, wake: asyncio.Event) -> None:
        with self._lock:
            self._waiters.add((asyncio.get_running_loop(), wake))

    def leave(self, wake: asyncio.Event) -> None:
        with self._lock:
            self._waiters.discard((asyncio.get_running_loop(), wake))


@dataclass
class FeedContext(RequestContext):
    """The context of a subscription: the request's, and the hub that wakes it (None: it
    polls only)."""

    hub: FeedHub | None = field(default=None)
