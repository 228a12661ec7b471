"""A projection worker: keeps every projection up to date as events are recorded, in a process
of its own (``qianwan project --follow``), so that the processes serving the API only record.

On PostgreSQL it follows the log through eventsourcing's subscription (``recorder.subscribe``:
LISTEN/NOTIFY wakes it, then it reads what was recorded after its position) and applies what
arrives in batches through the same runner, under the same position lock: exactly-once holds
whatever else folds at the same time (an API process that stopped waiting, a second worker, a
rebuild). SQLite cannot subscribe: there the worker polls the log.

When the database goes away (PostgreSQL restarted, the worker's connections killed, a SQLite
file locked too long) the worker does not exit: it logs the outage, waits (``Backoff``: from
``RECONNECT_FIRST_SECONDS``, doubling, at most ``RECONNECT_MAX_SECONDS``) and starts again
from the committed positions. A batch cut off by the outage rolled back whole, so nothing is
lost and nothing applied twice. Any other error (a projection that cannot fold an event) still
stops the worker, loudly: retrying would not change it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import Notification
from eventsourcing.postgres import PostgresApplicationRecorder

from projections.runner import ProjectionRunner
from qianwan.outages import is_outage, one_line

POLL_SECONDS = 0.2  # SQLite: how often to look for new events when idle
WAKE_SECONDS = 0.2  # how often a waiting worker checks that it should still run
QUEUED_BATCHES = 10  # notifications received but not applied yet, in batches (bounds memory)
RECONNECT_FIRST_SECONDS = 0.5  # the first wait after the database went away …
RECONNECT_MAX_SECONDS = 30.0  # … doubling up to this, for as long as it stays away

log = logging.getLogger("qianwan.follow")


class SubscriptionEnded(RuntimeError):
    """The subscription to the log stopped delivering; its cause says why."""


@dataclass
class Backoff:
    """Bounded exponential back-off: ``first``, twice that, … at most ``most`` seconds."""

    first: float = RECONNECT_FIRST_SECONDS
    most: float = RECONNECT_MAX_SECONDS
    _next: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._next = self.first

    def delay(self) -> float:
        current = self._next
        self._next = min(current * 2, self.most)
        return current


@dataclass
class _Tally:
    """Notifications applied, across reconnections, passed on to ``progress``."""

    progress: Callable[[int], None] | None
    total: int = 0

    def __call__(self, done: int) -> None:
        self.total += done
        if self.progress is not None and done:
            self.progress(done)


def follow(
    runner: ProjectionRunner,
    stop: threading.Event,
    progress: Callable[[int], None] | None = None,
    backoff: Backoff | None = None,
) -> int:
    """Fold until ``stop`` is set, through outages of the database; returns how many
    notifications were applied."""
    tally = _Tally(progress)
    backoff = backoff or Backoff()
    outages = 0
    while not stop.is_set():
        try:
            runner.catch_up(progress=tally)
            if outages:
                low = runner.active_low()
                log.warning("database back after %d attempt(s); projections at %d", outages, low)
            outages = 0
            backoff.reset()
            if isinstance(runner.store.recorder, PostgresApplicationRecorder):
                _subscribed(runner, stop, tally)
            else:
                _polling(runner, stop, tally)
        except Exception as error:
            if not is_outage(error):
                raise
            outages += 1
            wait = backoff.delay()
            log.warning(
                "database unavailable (%s); trying again in %.1f s (attempt %d)",
                one_line(error),
                wait,
                outages,
            )
            _drop_dead_connections(runner)
            stop.wait(wait)
    return tally.total


def _drop_dead_connections(runner: ProjectionRunner) -> None:
    """After a server restart every pooled connection is dead. SQLAlchemy's pool pings before
    use; eventsourcing's does not, so check its idle connections now rather than fail on each
    of them in turn."""
    pool: Any = getattr(getattr(runner.store.recorder, "datastore", None), "pool", None)
    check: Callable[[], None] | None = getattr(pool, "check", None)
    if check is None:
        return
    try:
        check()
    except Exception as error:  # still down: the next attempt will say so
        log.debug("checking the pooled connections failed: %s", one_line(error))


def _polling(runner: ProjectionRunner, stop: threading.Event, tally: _Tally) -> None:
    while not stop.is_set():
        if runner.catch_up(progress=tally) == 0:
            stop.wait(POLL_SECONDS)


def _subscribed(runner: ProjectionRunner, stop: threading.Event, tally: _Tally) -> None:
    position = runner.active_low()
    arrived: queue.Queue[Notification] = queue.Queue(maxsize=QUEUED_BATCHES * runner.batch_size)
    failed: list[BaseException] = []
    done = threading.Event()  # this subscription is over (stopped, or an error here)
    with runner.store.recorder.subscribe(gt=position) as subscription:
        pump = threading.Thread(
            target=_pump, args=(subscription, arrived, stop, done, failed), name="log-subscription"
        )
        pump.start()
        try:
            while not stop.is_set():
                batch = _next_batch(arrived, runner.batch_size)
                if batch:
                    tally(runner.apply(batch))
                elif runner.guards:  # held behind the seal's share: it may have gone on
                    tally(runner.catch_up())
                elif not pump.is_alive():
                    raise SubscriptionEnded("the subscription to the log ended") from (
                        failed[0] if failed else None
                    )
        finally:
            done.set()
            subscription.stop()
            pump.join()


def _next_batch(arrived: queue.Queue[Notification], size: int) -> list[Notification]:
    """What has arrived, up to ``size``; waits up to WAKE_SECONDS for the first."""
    try:
        batch = [arrived.get(timeout=WAKE_SECONDS)]
    except queue.Empty:
        return []
    while len(batch) < size:
        try:
            batch.append(arrived.get_nowait())
        except queue.Empty:
            break
    return batch


def _pump(
    subscription: object,
    arrived: queue.Queue[Notification],
    stop: threading.Event,
    done: threading.Event,
    failed: list[BaseException],
) -> None:
    """Move the subscription's notifications to ``arrived`` (blocking while it is full, until
    the worker stops or leaves this subscription)."""
    try:
        for notification in subscription:  # type: ignore[attr-defined]
            while not (stop.is_set() or done.is_set()):
                try:
                    arrived.put(notification, timeout=WAKE_SECONDS)
                    break
                except queue.Full:
                    continue
            if stop.is_set() or done.is_set():
                return
    except BaseException as error:  # reported by the worker's loop
        failed.append(error)
