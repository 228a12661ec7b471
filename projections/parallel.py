"""Folding in parallel: the projections split into shares, each folded by a process of its own.

One Python process folds on one core. The projections are independent of each other (each reads
and writes only its own tables, and keeps its own position in ``projection_positions``), so they
can be folded side by side: ``GROUPS`` are the table groups, ``plan`` packs them into as many
shares as there are processes (the heaviest group first, each to the share with the least work
so far, by the cost measured per group: ``GROUP_COSTS``), and each share is folded by its own
runner (``ProjectionRunner.share``) in its own process, with its own positions and its own
batches, each batch one transaction. Every event is still folded exactly once per projection:
a share's runner locks its own position rows (two processes folding the same share take turns),
and a share reads only the topics its projections handle.

The process that asks folds the first share itself (it is warm: no interpreter to start) and
starts a process for each other share (``spawn``: a fresh interpreter, nothing inherited). A
share whose projections do not guard the log folds no further than the seal has (so that an
event the seal refuses is folded by no projection at all): while it is held there it waits for
the seal's share to go on (``GUARD_POLL_SECONDS``), and gives up after ``GUARD_WAIT_SECONDS``
without progress.

``processes`` 1 is the single-process path: one runner folds everything. The default
(``Settings.fold_processes`` 0) is the number of CPUs, at most the number of groups.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from projections.db import lowest_position
from projections.follow import Backoff, follow
from projections.runner import ProjectionRunner

# The table groups, each folded whole by one process. The read models of meals (with their
# summary and dashboard tables) cost more than all the others together; the change feed sees
# every event of the feed's kinds; the seal hashes every notification.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("meals",),
    ("feed",),
    ("seal",),
    ("asset_register", "land", "ledger", "books"),
    ("places", "disclosures", "access", "web_users"),
)
# Relative cost of each group: seconds to rebuild it alone from the default bench's log (SQLite,
# 37,265 events; reading the notifications it reads included). See docs/scaling.md.
GROUP_COSTS: dict[str, float] = {
    "meals": 3.3,
    "feed": 1.1,
    "seal": 1.0,
    "asset_register": 0.5,
    "places": 0.3,
}
OTHER_COST = 0.3  # a group not measured
GUARD_POLL_SECONDS = 0.02  # a share held behind the seal looks again after this …
GUARD_WAIT_SECONDS = 10.0  # … and gives up when the seal has not moved for this long
REPORT_SECONDS = 0.05  # how often the parent looks at its children's reports

log = logging.getLogger("qianwan.parallel")

# Opens a runner of the named projections in a new process (qianwan/bootstrap.py share_runner,
# with the settings bound): picklable, since spawn sends it to the child.
Opener = Callable[[tuple[str, ...]], tuple[ProjectionRunner, Callable[[], None]]]


class FoldProcessFailed(RuntimeError):
    """A process folding a share failed or died; the others' work is committed, and a catch-up
    resumes every share from its positions."""


def default_processes(groups: int = len(GROUPS)) -> int:
    return max(1, min(os.cpu_count() or 1, groups))


def plan(names: Sequence[str], processes: int) -> list[tuple[str, ...]]:
    """The projections named, in at most ``processes`` shares of whole groups, heaviest group
    first, each to the share with the least work so far. A projection in no group is a group
    of its own."""
    grouped = {n for g in GROUPS for n in g}
    groups = [tuple(n for n in g if n in names) for g in GROUPS]
    groups = [g for g in groups if g] + [(n,) for n in names if n not in grouped]
    groups.sort(key=lambda g: -GROUP_COSTS.get(g[0], OTHER_COST))
    shares: list[list[str]] = [[] for _ in range(max(1, min(processes, len(groups))))]
    loads = [0.0] * len(shares)
    for g in groups:
        lightest = loads.index(min(loads))
        shares[lightest] += g
        loads[lightest] += GROUP_COSTS.get(g[0], OTHER_COST)
    order = {n: i for i, n in enumerate(names)}
    return [tuple(sorted(s, key=order.__getitem__)) for s in shares if s]


def catch_up_share(
    runner: ProjectionRunner,
    until: int,
    progress: Callable[[int], None] | None = None,
    batch_size: int | None = None,
) -> int:
    """Fold the share up to ``until``, waiting behind the seal where it holds the share back."""
    applied = 0
    waited_since: float | None = None
    guard_at = -1
    while True:
        applied += runner.catch_up(until=until, progress=progress, batch_size=batch_size)
        if not runner.guards or min(runner.active_positions(), default=until) >= until:
            return applied
        with runner.engine.connect() as conn:
            now_at = lowest_position(conn, runner.guards)
        if now_at is None:
            return applied
        if now_at != guard_at:
            guard_at, waited_since = now_at, time.monotonic()
        elif waited_since is not None and time.monotonic() - waited_since > GUARD_WAIT_SECONDS:
            names = [p.name for p in runner.projections]
            log.warning("the seal stays at %d: %s stop there", now_at, names)
            return applied
        time.sleep(GUARD_POLL_SECONDS)


RUNNING, DONE, FAILED = 0, 1, 2
ERROR_CHARS = 4000  # of a child's error, told to the parent


class _Report:
    """What a child tells its parent, in shared memory without locks (a child killed at any
    moment leaves nothing locked or half-sent): its progress, its state and its result."""

    def __init__(self, context: Any) -> None:
        self.progress = context.Value("q", 0, lock=False)  # notifications folded so far
        self.state = context.Value("i", RUNNING, lock=False)
        self.applied = context.Value("q", 0, lock=False)
        self.seconds = context.Value("d", 0.0, lock=False)
        self.error = context.Array("c", ERROR_CHARS, lock=False)


@dataclass
class _Child:
    process: Any
    share: tuple[str, ...]
    report: _Report
    told: int = 0  # progress passed on so far
    failure: str | None = None

    def finished(self) -> bool:
        """Done or failed (a process that ended without saying so failed)."""
        if self.failure is not None or self.report.state.value == DONE:
            return True
        if self.report.state.value == FAILED:
            self.failure = self.report.error.value.decode("utf-8", "replace")
            return True
        if not self.process.is_alive():
            self.process.join()
            if self.report.state.value == RUNNING:
                self.failure = f"the process ended with exit code {self.process.exitcode}"
            return self.finished()
        return False


@dataclass
class ParallelFold:
    """Folds ``runner``'s projections in ``processes`` processes (see the module docstring)."""

    runner: ProjectionRunner
    opener: Opener
    processes: int
    shares: list[tuple[str, ...]] = field(init=False)
    children: list[_Child] = field(init=False, default_factory=list)
    # Seconds each share took in the last catch-up, by its projections' names: the profile.
    seconds: dict[str, float] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.shares = plan([p.name for p in self.runner.projections], self.processes)

    def catch_up(self, progress: Callable[[int], None] | None = None, batch_size: int = 0) -> int:
        """Every share up to the end of the log as it is now; returns how many notifications
        the lowest position moved by. Raises FoldProcessFailed if a share's process failed."""
        until = self.runner.store.last_notification_id()
        before = self.runner.active_low()
        size = batch_size or self.runner.batch_size
        if len(self.shares) == 1:
            return self.runner.catch_up(until=until, progress=progress, batch_size=size)
        own = self.runner.share(self.shares[0])
        job = ("catch_up", until, size)
        self._run(job, progress, lambda tell: catch_up_share(own, until, tell, size))
        self.runner.halts.forget()
        return max(0, self.runner.active_low() - before)

    def follow(self, stop: threading.Event, progress: Callable[[int], None] | None = None) -> int:
        """Follow the log in every share until ``stop`` (projections/follow.py)."""
        if len(self.shares) == 1:
            return follow(self.runner, stop, progress)
        own = self.runner.share(self.shares[0])
        job = ("follow", 0, 0)
        return self._run(job, progress, lambda tell: follow(own, stop, tell, Backoff()), stop)

    def _run(
        self,
        job: tuple[str, int, int],
        progress: Callable[[int], None] | None,
        own: Callable[[Callable[[int], None] | None], int],
        stop: threading.Event | None = None,
    ) -> int:
        """Start a process for every share but the first, fold the first here, then wait for
        the others. Following (``stop`` given): a share that fails stops them all."""
        context = multiprocessing.get_context("spawn")
        halt = context.Value("i", 0, lock=False)  # 1: the children stop following
        self.children = []
        for n, share in enumerate(self.shares[1:]):
            report = _Report(context)
            process = context.Process(
                target=_fold_share,
                args=(self.opener, share, job, report, halt),
                name=f"qianwan-fold-{n + 1}",
                daemon=True,
            )
            self.children.append(_Child(process, share, report))
        for child in self.children:
            child.process.start()
        lock = threading.Lock()

        def tell(count: int) -> None:
            if progress is not None and count:
                with lock:
                    progress(count)

        stopping = stop if stop is not None else threading.Event()
        listener = threading.Thread(
            target=self._listen, args=(tell, stopping, stop is not None), name="fold-children"
        )
        listener.start()
        started = time.perf_counter()
        try:
            applied = own(tell)
            own_seconds = time.perf_counter() - started
        except BaseException:
            halt.value = 1
            stopping.set()
            listener.join()
            for child in self.children:
                child.process.terminate()
                child.process.join()
            raise
        halt.value = 1
        stopping.set()
        listener.join()
        while not all(c.finished() for c in self.children):
            self._pass_on(tell)
            time.sleep(REPORT_SECONDS)
        self._pass_on(tell)
        self.seconds = {
            " ".join(self.shares[0]): own_seconds,
            **{" ".join(c.share): c.report.seconds.value for c in self.children},
        }
        failed = [c for c in self.children if c.failure is not None]
        if failed:
            raise FoldProcessFailed(
                "; ".join(f"the process folding {', '.join(c.share)}: {c.failure}" for c in failed)
            )
        return applied + sum(int(c.report.applied.value) for c in self.children)

    def _listen(
        self, tell: Callable[[int], None], stopping: threading.Event, following: bool
    ) -> None:
        """Pass the children's progress on while the first share folds here; following, a
        child that failed or died stops every share."""
        while not stopping.wait(REPORT_SECONDS):
            self._pass_on(tell)
            if following and any(c.finished() for c in self.children):
                stopping.set()

    def _pass_on(self, tell: Callable[[int], None]) -> None:
        for child in self.children:
            now = child.report.progress.value
            if now > child.told:
                tell(now - child.told)
                child.told = now


def _fold_share(
    opener: Opener, share: tuple[str, ...], job: tuple[str, int, int], report: _Report, halt: Any
) -> None:
    """The body of a share's process: open its runner, fold, report."""
    kind, until, batch_size = job
    started = time.perf_counter()

    def progress(count: int) -> None:
        report.progress.value += count

    try:
        runner, close = opener(share)
        try:
            if kind == "catch_up":
                applied = catch_up_share(runner, until, progress, batch_size)
            else:
                stop = threading.Event()
                threading.Thread(target=_stop_on, args=(halt, stop), daemon=True).start()
                applied = follow(runner, stop, progress)
        finally:
            close()
        report.applied.value = applied
        report.seconds.value = time.perf_counter() - started
        report.state.value = DONE
    except BaseException as error:
        # One line for the parent; the traceback goes to this process's stderr (re-raised).
        told = " ".join(repr(error).split()).encode()[: ERROR_CHARS - 1]
        report.error.value = told
        report.state.value = FAILED
        raise


def _stop_on(halt: Any, stop: threading.Event) -> None:
    while not halt.value:
        time.sleep(REPORT_SECONDS)
    stop.set()
