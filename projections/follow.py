"""A projection worker: keeps every projection up to date as events are recorded, in a process
of its own (``qianwan project --follow``), so that the processes serving the API only record.

On PostgreSQL it follows the log through eventsourcing's subscription (``recorder.subscribe``:
LISTEN/NOTIFY wakes it, then it reads what was recorded after its position) and applies what
arrives in batches through the same runner, under the same position lock: exactly-once holds
whatever else folds at the same time (an API process that stopped waiting, a second worker, a
rebuild). SQLite cannot subscribe: there the worker polls the log.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from eventsourcing.persistence import Notification
from eventsourcing.postgres import PostgresApplicationRecorder

from projections.runner import ProjectionRunner

POLL_SECONDS = 0.2  # SQLite: how often to look for new events when idle
WAKE_SECONDS = 0.2  # how often a waiting worker checks that it should still run
QUEUED_BATCHES = 10  # notifications received but not applied yet, in batches (bounds memory)


def follow(
    runner: ProjectionRunner,
    stop: threading.Event,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Fold until ``stop`` is set; returns how many notifications were applied."""
    applied = runner.catch_up(progress=progress)
    if isinstance(runner.store.recorder, PostgresApplicationRecorder):
        return applied + _subscribed(runner, stop, progress)
    return applied + _polling(runner, stop, progress)


def _polling(
    runner: ProjectionRunner, stop: threading.Event, progress: Callable[[int], None] | None
) -> int:
    applied = 0
    while not stop.is_set():
        done = runner.catch_up(progress=progress)
        applied += done
        if done == 0:
            stop.wait(POLL_SECONDS)
    return applied


def _subscribed(
    runner: ProjectionRunner, stop: threading.Event, progress: Callable[[int], None] | None
) -> int:
    position = min(runner.positions().values(), default=0)
    arrived: queue.Queue[Notification] = queue.Queue(maxsize=QUEUED_BATCHES * runner.batch_size)
    failed: list[BaseException] = []
    applied = 0
    with runner.store.recorder.subscribe(gt=position) as subscription:
        pump = threading.Thread(
            target=_pump, args=(subscription, arrived, stop, failed), name="log-subscription"
        )
        pump.start()
        try:
            while not stop.is_set():
                batch = _next_batch(arrived, runner.batch_size)
                if batch:
                    done = runner.apply(batch)
                    applied += done
                    if progress is not None and done:
                        progress(done)
                elif not pump.is_alive():
                    raise RuntimeError("the subscription to the log ended") from (
                        failed[0] if failed else None
                    )
        finally:
            subscription.stop()
            pump.join()
    return applied


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
    failed: list[BaseException],
) -> None:
    """Move the subscription's notifications to ``arrived`` (blocking while it is full)."""
    try:
        for notification in subscription:  # type: ignore[attr-defined]
            while not stop.is_set():
                try:
                    arrived.put(notification, timeout=WAKE_SECONDS)
                    break
                except queue.Full:
                    continue
            if stop.is_set():
                return
    except BaseException as error:  # reported by the worker's loop
        failed.append(error)
