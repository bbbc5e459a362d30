"""An incremental refresh equals a full rebuild of the same landing folder.

Build the golden fixture, correct one month (2025-12) of three extracts (a payroll amount,
an absence row's hours, an entry interview) and shorten a January spell so that it no longer
turns long (which changes windows that hold its earlier months), load the corrections and refresh with the
periods dagster_project.refresh_scope derives from audit.load_log; then build the corrected
landing from scratch in another folder. Every published row must match bit for bit
(EXCEPT ALL both ways), and the refresh must have rebuilt less than every period.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import GOLDEN_LANDING
from dagster_project.refresh_scope import refresh_scope
from warehouse_builds import PUBLISHED_FIGURES, dbt_build, differences, load_landing

CORRECTIONS = {  # file -> (text, corrected text): one changed value each
    "payroll/payroll_202512.csv": ("42000,00;202512", "43500,00;202512"),
    "absence/absence_202512.csv": ("2025-12-31;100;160", "2025-12-31;100;150"),
    "employment_events/employment_events_202512.csv": ("NY;VI;1212;;J", "NY;VI;1212;;N"),
    # Spell S-0004 (from 2025-11-21) now ends on day 51 instead of reaching day 60 in January:
    # it no longer turns long, so its November and December hours leave January's windows.
    "absence/absence_202601.csv": ("2025-11-21;2026-01-01;2026-01-31;50;62", "2025-11-21;2026-01-01;2026-01-10;50;20"),
}
NO_UNIT_TESTS = ("--exclude", "resource_type:unit_test")


def correct(landing: Path) -> None:
    for name, (text, corrected) in CORRECTIONS.items():
        path = landing / name
        data = path.read_bytes()
        assert data.count(text.encode()) >= 1, (name, text)
        path.write_bytes(data.replace(text.encode(), corrected.encode(), 1))


@pytest.fixture(scope="module")
def builds(golden_run, tmp_path_factory: pytest.TempPathFactory):
    # The golden refresh's landing and build database are the state before the correction
    # (loaded with the same key as load_landing's, its dbt build recorded as successful).
    s, result = golden_run
    assert result.success, "the refresh of the golden fixture failed"
    inc = tmp_path_factory.mktemp("incremental")
    landing = inc / "landing"
    shutil.copytree(GOLDEN_LANDING, landing)
    db = inc / "warehouse.duckdb"
    shutil.copy(s.build_db, db)
    before = inc / "before.duckdb"
    shutil.copy(db, before)

    correct(landing)
    load_landing(db, landing)
    conn = duckdb.connect(str(db))
    try:
        scope = refresh_scope(conn)
    finally:
        conn.close()
    assert scope is not None
    dbt_build(db, inc, *NO_UNIT_TESTS, "--vars", json.dumps(scope.dbt_vars()))

    full = tmp_path_factory.mktemp("full")
    shutil.copytree(landing, full / "landing")
    full_db = full / "warehouse.duckdb"
    load_landing(full_db, full / "landing")
    dbt_build(full_db, full, *NO_UNIT_TESTS)
    return db, full_db, scope, before


def test_refresh_rebuilds_only_the_affected_periods(builds):
    _, _, scope, _ = builds
    # From the first corrected month (2025-12), not back to the start of its spells
    # (2025-10-01): a spell's earlier months reach later windows only through adjustments keyed
    # by the window's end. Forward 12 months after the last corrected month (2026-01).
    assert scope.first == dt.date(2025, 12, 1)
    assert scope.last == dt.date(2027, 1, 1)


@pytest.mark.parametrize("table", PUBLISHED_FIGURES)
def test_incremental_refresh_equals_full_rebuild(builds, table):
    inc_db, full_db, _, _ = builds
    only_inc, only_full, sample = differences(inc_db, full_db, table)
    assert (only_inc, only_full) == (0, 0), f"{table}: {only_inc} rows only incremental, {only_full} only full: {sample}"


def test_the_correction_changed_published_figures_inside_the_scope_only(builds):
    """Guards the test itself: the correction must change published figures (else the
    equality above would prove nothing), and only in the periods the scope rebuilt."""
    inc_db, _, scope, before = builds
    conn = duckdb.connect()
    try:
        conn.execute(f"attach '{before}' as b (read_only)")
        conn.execute(f"attach '{inc_db}' as a (read_only)")
        changed = conn.execute("""
            select distinct period from (
                select * from a.marts.kpi_values except all select * from b.marts.kpi_values)
            order by period""").fetchall()
        long_share_changed = conn.execute("""
            select count(*) from (
                select * from a.marts.kpi_values except all select * from b.marts.kpi_values)
            where kpi_id = 'sick_leave_long_share_pct' and period = date '2026-01-01'
              and "window" = 'rolling_12m'""").fetchone()[0]
    finally:
        conn.close()
    periods = [p for (p,) in changed]
    assert periods, "the corrections changed no published figure"
    assert long_share_changed, "the shortened spell did not change January's long-term share"
    assert all(scope.first <= p <= scope.last for p in periods), periods
