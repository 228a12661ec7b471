"""The change feed's pure parts: what a payload loses for whom, which kinds and places a
subscription admits (api/feed/reading.py), and which events the feed carries at all."""

from __future__ import annotations

from api.feed.reading import FeedFilter, known_kind, masked, topics_of
from projections.feed import FEED_KINDS, FEED_TOPICS

PAYLOAD = {
    "village_code": "320117107206",
    "name_sealed": "v1:ciphertext-of-the-name",
    "id_number_sealed": "v1:ciphertext-of-the-number",
    "counterparty_name": "李四明",
    "counterparty_kind": "person",
    "winner_name": "王小二",
    "winner_kind": "person",
    "holder_name": "赵六",
    "preparer": "钱会计",
    "members": ["周理财", "吴理财", "郑理财"],
    "operator_name": "溧水某餐饮管理有限公司",
    "operator_kind": "contractor",
    "lines": [
        {"account": "112", "counterparty": "孙七", "counterparty_kind": "person"},
        {"account": "211", "counterparty": "某公司", "counterparty_kind": "organization"},
        {"nested": {"note_sealed": "x"}},
    ],
}


def test_sealed_fields_are_dropped_for_everyone_and_persons_masked_for_the_others() -> None:
    shown = masked(PAYLOAD, personal=False)
    assert "name_sealed" not in shown and "id_number_sealed" not in shown
    assert shown["counterparty_name"] == "李*"
    assert shown["winner_name"] == "王*"
    assert shown["holder_name"] == "赵*"  # its kind is told by an earlier event only
    assert shown["preparer"] == "钱*"  # a voucher's preparer, as an actor names a person
    assert shown["members"] == ["周*", "吴*", "郑*"]  # a disclosure's finance group
    assert shown["operator_name"] == "溧水某餐饮管理有限公司"
    assert shown["lines"][0]["counterparty"] == "孙*"
    assert shown["lines"][1]["counterparty"] == "某公司"
    assert shown["lines"][2] == {"nested": {}}
    assert shown["village_code"] == "320117107206"


def test_a_caller_who_may_see_personal_data_sees_names_but_never_sealed_values() -> None:
    shown = masked(PAYLOAD, personal=True)
    assert shown["counterparty_name"] == "李四明"
    assert shown["members"] == ["周理财", "吴理财", "郑理财"]
    assert shown["lines"][0]["counterparty"] == "孙七"
    assert "name_sealed" not in shown and "id_number_sealed" not in shown
    assert "ciphertext" not in str(shown)


def test_kinds_are_event_types_or_aggregates_of_the_feed_and_nothing_of_access() -> None:
    assert known_kind("Asset") and known_kind("Asset.Contracted") and known_kind("Elder.Moved")
    assert known_kind("Disclosure.Published") and known_kind("Disclosure.Reviewed")
    for kind in ("ApiToken", "ApiToken.Issued", "WebUser", "AccessLog.PersonalDataRead", "Asset."):
        assert not known_kind(kind)
    assert not any(k.split(".")[0] in {"ApiToken", "WebUser", "WebSession"} for k in FEED_KINDS)
    assert all(not k.endswith((".Event", ".Created")) for k in FEED_KINDS)
    assert set(topics_of(None)) == FEED_TOPICS
    assert set(topics_of(["Asset"])) == {t for k, t in FEED_KINDS.items() if k.startswith("Asset.")}
    assert topics_of(["Asset.Contracted"]) == (FEED_KINDS["Asset.Contracted"],)


def test_a_filter_admits_the_places_it_names_and_the_callers_villages_only() -> None:
    village, other = "320117107206", "320117107291"
    anywhere = FeedFilter((), None, None)
    assert anywhere.admits(village) and anywhere.admits(None)
    town = FeedFilter((), "320117107", None)
    assert town.admits(village) and town.admits(other) and not town.admits(None)
    assert not town.admits("320117108001")
    scoped = FeedFilter((), None, frozenset({village}))
    assert scoped.admits(village) and not scoped.admits(other) and not scoped.admits(None)
