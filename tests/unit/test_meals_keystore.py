"""The personal-data key store: sealing, binding, lookup by keyed hash, destruction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, select

from domain.shared.keystore import KeyStore, MemoryKeyStore, SqlKeyStore, personal_data_keys

SECRET = "unit-test-secret"


@pytest.fixture(params=["memory", "sql"])
def keys(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KeyStore]:
    if request.param == "memory":
        yield MemoryKeyStore(SECRET)
        return
    engine = create_engine(f"sqlite:///{tmp_path}/keys.sqlite3")
    store = SqlKeyStore(engine, SECRET)
    store.create_table()
    yield store
    engine.dispose()


def test_a_sealed_value_opens_with_the_subjects_key_only(keys: KeyStore) -> None:
    alice, bob = uuid4(), uuid4()
    keys.enrol_subject(alice, None)
    keys.enrol_subject(bob, None)
    sealed = keys.seal(alice, "name", "张桂英")
    assert "张桂英" not in sealed and sealed.startswith("v1.")
    assert keys.open(alice, "name", sealed) == "张桂英"
    with pytest.raises(ValueError, match="does not belong"):
        keys.open(bob, "name", sealed)  # copied onto another person
    with pytest.raises(ValueError, match="does not belong"):
        keys.open(alice, "id_number", sealed)  # copied onto another field


def test_sealing_twice_gives_different_ciphertexts(keys: KeyStore) -> None:
    subject = uuid4()
    keys.enrol_subject(subject, None)
    assert keys.seal(subject, "name", "王") != keys.seal(subject, "name", "王")


def test_a_lookup_hash_finds_its_subject_and_a_second_claim_gets_the_first(
    keys: KeyStore,
) -> None:
    first, second = uuid4(), uuid4()
    lookup = keys.lookup_hash("11010519491231002X")
    assert keys.enrol_subject(first, lookup) == (first, True)
    assert keys.enrol_subject(second, lookup) == (first, False)
    assert keys.subjects_for([lookup, keys.lookup_hash("other")]) == {lookup: first}


def test_the_lookup_hash_depends_on_the_installation_secret(keys: KeyStore) -> None:
    number = "11010519491231002X"
    assert keys.lookup_hash(number) == MemoryKeyStore(SECRET).lookup_hash(number)
    assert keys.lookup_hash(number) != MemoryKeyStore("another secret").lookup_hash(number)
    assert number not in keys.lookup_hash(number)


def test_destroying_a_key_makes_every_sealed_value_unreadable_and_forgets_the_lookup(
    keys: KeyStore,
) -> None:
    subject, other = uuid4(), uuid4()
    lookup = keys.lookup_hash("11010519491231002X")
    keys.enrol_subject(subject, lookup)
    keys.enrol_subject(other, None)
    name, kept = keys.seal(subject, "name", "张桂英"), keys.seal(other, "name", "李")
    assert keys.destroy(subject) is True
    assert keys.open(subject, "name", name) is None
    assert keys.open_many([(subject, "name", name), (other, "name", kept)]) == [None, "李"]
    assert keys.subjects_for([lookup]) == {}
    assert keys.destroy(subject) is False
    with pytest.raises(LookupError):
        keys.seal(subject, "name", "again")


def test_the_sql_table_keeps_keys_wrapped_and_a_tombstone_after_destruction(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/keys.sqlite3")
    keys = SqlKeyStore(engine, SECRET)
    keys.create_table()
    subject = uuid4()
    keys.enrol_subject(subject, keys.lookup_hash("x"))
    wrapped = keys._load([subject])[subject]
    with engine.connect() as conn:
        row = conn.execute(select(personal_data_keys)).mappings().one()
    assert wrapped not in bytes(row["wrapped_key"])  # stored only wrapped
    keys.destroy(subject)
    with engine.connect() as conn:
        row = conn.execute(select(personal_data_keys)).mappings().one()
    assert (row["wrapped_key"], row["lookup_hash"]) == (None, None)
    assert row["destroyed_at"] is not None
    engine.dispose()


def test_another_installation_secret_cannot_unwrap_the_keys(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/keys.sqlite3")
    keys = SqlKeyStore(engine, SECRET)
    keys.create_table()
    subject = uuid4()
    keys.enrol_subject(subject, None)
    with pytest.raises(Exception):  # noqa: B017  (cryptography's InvalidTag)
        SqlKeyStore(engine, "stolen database, no secret")._load([subject])
    engine.dispose()
