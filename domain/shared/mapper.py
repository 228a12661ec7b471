"""eventsourcing's mapper with the JSON work done faster, byte for byte the same.

Every event is encoded once and decoded many times (every fold, every rebuild, every read of an
aggregate). eventsourcing's ``JSONTranscoder`` calls back into Python for each UUID, Decimal,
date and datetime of an event (its ``default`` and ``object_hook``), which on this registry's
events cost more than the JSON itself. This mapper:

- encodes an event whose fields are all plain values (str, int, bool, None, UUID, Decimal,
  date, datetime) exactly as the transcoder would (same key order, same separators, same
  escaping, same ``{"_type_": …, "_data_": …}`` objects) with orjson; anything else
  (lists, dicts, floats, other types, integers beyond 64 bits) goes to the transcoder;
- decodes with orjson (a third of the standard parser's time) and then turns the
  ``{"_type_": …, "_data_": …}`` objects into values in one walk, with the standard
  transcodings inlined. An event with any float (none of the registry's has one: money is
  Decimal) goes to the standard parser with the same hook, because orjson reads an integer
  beyond 64 bits as a float and may round a float differently; so does what orjson refuses
  (NaN, Infinity).

With a cipher or a compressor configured it is eventsourcing's own mapper. A unit test
compares both ways on every kind of event the registry records.

It is also the last gate for text (domain/shared/text.py): an event with a forbidden character
in any of its strings is refused here, before the write transaction begins, whichever way it
came. Scanning the encoded bytes for what such a character turns into costs a fraction of a
microsecond; only a suspect event has its values walked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, SafeUUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    UUIDAsHex,
    find_id_convertor,
)
from eventsourcing.utils import get_topic, resolve_topic

from domain.shared.text import check_values

# What a forbidden character becomes in the encoded JSON (UTF-8, not ASCII-escaped): a \u00XX or
# \b \f escape for C0 controls, the raw bytes of DEL, C1, bidirectional controls and
# noncharacters. A match only makes the event suspect (an escaped backslash before "b" matches
# too); the values themselves decide. Lone surrogates never encode: the encoder raises.
SUSPECT = re.compile(
    rb"\\u00[01]|\\[bf]|\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]"
    rb"|\xe2\x81[\xa6-\xa9]|\xef\xbf[\xbe\xbf]"
)


def uuid_from_hex(value: str) -> UUID:
    """``UUID(value)`` for the 32 hex digits the store writes, without its string parsing
    (a fold decodes millions of ids); anything else goes through ``UUID`` itself."""
    if len(value) != 32:
        return UUID(value)
    found = object.__new__(UUID)
    object.__setattr__(found, "int", int(value, 16))
    object.__setattr__(found, "is_safe", SafeUUID.unknown)
    return found


DECODINGS: dict[str, Callable[[Any], Any]] = {
    "uuid_hex": uuid_from_hex,
    "decimal_str": Decimal,
    "datetime_iso": datetime.fromisoformat,
    "date": date.fromisoformat,
}
STANDARD = {"uuid_hex": UUIDAsHex, "decimal_str": DecimalAsStr, "datetime_iso": DatetimeAsISO}


# How the transcoder writes each plain type, for orjson, which writes strings exactly as
# ``json`` with ``ensure_ascii=False`` does (a unit test compares every code point): plain
# values as they are, the others as the transcoder's typed objects. Exact types only:
# subclasses, floats, lists and dicts go to the transcoder itself.
PLAIN: frozenset[type] = frozenset({str, int, bool, type(None)})
TYPED: dict[type, Callable[[Any], dict[str, str]]] = {
    UUID: lambda v: {"_type_": "uuid_hex", "_data_": v.hex},
    Decimal: lambda v: {"_type_": "decimal_str", "_data_": str(v)},
    datetime: lambda v: {"_type_": "datetime_iso", "_data_": v.isoformat()},
    date: lambda v: {"_type_": "date", "_data_": v.isoformat()},
}


def encode_plain(state: dict[str, Any]) -> bytes | None:
    """The transcoder's bytes for a state of plain values, by orjson; None when a value is of
    another type (or an integer beyond 64 bits, which orjson refuses)."""
    found: dict[str, Any] = {}
    for key, value in state.items():
        kind = type(value)
        if kind in PLAIN:
            found[key] = value
            continue
        typed = TYPED.get(kind)
        if typed is None:
            return None
        found[key] = typed(value)
    try:
        return orjson.dumps(found)
    except orjson.JSONEncodeError:  # a key that is not a str, an integer beyond 64 bits
        return None


class _HasFloat(Exception):
    """orjson's reading of this event is not the standard parser's: use that one."""


class QianwanMapper(Mapper[UUID]):
    """See the module docstring."""

    def __init__(self, transcoder: Any, compressor: Any = None, cipher: Any = None) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self.fast = (
            isinstance(transcoder, JSONTranscoder)
            and compressor is None
            and cipher is None
            and all(type(transcoder.names.get(name)) is cls for name, cls in STANDARD.items())
            and "date" in transcoder.names
            and transcoder.names["date"].decode("2024-01-31") == date(2024, 1, 31)
        )
        self._decoder = json.JSONDecoder(object_hook=self._decode_value)

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        """The stored event; refused (``text_contains_forbidden_character``) when any of its
        strings holds a forbidden character."""
        try:
            stored = self._to_stored_event(domain_event)
        except (UnicodeError, ValueError, TypeError):  # a lone surrogate does not encode
            check_values(vars(domain_event))
            raise
        if not self.fast or SUSPECT.search(stored.state):
            check_values(vars(domain_event))
        return stored

    def _to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        if not self.fast or getattr(type(domain_event), "class_version", 1) > 1:
            return super().to_stored_event(domain_event)
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        topic = get_topic(type(domain_event))
        encoded = encode_plain(state)
        if encoded is None:
            return super().to_stored_event(domain_event)
        return StoredEvent(originator_id, originator_version, topic, encoded)

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        if not self.fast:
            return super().to_domain_event(stored_event)
        cls = resolve_topic(stored_event.topic)
        try:
            state: dict[str, Any] = self.decode_state(stored_event.state)
        except Exception as error:
            raise MapperDeserialisationError(
                f"Failed to deserialise state of stored event with topic "
                f"'{stored_event.topic}', originator_id '{stored_event.originator_id}' and "
                f"originator_version {stored_event.originator_version}: {error}"
            ) from error
        convert = find_id_convertor(cls, cast(Hashable, type(stored_event.originator_id)))
        state["originator_id"] = convert(stored_event.originator_id)
        state["originator_version"] = stored_event.originator_version
        class_version = getattr(cls, "class_version", 1)
        from_version = state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return cast(DomainEventProtocol[UUID], event)

    def decode_state(self, state: bytes) -> Any:
        """The event's JSON, with its typed values decoded (the transcoder's result)."""
        try:
            return self._walk(orjson.loads(state))
        except (orjson.JSONDecodeError, _HasFloat):
            return self._decoder.decode(state.decode("utf8"))

    def _walk(self, value: Any) -> Any:
        """Bottom-up, as ``json``'s object hook sees them: every dict is offered to
        ``_decode_value`` after its members were. The common case, a typed value of a
        standard transcoding at the top of an event, is decoded inline."""
        kind = type(value)
        if kind is dict:
            for key, member in value.items():
                member_kind = type(member)
                if member_kind is dict:
                    if len(member) == 2:
                        fast = DECODINGS.get(member.get("_type_"))
                        if fast is not None and "_data_" in member:
                            value[key] = fast(member["_data_"])
                            continue
                    value[key] = self._walk(member)
                elif member_kind is list:
                    value[key] = self._walk(member)
                elif member_kind is float:
                    raise _HasFloat
            return self._decode_value(value)
        if kind is list:
            for n, member in enumerate(value):
                member_kind = type(member)
                if member_kind is dict or member_kind is list:
                    value[n] = self._walk(member)
                elif member_kind is float:
                    raise _HasFloat
        elif kind is float:
            raise _HasFloat
        return value

    def _decode_value(self, d: dict[str, Any]) -> Any:
        """The transcoder's object hook, with the standard transcodings inlined."""
        if len(d) != 2 or "_type_" not in d or "_data_" not in d:
            return d
        fast = DECODINGS.get(d["_type_"])
        if fast is not None:
            return fast(d["_data_"])
        transcoder = cast(JSONTranscoder, self.transcoder)
        return transcoder.names[d["_type_"]].decode(d["_data_"])
