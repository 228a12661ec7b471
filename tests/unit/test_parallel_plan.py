"""How many processes fold when none are asked for (``QIANWAN_FOLD_PROCESSES=0``)."""

from __future__ import annotations

import os

import pytest

from projections.parallel import GROUPS, default_processes


def test_sqlite_folds_in_one_process_whatever_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert default_processes("sqlite") == 1


@pytest.mark.parametrize(("cpus", "expected"), [(None, 1), (1, 1), (2, 2), (64, len(GROUPS))])
def test_postgresql_folds_in_one_process_per_cpu_at_most_one_per_group(
    monkeypatch: pytest.MonkeyPatch, cpus: int | None, expected: int
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert default_processes("postgresql") == expected
