"""Every kind of event the log records has one Chinese name, shown alike by the books'
drill-down and the auditor's history (api/web/event_names.py)."""

from __future__ import annotations

from pathlib import Path

from api.web.event_names import EVENT_NAMES, event_name

TOPICS = Path(__file__).parents[1] / "fixtures" / "event_topics.txt"
BASES = (".Event", ".Created")  # the bases eventsourcing makes for every aggregate


def recorded_kinds() -> set[str]:
    names = {line.strip().split(":", 1)[1] for line in TOPICS.read_text().splitlines() if line}
    return {n for n in names if not n.endswith(BASES)} | {"WebUser.Created"}


def test_every_recorded_kind_of_event_has_a_chinese_name() -> None:
    missing = sorted(recorded_kinds() - EVENT_NAMES.keys())
    assert missing == []


def test_every_name_is_of_a_kind_that_exists() -> None:
    known = {line.split(":", 1)[1] for line in TOPICS.read_text().splitlines() if line}
    assert sorted(EVENT_NAMES.keys() - known) == []


def test_an_unnamed_type_is_shown_as_recorded() -> None:
    assert event_name("Asset.RentReceived") == "收到租金"
    assert event_name("Something.New") == "Something.New"
