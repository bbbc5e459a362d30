"""The KPI history auditors read: a version only for a figure that really changed, and a record
that survives the loss of the build database (issue 14 item 2, issue 15 item 5); the two
published stores and who may read them (issue 14 item 3, issue 15 item 8).

Each test starts from what the golden fixture's refresh left (build database, both published
stores) in a folder of its own. The correction raises the only invoice of November 2025,
F-5001 for unit 1111, from 48,000 to 60,000 SEK (Timmar unchanged). By hand: agency cost
and agency cost share change at 1111 and its parents 1110, 1100 and 1000, for the windows
that contain November 2025 within the fixture's months: the month itself, the rolling 12
months ending November 2025, December 2025 and January 2026, and the year to date ending
November and December 2025 (January 2026 starts a new year). 2 KPIs x 4 units x 6 = 48 rows;
agency FTE (from the hours) and every month before November 2025 stay as they were.
"""

from __future__ import annotations

import datetime as dt
import grp
import os
import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from conftest import run_refresh, warehouse_env
from test_faults import golden_state  # noqa: F401  (the fixture: what the golden refresh left)
from test_pipeline import query, sha256
from warehouse_builds import differences

INVOICE = Path("agency_costs") / "agency_costs_202511.csv"
NOVEMBER, DECEMBER, JANUARY = dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1)
CHANGED_BY_THE_CORRECTION = sorted(
    (kpi, unit, window, period)
    for kpi in ("agency_cost_sek", "agency_cost_share_pct")
    for unit in ("1000", "1100", "1110", "1111")
    for window, period in (("month", NOVEMBER), ("rolling_12m", NOVEMBER), ("rolling_12m", DECEMBER),
                           ("rolling_12m", JANUARY), ("year", NOVEMBER), ("year", DECEMBER)))
HISTORY = "select * from audit.kpi_values_history order by all"


@pytest.fixture
def root(golden_state: Path, tmp_path: Path) -> Path:
    target = tmp_path / "warehouse"
    shutil.copytree(golden_state, target, symlinks=True)
    return target


def run_id(build_db: Path) -> str:
    return query(build_db, "select run_id from audit.dbt_build where success order by finished_at desc limit 1")[0][0]


def figure_parts(published: Path, publish_id: int) -> dict[str, str]:
    """period folder -> the name (content fingerprint) of the marts.kpi_values part a publish read."""
    from dagster_project.stores import kept_parts

    return {p.parent.name: p.name for p in kept_parts(published, publish_id) if p.parent.parent.name == "marts.kpi_values"}


def versions_from(published: Path, publish_id: int) -> list[tuple]:
    """(kpi, unit, window, period) of the history rows the publish opened."""
    return query(published, """select kpi_id, org_unit_code, "window", period from audit.kpi_values_history
                               where valid_from_publish_id = ? order by all""", [publish_id])


def test_republishing_unchanged_data_creates_no_version_and_writes_no_figure(root: Path):
    from dagster_project.publish import publish

    with warehouse_env(root, root / "landing") as s:
        history = query(s.published_db, HISTORY)
        result = publish(s.build_db, s.published_db, run_id(s.build_db))

        assert (result.publish_id, result.kpi_rows_changed) == (2, 0)
        assert query(s.published_db, HISTORY) == history
        assert query(s.published_db, """select count(*) from audit.kpi_values_history
                                        where 2 in (valid_from_publish_id, valid_to_publish_id)""") == [(0,)]
        # Only the audit tables that record the publish itself were written again: the
        # publish log (a new row) in the dashboard store, nothing of the figures.
        assert result.parts_written == 1
        assert figure_parts(s.published_db, 2) == figure_parts(s.published_db, 1)
        assert len(figure_parts(s.published_db, 2)) == 13  # one part per month


def test_a_one_month_correction_versions_only_rows_inside_its_windows(root: Path):
    invoice = root / "landing" / INVOICE
    text = invoice.read_bytes().decode("utf-8")
    assert ";48000,00;" in text
    invoice.write_bytes(text.replace(";48000,00;", ";60000,00;").encode("utf-8"))
    with warehouse_env(root, root / "landing") as s:
        history = query(s.published_db, HISTORY)
        assert run_refresh().success

        assert query(s.published_db, "select publish_id, status from audit.publish_log order by 1") == [
            (1, "published"), (2, "published")]
        assert versions_from(s.published_db, 2) == CHANGED_BY_THE_CORRECTION
        closed = query(s.published_db, """select kpi_id, org_unit_code, "window", period
                                          from audit.kpi_values_history where valid_to_publish_id = 2
                                          order by all""")
        assert closed == CHANGED_BY_THE_CORRECTION
        # Every other row of publish 1 is untouched, months before November 2025 included.
        kept = [row for row in history if (row[0], row[3], row[2], row[1]) not in CHANGED_BY_THE_CORRECTION]
        still = query(s.published_db, "select * from audit.kpi_values_history where valid_from_publish_id = 1 "
                                      "and valid_to_publish_id is null order by all")
        assert still == sorted(kept) and len(kept) == len(history) - 48
        assert query(s.published_db, """select value, valid_from_publish_id, valid_to_publish_id
                                        from audit.kpi_values_history
                                        where kpi_id = 'agency_cost_sek' and org_unit_code = '1000'
                                          and "window" = 'month' and period = ? and breakdown = 'total'
                                        order by 2""", [NOVEMBER]) == [(48000.0, 1, 2), (60000.0, 2, None)]
        # Only the months whose figures changed got new parts of marts.kpi_values; the other
        # ten are the very files publish 1 read.
        before, after = figure_parts(s.published_db, 1), figure_parts(s.published_db, 2)
        assert sorted(before) == sorted(after) and len(after) == 13
        assert sorted(p for p in after if after[p] != before[p]) == [
            "period=2025-11-01", "period=2025-12-01", "period=2026-01-01"]


def test_a_publish_that_reads_only_the_changed_periods_equals_one_that_reads_everything(root: Path, publish_filters: dict):
    """The publish after a one-month correction hashes only the periods rebuilt since the last
    publish (publish_scope.py) and names the last publish's parts for the others. Publishing
    the same build database into empty folders (which must read everything) gives the same
    rows in every relation of both stores."""
    from dagster_project.publish import publish
    from hrkpi_config import default_audit_db

    invoice = root / "landing" / INVOICE
    invoice.write_bytes(invoice.read_bytes().replace(b";48000,00;", b";60000,00;"))
    with warehouse_env(root, root / "landing") as s:
        assert run_refresh().success
        # The KPI models were rebuilt from November 2025 on; raw.agency_costs got one month.
        assert "between date '2025-11-01'" in publish_filters["marts.kpi_values"]
        assert "intermediate.int_kpi_month_rollup" in publish_filters
        assert publish_filters["raw.agency_costs"] == '("period" in (202511) or "period" is null)'
        assert "raw.employees" in publish_filters and "(202511)" not in publish_filters["raw.employees"]
        publish_filters.clear()
        fresh = root / "fresh"
        fresh_audit = default_audit_db(fresh / "published.duckdb")
        publish(s.build_db, fresh / "published.duckdb", run_id(s.build_db), audit_db=fresh_audit)
        assert publish_filters == {}, "a publish into empty folders must read every row"
        pairs = ((s.published_db, fresh / "published.duckdb"), (s.audit_db, fresh_audit))
    own_record = {"audit.publish_log", "audit.kpi_values_history"}
    for incremental, everything in pairs:
        conn = duckdb.connect()
        try:
            conn.execute(f"attach '{incremental}' as a (read_only)")
            conn.execute(f"attach '{everything}' as b (read_only)")
            names = [f"{s_}.{t}" for s_, t in conn.execute(
                "select schema_name, view_name from duckdb_views() where database_name = 'a' and not internal "
                "order by 1, 2").fetchall()]
            assert len(names) > 20 and "marts.kpi_values" in names
            for name in names:
                if name in own_record:
                    continue
                diff = conn.execute(f"select (select count(*) from (from a.{name} except all from b.{name})), "
                                    f"(select count(*) from (from b.{name} except all from a.{name}))").fetchone()
                assert diff == (0, 0), f"{incremental.name} {name}: {diff}"
        finally:
            conn.close()


def test_the_published_record_survives_the_loss_of_the_build_database(root: Path):
    with warehouse_env(root, root / "landing") as s:
        history = query(s.published_db, HISTORY)
        first = query(s.published_db, "select * from audit.publish_log")
        shutil.rmtree(s.build_db.parent)

        # A full reload from the landing folder into a new build database, then the publish.
        assert run_refresh().success

        assert query(s.published_db, "select publish_id, status from audit.publish_log order by 1") == [
            (1, "published"), (2, "published")]
        assert query(s.published_db, "select * from audit.publish_log where publish_id = 1") == first
        # The same landing folder gives the same figures: no new version, history as it was.
        assert query(s.published_db, HISTORY) == history
        assert query(s.build_db, "select max(publish_id) from audit.publish_log") == [(2,)]


def test_an_unreadable_record_refuses_the_publish_with_one_line(root: Path):
    """A build database restored from a backup older than the last publish, and the published
    store's parts lost: nothing tells which ids were used, so nothing is published."""
    from dagster_project.publish import PublishRefused, publish

    with warehouse_env(root, root / "landing") as s:
        # A publish of this folder's own, so its catalog reads the parts under this folder.
        assert publish(s.build_db, s.published_db, run_id(s.build_db)).publish_id == 2
        conn = duckdb.connect(str(s.build_db))
        conn.execute("delete from audit.publish_log")
        conn.close()
        shutil.rmtree(s.published_db.parent / "parts" / "audit.publish_log")
        before = sha256(s.published_db)
        with pytest.raises(PublishRefused) as refused:
            publish(s.build_db, s.published_db, run_id(s.build_db))
        message = str(refused.value)
        assert "\n" not in message
        assert f"the publish log of {s.published_db} cannot be read" in message
        assert "Restore" in message and "nothing was published" in message
        assert sha256(s.published_db) == before
        assert query(s.build_db, "select count(*) from audit.publish_log") == [(0,)]


# --- the two stores ------------------------------------------------------------------------

def schemas_and_columns(db: Path) -> tuple[set[str], set[str]]:
    rows = query(db, """select table_schema || '.' || table_name, column_name from information_schema.columns
                        where table_schema not in ('information_schema', 'pg_catalog')""")
    return {t for t, _ in rows}, {c for _, c in rows}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_dashboard_store_holds_no_per_person_rows(published_golden_db: Path):
    from hrkpi_config import default_audit_db

    tables, cols = schemas_and_columns(published_golden_db)
    assert {"marts.kpi_values", "marts.kpi_catalogue", "marts.sick_leave_statutory", "marts.dim_org_unit",
            "audit.publish_log", "audit.kpi_values_history", "audit.load_log", "audit.period_completeness",
            "staging.stg_survey", "seeds.parameters"} <= tables
    assert not [t for t in tables if t.split(".")[0] in ("raw", "intermediate", "test_failures")]
    assert [t for t in tables if t.startswith("staging.")] == ["staging.stg_survey"]
    assert "person_key" not in cols
    # The audit store has them, and everything the dashboard store has.
    audit_tables, audit_cols = schemas_and_columns(default_audit_db(published_golden_db))
    assert tables <= audit_tables and "person_key" in audit_cols
    assert {"raw.absence", "staging.stg_absence", "intermediate.int_absence_rows"} <= audit_tables


def test_the_build_s_views_stay_views_in_the_audit_store_with_the_build_s_rows(published_golden_db: Path, golden_run):
    """The intermediate views (a whole suppression pass, the windows' candidate rows) are
    published as the build's own SQL over the published parts, not computed and written as
    parts at every publish; read there they give the build's rows exactly."""
    from hrkpi_config import default_audit_db

    s, _ = golden_run
    audit = default_audit_db(published_golden_db)
    views = ("intermediate.int_kpi_suppression_pass", "intermediate.int_staff_supply_pass")
    conn = duckdb.connect(str(audit), read_only=True)
    try:
        sql = dict(conn.execute("select schema_name || '.' || view_name, sql from duckdb_views() "
                                "where database_name = current_database()").fetchall())
    finally:
        conn.close()
    for view in views:
        assert "read_parquet" not in sql[view], view
        only_build, only_audit, sample = differences(s.build_db, audit, view)
        assert (only_build, only_audit) == (0, 0), (view, sample)
    assert not list((audit.parent / "parts").glob("intermediate.int_kpi_suppression_pass*"))


def test_the_audit_store_and_the_build_database_are_their_owners_only(published_golden_db: Path, golden_run):
    from hrkpi_config import default_audit_db

    s, _ = golden_run
    audit = default_audit_db(published_golden_db)
    assert mode(audit.parent) == 0o700 and mode(audit) == 0o600 and mode(s.build_db) == 0o600
    parts = list((audit.parent / "parts").rglob("*"))
    assert len(parts) > 100
    assert {mode(p) for p in parts if p.is_file()} == {0o600}
    assert {mode(p) for p in parts if p.is_dir()} == {0o700}
    assert {mode(p) for p in (audit.parent / "publishes").iterdir()} == {0o600}


def test_an_audit_group_may_read_the_audit_store(root: Path):
    from dagster_project.publish import publish

    with warehouse_env(root, root / "landing") as s:
        os.environ["HRKPI_AUDIT_GROUP"] = grp.getgrgid(os.getgid()).gr_name  # warehouse_env restores it
        result = publish(s.build_db, s.published_db, run_id(s.build_db))
        assert mode(result.audit_store) == 0o640 and mode(result.audit_store.parent) == 0o750
        assert mode(s.build_db) == 0o640
        assert result.audit_store.stat().st_gid == os.getgid()
        # Parts written before the group was set are given it too.
        parts = list((result.audit_store.parent / "parts").rglob("*"))
        assert len(parts) > 100
        assert {mode(p) for p in parts if p.is_file()} == {0o640}
        assert {mode(p) for p in parts if p.is_dir()} == {0o750}
        assert {p.stat().st_gid for p in parts} == {os.getgid()}
