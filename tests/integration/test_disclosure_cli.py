"""``qianwan disclosure …`` in-process on SQLite: drafted, reviewed, published, listed, shown,
the overdue ones, verified against the log (ok, and a tampered figure found); every refusal
``error: [code] message`` with exit 2 and nothing recorded."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from projections.disclosure import disclosures
from qianwan.bootstrap import Registry, bootstrap
from scripts.cli import main
from tests.conftest import make_settings, settings_env
from tests.support import VILLAGE, leased_building, seed_places
from tests.support_books import office_voucher

MEMBERS = ("--member", "王一", "--member", "李二", "--member", "张三")


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    settings, _ = make_settings("sqlite", tmp_path)
    settings_env(settings, monkeypatch)
    opened = bootstrap(settings)
    seed_places(opened.places, opened.policies)
    leased_building(opened.assets)
    office_voucher(opened.books, date(2026, 3, 5))
    yield opened
    opened.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def made_id(out: str) -> str:
    found = re.search(r"disclosure ([0-9a-f-]{36})", out)
    assert found, out
    return found.group(1)


def test_drafted_reviewed_published_listed_shown_and_verified(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "disclosure", "draft", VILLAGE, "2026-03")
    assert (code, err) == (0, "")
    did = made_id(out)
    code, _, err = run(
        capsys, "disclosure", "review", did, "--held-on", "2026-04-02", *MEMBERS, "--approved"
    )
    assert (code, err) == (0, "")
    assert run(capsys, "disclosure", "publish", did, "--on", "2026-04-03")[0] == 0
    code, out, _ = run(capsys, "disclosure", "list", VILLAGE, "--published", "--json")
    assert [(r["id"], r["state"], r["published_on"]) for r in json.loads(out)] == [
        (did, "published", "2026-04-03")
    ]
    code, out, _ = run(capsys, "disclosure", "show", did)
    shown = json.loads(out)
    assert shown["figures"]["leases"][0]["contract_no"] == "HT-001"
    code, out, _ = run(capsys, "disclosure", "verify", did)
    assert code == 0 and out.rstrip().endswith("ok") and "matches" in out, out
    code, out, _ = run(capsys, "disclosure", "overdue", VILLAGE, "--as-on", "2026-05-20", "--json")
    periods = [f["period"] for f in json.loads(out)]
    assert "2026-03" not in periods and "2026-04" in periods
    # a read model's figures changed behind the log's back: verify finds it
    tampered = dict(shown["figures"], total_expenses="1.00")
    with registry.engine.begin() as conn:
        conn.execute(
            update(disclosures)
            .where(disclosures.c.disclosure_id == did)
            .values(figures_json=json.dumps(tampered), seal_root="00" * 32)
        )
    code, out, _ = run(capsys, "disclosure", "verify", did)
    assert code == 1 and "DOES NOT match" in out and "differs: total_expenses" in out, out


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("draft", VILLAGE, "2026-13"), "disclosure_period_invalid"),
        (("draft", VILLAGE, "2099-01"), "disclosure_period_not_ended"),
        (("draft", "320117107999", "2026-03"), "village_not_registered"),
        (("publish", "5e0b6c1c-0000-4000-8000-000000000000"), "disclosure_not_found"),
        (("show", "5e0b6c1c-0000-4000-8000-000000000000"), "disclosure_not_found"),
    ],
)
def test_refusals_are_one_line_and_record_nothing(
    registry: Registry, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], code: str
) -> None:
    before = registry.store.last_notification_id()
    status, _, err = run(capsys, "disclosure", *argv)
    assert status == 2 and err.startswith(f"error: [{code}]"), err
    assert registry.store.last_notification_id() == before
