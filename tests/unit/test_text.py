"""The one rule for text (domain/shared/text.py), and the event store's last gate for it: the
mapper refuses every event with a forbidden character, whatever path the event came by."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from domain.shared.errors import TextContainsForbiddenCharacter
from domain.shared.eventstore import EventStore
from domain.shared.text import FORBIDDEN, check_text, check_values
from tests.conftest import Memory
from tests.support import ACCOUNTANT, refused

ACCEPTED = ["乌村桥村12号", "王小明 (经办)", "tab\there", "两行\n文字\r\n", "🍚 午餐", "a\\bc", ""]
REFUSED = {
    "\x00": "control character",
    "a\x07b": "control character",
    "\x1b[31m": "control character",
    "\x7f": "control character",
    "\x85": "control character",
    "\ud800": "lone surrogate",
    "x\udfff": "lone surrogate",
    "\ufffe": "noncharacter",
    "金额\u202e00.001": "bidirectional control",
    "\u2066x\u2069": "bidirectional control",
}


@pytest.mark.parametrize("text", ACCEPTED)
def test_ordinary_text_of_any_script_is_accepted(text: str) -> None:
    assert check_text(text, "name") == text


@pytest.mark.parametrize(("text", "kind"), REFUSED.items())
def test_forbidden_characters_are_refused_with_their_code_and_kind(text: str, kind: str) -> None:
    with pytest.raises(TextContainsForbiddenCharacter) as info:
        check_text(text, "name")
    assert info.value.code == "text_contains_forbidden_character"
    assert info.value.field == "name"
    assert kind in info.value.message


def test_nested_values_and_object_keys_are_checked_with_their_path() -> None:
    check_values({"a": [{"b": "好"}], "c": 3})
    with pytest.raises(TextContainsForbiddenCharacter) as info:
        check_values({"a": [{"b": "x", "d": "\x00"}]}, "variables")
    assert info.value.field == "variables.a[0].d"
    with pytest.raises(TextContainsForbiddenCharacter) as key:
        check_values({"ok": {"k\x00": 1}})
    assert key.value.field == "ok.k\x00"


def forbidden_code_points() -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1) if FORBIDDEN.match(chr(c))]


def test_the_mapper_refuses_an_event_holding_any_forbidden_code_point(memory: Memory) -> None:
    """Every forbidden code point, at the start, middle and end of a field, by the fast check
    on the encoded bytes (or the encoder's own refusal): none slips through."""
    store: EventStore = memory.store
    village = memory.places.village("320117107206")
    event = next(iter(store.events.get(village.id)))
    for char in forbidden_code_points():
        for text in (char, f"村{char}名", f"名{char}"):
            bad = object.__new__(type(event))
            object.__setattr__(bad, "__dict__", {**vars(event), "name": text})
            with pytest.raises(TextContainsForbiddenCharacter):
                store.mapper.to_stored_event(bad)


def test_the_mapper_passes_every_other_code_point_of_the_basic_plane(memory: Memory) -> None:
    store: EventStore = memory.store
    village = memory.places.village("320117107206")
    event = next(iter(store.events.get(village.id)))
    allowed = "".join(chr(c) for c in range(0x10000) if not FORBIDDEN.match(chr(c)))
    for start in range(0, len(allowed), 4096):
        good = object.__new__(type(event))
        object.__setattr__(good, "__dict__", {**vars(event), "name": allowed[start : start + 4096]})
        stored = store.mapper.to_stored_event(good)
        assert vars(store.mapper.to_domain_event(stored))["name"] == allowed[start : start + 4096]


def test_a_command_with_a_nul_in_its_text_records_nothing(memory: Memory) -> None:
    with refused(memory.store, "text_contains_forbidden_character"):
        memory.assets.register_asset(
            "320117107206",
            "ZC-NUL",
            "村部\x00旧楼",
            "collective_building",
            "320.5",
            "乌村桥村12号",
            date(2024, 1, 10),
            ACCOUNTANT,
        )
    with refused(memory.store, "text_contains_forbidden_character"):
        memory.assets.register_asset(
            "320117107206",
            "ZC-SUR",
            "村部旧楼",
            "collective_building",
            "320.5",
            "乌村桥村\ud800",
            date(2024, 1, 10),
            ACCOUNTANT,
        )
