"""The projections as folds of the event log, on SQLite and on PostgreSQL: rebuilt equal to the
incrementally built, resumable after a crash without loss or double counting, read-your-writes,
and uniqueness by deterministic id under concurrent writers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy.exc
from sqlalchemy import func, select

from domain.assets.application import InstallmentInput
from domain.assets.model import Asset
from domain.assets.policy_keys import DEFAULT_RESOURCE_KINDS
from domain.assets.vocabulary import ACTIVE
from domain.books.inputs import VoucherLineInput
from domain.reference.application import TownInput, VillageInput
from domain.reference.model import District
from domain.shared import commands
from domain.shared.values import Provenance
from projections.assets import register
from projections.ledger.projection import LedgerProjection
from projections.ledger.queries import account_balance
from projections.projection import ProjectionFailed, Source
from qianwan.bootstrap import Registry, bootstrap
from qianwan.settings import Settings
from tests.support import (
    ACCOUNTANT,
    ADMIN,
    OTHER_VILLAGE,
    VILLAGE,
    approved_building,
    contracted_building,
    lease_contract,
    leased_building,
    refused,
    register_building,
    resolution,
    seed_places,
)

Snapshot = dict[str, list[tuple[Any, ...]]]
BATCH_SIZE = 3
THREAD_TIMEOUT_SECONDS = 30


def snapshot(registry: Registry) -> Snapshot:
    """Every row of every projection table, in primary-key order, and the positions."""
    with registry.engine.connect() as conn:
        result = {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in registry.runner.tables()
        }
    result["positions"] = sorted(registry.runner.positions().items())
    return result


def busy_village(registry: Registry) -> None:
    """Five assets and their lifecycles: rent, arrears, renewal, termination, equity, disposal."""
    a = registry.assets
    leased = leased_building(a, "ZC-001")
    a.invoice_rent(
        leased,
        "FP-001",
        "90000",
        date(2024, 4, 1),
        date(2024, 4, 15),
        date(2024, 4, 1),
        date(2027, 3, 31),
        ACCOUNTANT,
    )
    a.receive_rent(leased, "SJ-001", "FP-001", "40000", date(2024, 4, 10), ACCOUNTANT)
    a.mark_in_arrears(leased, "FP-001", date(2024, 5, 1), ACCOUNTANT)
    a.receive_rent(leased, "SJ-002", "FP-001", "50000", date(2024, 5, 20), ACCOUNTANT, "cash")
    a.renew_contract(
        leased,
        date(2034, 3, 31),
        resolution(held_on=date(2025, 1, 10)),
        date(2025, 1, 20),
        ACCOUNTANT,
        [InstallmentInput(date(2029, 4, 1), "30000", date(2029, 4, 1), date(2030, 3, 31))],
    )
    a.terminate_contract(leased, date(2025, 9, 30), "breach_by_counterparty", ACCOUNTANT)

    equity = contracted_building(
        a,
        replace(lease_contract("HT-002", yearly_rent="8000", public_bidding=False), mode="equity"),
        "ZC-002",
    )
    a.invoice_rent(
        equity,
        "FP-101",
        "8000",
        date(2024, 12, 20),
        date(2025, 1, 10),
        date(2025, 4, 1),
        date(2026, 3, 31),
        ACCOUNTANT,
    )
    a.receive_rent(equity, "SJ-101", "FP-101", "8000", date(2025, 1, 5), ACCOUNTANT, "cash")

    homestead = a.register_asset(
        VILLAGE, "ZJD-01", "闲置宅基地", "idle_homestead", "180", "3组", date(2024, 1, 10), ADMIN
    )
    a.confirm_rights(homestead, "宅基地证-01", date(2024, 2, 1), ADMIN)
    a.record_rejection(homestead, "lease", resolution(votes_for=3), ADMIN)

    sold = approved_building(a, "ZC-003", matter="disposal")
    a.list_for_bidding(sold, "交易中心", "LS-3", date(2024, 3, 5), "100000", ACCOUNTANT)
    a.dispose(sold, date(2024, 6, 1), "150000", "某公司", True, ACCOUNTANT)

    elsewhere = a.register_asset(
        OTHER_VILLAGE,
        "ZC-001",
        "旧厂房",
        "collective_building",
        "900",
        "1号",
        date(2024, 1, 5),
        ADMIN,
    )
    a.appraise(elsewhere, "500000", "评估所", "R-9", date(2024, 2, 1), ADMIN)
    registry.policies.set_policy(
        "assets.resource_kinds", "320117", date(2025, 1, 1), DEFAULT_RESOURCE_KINDS, "区文件", ADMIN
    )
    books_of_the_year(registry, equity)


def books_of_the_year(registry: Registry, equity: UUID) -> None:
    """A voucher and its red reversal, 2024 closed, a late invoice of 2024 (booked in 2025-01),
    December reopened (the closing reversed in red) and the year closed again."""
    b = registry.books
    office = [VoucherLineInput("513", debit_yuan="120"), VoucherLineInput("101", credit_yuan="120")]
    voucher = b.record_voucher(
        VILLAGE, date(2024, 6, 3), "购买办公用品", office, 1, "王芳", ACCOUNTANT
    )
    b.review_voucher(voucher, "李强", date(2024, 6, 3), ACCOUNTANT)
    red = b.reverse_voucher(voucher, date(2024, 6, 5), "冲销", "王芳", ACCOUNTANT)
    b.review_voucher(red, "李强", date(2024, 6, 5), ACCOUNTANT)
    b.close_year(VILLAGE, 2024, ADMIN)
    registry.assets.invoice_rent(
        equity,
        "FP-102",
        "100",
        date(2024, 12, 1),
        date(2024, 12, 15),
        date(2024, 12, 1),
        date(2024, 12, 31),
        ACCOUNTANT,
    )
    b.reopen_period(VILLAGE, "2024-12", "补记", ADMIN)
    b.close_year(VILLAGE, 2024, ADMIN)


def notification_of(registry: Registry, topic_suffix: str, nth: int = 1) -> int:
    found = [
        n.id
        for n in registry.store.recorder.select_notifications(1, 10_000)
        if n.topic.endswith(topic_suffix)
    ]
    return found[nth - 1]


@pytest.fixture
def quiet(settings: Settings) -> Iterator[Registry]:
    """A registry whose projections move only when told to, three events per batch."""
    registry = bootstrap(
        replace(settings, projection_batch_size=BATCH_SIZE), read_your_writes=False
    )
    seed_places(registry.places, registry.policies)
    yield registry
    registry.close()


# -- (a) rebuild ----------------------------------------------------------------------------------


def test_a_rebuild_gives_exactly_the_incrementally_built_projections(seeded: Registry) -> None:
    busy_village(seeded)
    built = snapshot(seeded)
    assert len(built["ledger_entries"]) >= 10
    assert len(built["asset_register"]) == 5
    assert len(built["place_villages"]) == 2

    applied = seeded.runner.rebuild()

    assert applied == seeded.store.last_notification_id()
    assert snapshot(seeded) == built


def test_batches_stop_at_their_byte_budget_and_fold_the_same_projections(
    seeded: Registry,
) -> None:
    """A batch holds at most ``max_batch_bytes`` of stored events (or one event larger than
    that), the next reads fewer, and the projections come out as with unbounded batches."""
    busy_village(seeded)
    built = snapshot(seeded)
    sizes = [len(n.state) for n in seeded.store.recorder.select_notifications(1, 10_000)]
    budget = 2 * max(sizes[: len(sizes) // 2])  # so that most batches hold a few events
    seeded.runner.max_batch_bytes = budget
    batches: list[int] = []

    applied = seeded.runner.rebuild(progress=batches.append)

    assert applied == len(sizes) == sum(batches)
    assert len(batches) > len(sizes) // 10  # the budget, not the batch size, cut them
    start = 0
    for count in batches:
        assert count == 1 or sum(sizes[start : start + count]) <= budget
        start += count
    assert snapshot(seeded) == built


def test_the_asset_register_agrees_with_the_assets_themselves(seeded: Registry) -> None:
    busy_village(seeded)
    with seeded.engine.connect() as conn:
        rows = conn.execute(select(register)).all()
    assert len(rows) == 5
    for row in rows:
        asset = seeded.assets.get(UUID(row.asset_id))
        in_force = asset.contract is not None and asset.status in ACTIVE
        current = asset.contract["contract_no"] if asset.contract and in_force else None
        assert (row.status, row.version, row.current_contract_no) == (
            asset.status,
            asset.version,
            current,
        )
        assert (row.invoiced_fen, row.received_fen) == (
            sum(int(i.amount_yuan * 100) for i in asset.invoices.values()),
            sum(int(i.received_yuan * 100) for i in asset.invoices.values()),
        )
        assert row.rights_confirmed == asset.rights_confirmed


# -- (b) a crash between batches ------------------------------------------------------------------


def lock_error() -> sqlalchemy.exc.OperationalError:
    return sqlalchemy.exc.OperationalError("UPDATE …", {}, Exception("database is locked"))


def test_a_transient_failure_leaves_nothing_behind_and_a_resumed_run_loses_nothing(
    quiet: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_village(quiet)
    last = quiet.store.last_notification_id()
    # The first receipt that is not the first event of its batch: the rows that the same batch's
    # earlier events produced must be rolled back with it.
    target = next(
        n
        for n in (notification_of(quiet, "RentReceived", k) for k in (1, 2, 3))
        if (n - 1) % BATCH_SIZE
    )
    boundary = (target - 1) // BATCH_SIZE * BATCH_SIZE
    original = LedgerProjection.handlers[Asset.RentReceived]  # type: ignore[attr-defined]

    def failing(conn: Any, event: Any, source: Source) -> None:
        if source.notification_id == target:
            raise lock_error()
        original(conn, event, source)

    monkeypatch.setitem(LedgerProjection.handlers, Asset.RentReceived, failing)  # type: ignore[attr-defined]

    with pytest.raises(ProjectionFailed) as failed:
        quiet.runner.catch_up()

    assert (failed.value.projection, failed.value.notification_id) == ("ledger", target)
    assert failed.value.transient
    assert quiet.runner.halted() == {}  # a lock is waited out, not a reason to halt
    assert set(quiet.runner.positions().values()) == {boundary}
    after_crash = snapshot(quiet)

    monkeypatch.setitem(LedgerProjection.handlers, Asset.RentReceived, original)  # type: ignore[attr-defined]
    assert quiet.runner.catch_up() == last - boundary
    assert set(quiet.runner.positions().values()) == {last}
    resumed = snapshot(quiet)

    quiet.runner.rebuild()
    assert snapshot(quiet) == resumed  # nothing lost, nothing counted twice

    quiet.runner.drop_tables()
    quiet.runner.create_tables()
    quiet.runner.catch_up(until=boundary)
    assert snapshot(quiet) == after_crash  # exactly the committed batches, no partial rows
    quiet.runner.catch_up(until=target - 1)
    assert snapshot(quiet) != after_crash  # the failed batch's earlier events did write rows


def test_an_event_one_projection_cannot_fold_halts_that_projection_there_and_no_other(
    quiet: Registry, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    busy_village(quiet)
    last = quiet.store.last_notification_id()
    target = next(
        n
        for n in (notification_of(quiet, "RentReceived", k) for k in (1, 2, 3))
        if (n - 1) % BATCH_SIZE
    )
    original = LedgerProjection.handlers[Asset.RentReceived]  # type: ignore[attr-defined]

    def failing(conn: Any, event: Any, source: Source) -> None:
        if source.notification_id == target:
            raise RuntimeError("a bug in the ledger")
        original(conn, event, source)

    monkeypatch.setitem(LedgerProjection.handlers, Asset.RentReceived, failing)  # type: ignore[attr-defined]

    assert quiet.runner.catch_up() > 0  # does not raise: the others fold on

    halted = quiet.runner.halted(fresh=True)
    assert list(halted) == ["ledger"]
    assert halted["ledger"].notification_id == target
    assert "a bug in the ledger" in halted["ledger"].error
    assert "projection ledger HALTED at notification" in caplog.text
    at = quiet.runner.positions()
    assert at["ledger"] == target - 1  # exactly before the event it cannot fold
    assert all(pos == last for name, pos in at.items() if name != "ledger")
    assert quiet.runner.catch_up() == 0  # halted: not retried at every catch-up
    quiet.runner.wait_for(last)  # read-your-writes waits only for the projections that fold

    # The halted ledger holds exactly the events before the target.
    halted_books = ledger_rows(quiet)
    monkeypatch.setitem(LedgerProjection.handlers, Asset.RentReceived, original)  # type: ignore[attr-defined]
    quiet.runner.drop_tables([p for p in quiet.runner.projections if p.name == "ledger"])
    quiet.runner.create_tables()
    quiet.runner.catch_up(until=target - 1)
    assert ledger_rows(quiet) == halted_books
    quiet.runner.catch_up()

    # Halted again, fixed, resumed: it catches up and equals a rebuild.
    monkeypatch.setitem(LedgerProjection.handlers, Asset.RentReceived, failing)  # type: ignore[attr-defined]
    quiet.runner.drop_tables([p for p in quiet.runner.projections if p.name == "ledger"])
    quiet.runner.create_tables()
    quiet.runner.catch_up()
    assert list(quiet.runner.halted(fresh=True)) == ["ledger"]
    monkeypatch.setitem(LedgerProjection.handlers, Asset.RentReceived, original)  # type: ignore[attr-defined]
    assert quiet.runner.resume() == ["ledger"]
    quiet.runner.catch_up()
    assert quiet.runner.halted(fresh=True) == {}
    assert set(quiet.runner.positions().values()) == {last}
    resumed = snapshot(quiet)
    quiet.runner.rebuild()
    assert snapshot(quiet) == resumed


def ledger_rows(registry: Registry) -> Snapshot:
    ledger = next(p for p in registry.runner.projections if p.name == "ledger")
    with registry.engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in ledger.tables
        }


def test_a_failure_in_the_first_batch_commits_nothing(
    quiet: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    register_building(quiet.assets)

    def failing(conn: Any, event: Any, source: Source) -> None:
        raise lock_error()

    monkeypatch.setitem(LedgerProjection.handlers, District.Registered, failing)  # type: ignore[attr-defined]
    with pytest.raises(ProjectionFailed):
        quiet.runner.catch_up()

    assert set(quiet.runner.positions().values()) == {0}
    assert all(rows == [] for name, rows in snapshot(quiet).items() if name != "positions")


# -- (c) read-your-writes -------------------------------------------------------------------------


def test_a_command_returns_only_once_the_projections_show_it(seeded: Registry) -> None:
    asset_id = register_building(seeded.assets)
    with seeded.engine.connect() as conn:
        row = conn.execute(select(register).where(register.c.asset_id == str(asset_id))).one()
        assert (row.status, row.book_value_fen) == ("registered", 12_000_000)
        assert account_balance(conn, VILLAGE, "151", date(2024, 1, 10)) == 120000

    seeded.assets.confirm_rights(asset_id, "证-1", date(2024, 2, 1), ACCOUNTANT)
    with seeded.engine.connect() as conn:
        status = conn.scalar(select(register.c.status).where(register.c.asset_id == str(asset_id)))
    assert status == "rights_confirmed"

    leased = leased_building(seeded.assets, "ZC-009")
    seeded.assets.invoice_rent(
        leased,
        "FP-1",
        "100",
        date(2024, 4, 1),
        date(2024, 4, 2),
        date(2024, 4, 1),
        date(2024, 4, 30),
        ACCOUNTANT,
    )
    with seeded.engine.connect() as conn:
        assert account_balance(conn, VILLAGE, "112", date(2024, 4, 1)) == 100
        invoiced = conn.scalar(
            select(register.c.invoiced_fen).where(register.c.asset_id == str(leased))
        )
        assert invoiced == 10_000


def test_a_refused_command_moves_no_projection(seeded: Registry) -> None:
    asset_id = register_building(seeded.assets)
    seeded.assets.confirm_rights(asset_id, "证-1", date(2024, 2, 1), ACCOUNTANT)
    before = snapshot(seeded)

    with refused(seeded.store, "rights_already_confirmed"):
        seeded.assets.confirm_rights(asset_id, "证-2", date(2024, 2, 2), ACCOUNTANT)

    assert seeded.runner.catch_up() == 0
    assert snapshot(seeded) == before


# -- (d) positions --------------------------------------------------------------------------------


def test_after_catching_up_every_position_is_the_last_notification_id(quiet: Registry) -> None:
    busy_village(quiet)
    last = quiet.store.last_notification_id()
    assert set(quiet.runner.positions().values()) == {0}

    assert quiet.runner.catch_up(until=7) == 7
    assert set(quiet.runner.positions().values()) == {7}
    assert quiet.runner.catch_up() == last - 7

    assert quiet.runner.positions() == {p.name: last for p in quiet.runner.projections}
    assert quiet.runner.catch_up() == 0


def test_with_read_your_writes_the_positions_follow_every_command(seeded: Registry) -> None:
    busy_village(seeded)
    assert set(seeded.runner.positions().values()) == {seeded.store.last_notification_id()}


# -- inputs at their limits ------------------------------------------------------------------------


def test_the_longest_and_largest_inputs_the_domain_accepts_are_projected(seeded: Registry) -> None:
    """Whatever a command accepts, every projection can store: one row the database refused
    would stop that projection for good."""
    by = Provenance("a" * 200, "决" * 300)
    seeded.places.register_district("320118", "区" * 64, "市" * 64, "省" * 64, by)
    seeded.places.register_town(
        "320118", TownInput("320118100", "镇" * 64, "town", source="s" * 500), by
    )
    seeded.places.register_village(
        "320118100", VillageInput("320118100001", "村" * 64, "社" * 200, source="s" * 500), by
    )
    most = "999999999999.99"
    asset_id = seeded.assets.register_asset(
        VILLAGE,
        "Z" * 64,
        "名" * 200,
        "collective_building",
        "9999999999.9999",
        "址" * 200,
        date(2024, 1, 10),
        by,
        "证" * 200,
        book_value_yuan=most,
    )
    seeded.assets.confirm_rights(asset_id, "证" * 200, date(2024, 2, 1), by)
    seeded.assets.approve_revitalization(asset_id, "lease", resolution(reference="决" * 200), by)
    seeded.assets.list_for_bidding(asset_id, "交易中心", "LS-1", date(2024, 3, 5), most, by)
    contract = replace(
        lease_contract("H" * 64),
        counterparty_name="某" * 200,
        rent_schedule=[
            InstallmentInput(date(2024, 4, 1), most, date(2024, 4, 1), date(2025, 3, 31))
        ],
    )
    seeded.assets.sign_contract(asset_id, contract, by)
    seeded.assets.invoice_rent(
        asset_id,
        "F" * 64,
        most,
        date(2024, 4, 1),
        date(2024, 4, 1),
        date(2024, 4, 1),
        date(2025, 3, 31),
        by,
    )
    seeded.assets.receive_rent(asset_id, "S" * 64, "F" * 64, most, date(2024, 4, 1), by)
    seeded.assets.terminate_contract(asset_id, date(2024, 6, 30), "other", by)

    assert set(seeded.runner.positions().values()) == {seeded.store.last_notification_id()}
    with seeded.engine.connect() as conn:
        row = conn.execute(select(register).where(register.c.asset_id == str(asset_id))).one()
        assert (row.name, row.area_m2, row.received_fen) == (
            "名" * 200,
            "9999999999.9999",
            99_999_999_999_999,
        )
        assert account_balance(conn, VILLAGE, "102", date(2024, 4, 1)) == Decimal(most)


# -- (e) concurrent writers -----------------------------------------------------------------------


def test_two_writers_registering_the_same_asset_at_once_record_it_once(
    seeded: Registry, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = bootstrap(settings)
    both_checked = threading.Barrier(2, timeout=THREAD_TIMEOUT_SECONDS)
    results: dict[str, UUID] = {}
    errors: list[BaseException] = []

    lookups: list[UUID] = []
    look = commands.get_or_none

    def counted_get_or_none(store: Any, aggregate_id: UUID, cls: Any) -> Any:
        lookups.append(aggregate_id)
        return look(store, aggregate_id, cls)

    monkeypatch.setattr(commands, "get_or_none", counted_get_or_none)
    for registry in (seeded, other):
        save = registry.store.save

        def save_when_both_checked(*args: Any, __save: Any = save, **kwargs: Any) -> Any:
            both_checked.wait()  # both writers have looked and found no such asset
            return __save(*args, **kwargs)

        monkeypatch.setattr(registry.store, "save", save_when_both_checked)

    def write(name: str, registry: Registry) -> None:
        try:
            results[name] = register_building(registry.assets, "ZC-777")
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=write, args=(name, registry))
        for name, registry in (("first", seeded), ("second", other))
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(THREAD_TIMEOUT_SECONDS)
    finally:
        other.close()

    assert errors == []
    assert results["first"] == results["second"]
    asset_id = results["first"]
    # Both looked before either saved; the loser's save failed and it looked again.
    assert lookups.count(asset_id) == 3
    assert [type(e).__qualname__ for e in seeded.store.events.get(asset_id)] == ["Asset.Registered"]
    recorded = [
        n
        for n in seeded.store.recorder.select_notifications(1, 10_000)
        if n.originator_id == asset_id
    ]
    assert len(recorded) == 1
    seeded.runner.catch_up()
    with seeded.engine.connect() as conn:
        rows = conn.scalar(
            select(func.count()).select_from(register).where(register.c.asset_id == str(asset_id))
        )
    assert rows == 1


def test_two_registries_folding_at_once_apply_every_event_exactly_once(
    seeded: Registry, settings: Settings
) -> None:
    """Two writers, each with its own registry (as two server processes would be), each bringing
    the projections up to date after every save: no runner trips over the other, and the tables
    end exactly as a single clean rebuild makes them."""
    other = bootstrap(settings)
    errors: list[BaseException] = []
    start = threading.Barrier(2, timeout=THREAD_TIMEOUT_SECONDS)

    def write(registry: Registry, prefix: str) -> None:
        try:
            start.wait()
            for n in range(8):
                register_building(registry.assets, f"{prefix}-{n:02d}")
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=write, args=(registry, prefix))
        for registry, prefix in ((seeded, "A"), (other, "B"))
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(THREAD_TIMEOUT_SECONDS)
    finally:
        other.close()

    assert errors == []
    last = seeded.store.last_notification_id()
    assert set(seeded.runner.positions().values()) == {last}
    live = snapshot(seeded)
    assert len(live["asset_register"]) == 16
    seeded.runner.rebuild()
    assert snapshot(seeded) == live
