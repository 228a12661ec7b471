"""Resident memory, sampled in a thread from /proc/<pid>/status (VmRSS), reported per phase as
start, peak and end, so that "flat" can be judged: a fold whose peak stays near its start does
not grow with the log."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.05


def rss_mb(pid: int | None = None, children: bool = False) -> float:
    """VmRSS of a process in MiB (0 when it cannot be read, e.g. not on Linux); with
    ``children``, of the process and all its descendants (a server and its workers)."""
    pid = pid or os.getpid()
    total = 0.0
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            total = int(line.split()[1]) / 1024
    if children:
        for child in child_pids(pid):
            total += rss_mb(child, children=True)
    return total


def child_pids(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


@dataclass
class Memory:
    start_mb: float
    peak_mb: float
    end_mb: float

    def as_dict(self) -> dict[str, float]:
        return {
            "start_mb": round(self.start_mb, 1),
            "peak_mb": round(self.peak_mb, 1),
            "end_mb": round(self.end_mb, 1),
        }


class Sampler:
    """Samples one process's RSS every SAMPLE_SECONDS while a phase runs::

    with Sampler() as memory: ...
    memory.result  # Memory(start, peak, end)
    """

    def __init__(self, pid: int | None = None, children: bool = False) -> None:
        self.pid = pid
        self.children = children
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self.start = self.peak = self.end = 0.0

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, rss_mb(self.pid, self.children))

    def __enter__(self) -> Sampler:
        self.start = self.peak = rss_mb(self.pid, self.children)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.end = rss_mb(self.pid, self.children)
        self.peak = max(self.peak, self.end)

    @property
    def result(self) -> Memory:
        return Memory(self.start, self.peak, self.end)
