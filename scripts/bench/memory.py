"""Resident memory, sampled in a thread from /proc/<pid>/status (VmRSS), reported per phase as
start, peak and end, and the peak of each quarter of the phase's time, so that "flat" can be
judged: a fold whose last quarter peaks no higher than its second does not grow with the log
(the first quarter is the warm-up: caches of a bounded size filling)."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


QUARTERS = 4
FLAT_ALLOWANCE_MB = 16.0  # what "flat" allows the last quarter above the second, at least
FLAT_ALLOWANCE_SHARE = 0.10  # … or this share of the second quarter's peak, if larger


@dataclass
class Memory:
    start_mb: float
    peak_mb: float
    end_mb: float
    quarter_peaks_mb: list[float] = field(default_factory=list)

    @property
    def flat(self) -> bool | None:
        """The last quarter peaks within the allowance of the second (None: too short)."""
        if len(self.quarter_peaks_mb) < QUARTERS:
            return None
        second, last = self.quarter_peaks_mb[1], self.quarter_peaks_mb[-1]
        return last <= second + max(FLAT_ALLOWANCE_MB, FLAT_ALLOWANCE_SHARE * second)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start_mb": round(self.start_mb, 1),
            "peak_mb": round(self.peak_mb, 1),
            "end_mb": round(self.end_mb, 1),
            "quarter_peaks_mb": [round(q, 1) for q in self.quarter_peaks_mb],
            "flat": self.flat,
        }


def quarter_peaks(samples: list[tuple[float, float]]) -> list[float]:
    """The peak of each quarter of the time the samples ``(seconds, MB)`` span; empty when a
    quarter has no sample (a phase too short to tell)."""
    if len(samples) < 2:
        return []
    first, last = samples[0][0], samples[-1][0]
    span = (last - first) / QUARTERS or 1.0
    peaks: list[float | None] = [None] * QUARTERS
    for at, mb in samples:
        q = min(QUARTERS - 1, int((at - first) / span))
        peaks[q] = mb if peaks[q] is None else max(mb, peaks[q] or 0.0)
    if any(p is None for p in peaks):
        return []
    return [p for p in peaks if p is not None]


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
            self._sample()

    def _sample(self) -> float:
        mb = rss_mb(self.pid, self.children)
        self.samples.append((time.monotonic(), mb))
        self.peak = max(self.peak, mb)
        return mb

    def __enter__(self) -> Sampler:
        self.samples: list[tuple[float, float]] = []
        self.start = self.peak = self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.end = self._sample()

    @property
    def result(self) -> Memory:
        return Memory(self.start, self.peak, self.end, quarter_peaks(self.samples))
