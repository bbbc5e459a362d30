"""What a refresh changed: the summary its publish keeps, on a tiny correction of the golden
fixture (tests/conftest.py `corrected_run`: sick-leave spell S-0001's December 2025 row,
160 -> 150 h, delivered as a new absence_202512.csv).

By hand, from tests/fixtures/golden/expected_kpis.csv (the whole organisation, unit 1000):
- sick leave, Dec 2025: 322 / 5 160 h = 6,24 % -> 312 / 5 160 = 6,05 %;
- sick leave, rolling 12 months to Jan 2026: 861 / 60 480 = 1,42 % -> 851 / 60 480 = 1,41 %;
- long-term share, Dec 2025: 160 / 322 = 49,69 % -> 150 / 312 = 48,08 % (S-0001 is long: it
  started 2025-10-01); rolling 12 months to Jan 2026: 574 / 861 = 66,67 % -> 564 / 851 = 66,27 %;
- lost-time accident rate, rolling 12 months to Jan 2026: 1 accident x 1e6 / 59 646 worked
  hours = 16,77 -> 1e6 / 59 656 (10 more hours worked) = 16,76.
The December month, rolling and year windows of December 2025 and the rolling window of
January 2026 contain the changed month; January 2026's month and year windows do not.
"""

from __future__ import annotations

import json

import duckdb

from conftest import GOLDEN_LANDING
from dagster_project.change_summary import summary_lines

GOLDEN_FILES = len(list(GOLDEN_LANDING.glob("*/*.csv")))


def summaries(db) -> list[dict]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        rows = conn.execute("select summary from audit.publish_log order by publish_id").fetchall()
    finally:
        conn.close()
    return [json.loads(s) for (s,) in rows]


def changed(summary: dict) -> dict[tuple[str, str, str], tuple]:
    return {(f["kpi_id"], f["period"][:7], f["window"]): (f["old"], f["new"])
            for f in summary["organisation_figures_changed"]}


def test_first_publish_loads_every_file_and_revises_nothing(corrected_run) -> None:
    s, _, _ = corrected_run
    first = summaries(s.published_db)[0]
    assert first["files"] == {"loaded": GOLDEN_FILES, "replaced": 0, "skipped": 0, "rejected": 0}
    assert first["periods_rebuilt"]["every_period"] is True
    assert first["organisation_figures_changed"] == [] and first["kpi_rows_revised"] == 0
    assert first["kpi_rows_new"] > 0


def test_correction_summary_counts_the_files_and_the_rebuilt_months(corrected_run) -> None:
    s, _, _ = corrected_run
    second = summaries(s.published_db)[1]
    assert second["files"] == {"loaded": 0, "replaced": 1, "skipped": GOLDEN_FILES - 1, "rejected": 0}
    assert second["replaced_files"] == ["absence_202512.csv"]
    # From the corrected month (not back to the spell's start, Oct 2025: refresh_scope.py) to
    # 12 months after it, bounded by the last published month (Jan 2026).
    assert second["periods_rebuilt"] == {"every_period": False, "first": "2025-12-01", "last": "2026-01-01"}
    assert second["kpi_rows_new"] == 0


def test_the_refresh_months_reach_dbt(corrected_run) -> None:
    """dbt itself rebuilt the months the refresh asked for: they reach it through the
    environment of its process (dagster_project/dbt_assets.py refresh_env), which its
    on-run-end hook records. Lost on the way, dbt would rebuild and record every period."""
    s, _, _ = corrected_run
    conn = duckdb.connect(str(s.build_db), read_only=True)
    try:
        rows = conn.execute("select every_period, refresh_from, refresh_to from audit.dbt_invocations "
                            "where command = 'build' order by finished_at").fetchall()
    finally:
        conn.close()
    # To 12 months after the corrected month: the summary above bounds them by the last month
    # published, dbt does not.
    assert [(every, str(first), str(last)) for every, first, last in rows] == [
        (True, "None", "None"), (False, "2025-12-01", "2026-12-01")]


def test_correction_summary_lists_the_organisation_figures_old_to_new(corrected_run) -> None:
    s, _, _ = corrected_run
    figures = changed(summaries(s.published_db)[1])
    assert figures[("sick_leave_pct", "2025-12", "month")] == (6.24, 6.05)
    assert figures[("sick_leave_pct", "2026-01", "rolling_12m")] == (1.42, 1.41)
    assert figures[("sick_leave_long_share_pct", "2025-12", "month")] == (49.69, 48.08)
    assert figures[("sick_leave_long_share_pct", "2026-01", "rolling_12m")] == (66.67, 66.27)
    assert figures[("lost_time_accident_rate", "2026-01", "rolling_12m")] == (16.77, 16.76)
    # Every window holding December 2025, and nothing else.
    assert set(figures) == {
        ("sick_leave_pct", "2025-12", "month"), ("sick_leave_pct", "2025-12", "rolling_12m"),
        ("sick_leave_pct", "2025-12", "year"), ("sick_leave_pct", "2026-01", "rolling_12m"),
        ("sick_leave_long_share_pct", "2025-12", "month"), ("sick_leave_long_share_pct", "2025-12", "rolling_12m"),
        ("sick_leave_long_share_pct", "2025-12", "year"), ("sick_leave_long_share_pct", "2026-01", "rolling_12m"),
        ("lost_time_accident_rate", "2026-01", "rolling_12m")}
    for old, new in figures.values():
        assert old != new


def test_summary_as_the_refresh_prints_it(corrected_run) -> None:
    s, _, _ = corrected_run
    lines = summary_lines(summaries(s.published_db)[1])
    assert lines[0] == f"Files: 0 loaded, 1 replaced, {GOLDEN_FILES - 1} skipped (unchanged), 0 rejected"
    assert "  replaced: absence_202512.csv" in lines
    assert "Periods rebuilt: 2025-12 to 2026-01" in lines
    assert "  sick_leave_pct 2025-12 month: 6.24 -> 6.05" in lines
    assert lines[3].startswith("Organisation-wide figures changed: 9 ")


def test_the_refresh_command_prints_the_summary_of_its_run(corrected_run, capsys) -> None:
    from dagster_project.refresh import published_summary

    s, results, _ = corrected_run
    printed = published_summary(s.published_db, results[1].run_id)
    assert printed[0] == "What changed:"
    assert "    sick_leave_long_share_pct 2025-12 month: 49.69 -> 48.08" in printed
    # The first run's summary is its own.
    assert published_summary(s.published_db, results[0].run_id)[1].startswith(f"  Files: {GOLDEN_FILES} loaded")


def test_an_old_build_database_gets_the_new_columns() -> None:
    from dagster_project.audit import ensure_audit_tables

    conn = duckdb.connect()
    try:
        conn.execute("create schema audit")
        conn.execute("""create table audit.publish_log (publish_id integer primary key, run_id varchar not null,
                        published_at timestamp not null, status varchar not null, published_file varchar not null,
                        source_files json not null, test_summary json not null, kpi_rows bigint,
                        kpi_rows_changed bigint)""")
        conn.execute("insert into audit.publish_log values (1, 'r', now(), 'published', 'f', '[]', '{}', 1, 1)")
        conn.execute("create table audit.dbt_build (run_id varchar, finished_at timestamp, success boolean, "
                     "statuses json, failures json)")
        ensure_audit_tables(conn)
        assert conn.execute("select publish_id, summary from audit.publish_log").fetchall() == [(1, None)]
        assert "refresh_scope" in [c for (c,) in conn.execute(
            "select column_name from information_schema.columns where table_name = 'dbt_build'").fetchall()]
    finally:
        conn.close()
