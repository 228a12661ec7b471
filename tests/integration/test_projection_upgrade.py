"""An upgrade that changes a projection's tables (issue 13 added columns to the journal): on
start the projection whose stored tables have another shape is dropped and folded again from the
log, to the same rows a fresh fold gives; the others are left alone."""

from __future__ import annotations

from sqlalchemy import text

from qianwan.bootstrap import Registry, bootstrap
from tests.integration.test_ledger import rented_building
from tests.integration.test_projections import snapshot


def test_a_journal_of_the_old_shape_is_folded_again_on_start(seeded: Registry) -> None:
    rented_building(seeded)
    built = snapshot(seeded)
    with seeded.engine.begin() as conn:  # the journal as a version before voucher numbers had it
        conn.execute(text("ALTER TABLE ledger_entries DROP COLUMN kind"))
        conn.execute(text("UPDATE asset_register SET received_fen = received_fen + 1"))
    assert seeded.runner.stale_projections()[0].name == "ledger"

    again = bootstrap(seeded.settings)
    try:
        again.runner.catch_up()
        found = snapshot(again)
    finally:
        again.close()

    assert found["ledger_entries"] == built["ledger_entries"]
    assert found["ledger_lines"] == built["ledger_lines"]
    assert found["positions"] == built["positions"]
    assert found["asset_register"] != built["asset_register"]  # not refolded: its shape is kept


def test_tables_of_the_code_s_shape_are_not_stale(seeded: Registry) -> None:
    rented_building(seeded)
    assert seeded.runner.stale_projections() == []


def test_a_projection_an_upgrade_gave_a_new_table_is_folded_again_on_start(
    seeded: Registry,
) -> None:
    """The dashboard added tables to the meals projection: a database of the version before has
    the others and not these; folded again, the new tables hold what a fresh fold gives."""
    from tests.integration.test_summary import busy_district

    busy_district(seeded)
    built = snapshot(seeded)
    assert built["dashboard_meal_days"]
    with seeded.engine.begin() as conn:  # as the version before the dashboard left it
        conn.execute(text("DROP TABLE dashboard_meal_days"))
        conn.execute(text("DROP TABLE dashboard_meal_elders"))
    assert [p.name for p in seeded.runner.stale_projections()] == ["meals"]

    again = bootstrap(seeded.settings)
    try:
        again.runner.catch_up()
        found = snapshot(again)
    finally:
        again.close()

    assert found["dashboard_meal_days"] == built["dashboard_meal_days"]
    assert found["dashboard_meal_elders"] == built["dashboard_meal_elders"]
    assert found["meal_register"] == built["meal_register"]
