"""The refresh spine end to end: real Dagster definitions, real assets, real dbt, real publish."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from conftest import GOLDEN_DIR, copy_golden_landing, run_refresh, warehouse_env


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(sql, params or []).fetchall()
    finally:
        conn.close()


def expected(kpi_id: str, period: str, org_unit_code: str | None = None) -> dict:
    """One hand-computed row (window month, total) from the golden fixture's expected values."""
    with open(GOLDEN_DIR / "expected_kpis.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh)
                if r["kpi_id"] == kpi_id and r["period"] == period and r["window"] == "month"
                and r["breakdown"] == "total"]
    if org_unit_code:
        rows = [r for r in rows if r["org_unit_code"] == org_unit_code]
    assert rows, f"no expected row for {kpi_id} {period} {org_unit_code}"
    return rows[0]


def root_unit(db: Path, period: str) -> str:
    return query(db, "select org_unit_code from marts.dim_org_unit where level = 1 and period = ?", [period])[0][0]


def test_definitions_hold_the_whole_spine():
    from dagster_project.definitions import defs

    definitions = defs()
    keys = {k.to_user_string() for k in definitions.resolve_asset_graph().get_all_asset_keys()}
    from dagster_project.contracts import EXTRACT_ORDER

    for name in EXTRACT_ORDER:
        assert f"raw/{name}" in keys
    for mart in ("marts/kpi_values", "marts/kpi_catalogue", "marts/dim_org_unit", "marts/sick_leave_statutory"):
        assert mart in keys
    assert "published/hr_kpi" in keys
    assert definitions.resolve_job_def("refresh") is not None
    assert definitions.resolve_schedule_def("monthly_refresh").cron_schedule == "0 6 5 * *"


def test_importing_the_definitions_runs_no_dbt():
    """The dbt assets are built when the definitions are loaded, not when a module is imported."""
    import subprocess
    import sys

    code = """
import dagster_project.dbt_project as p
calls = []
real = p.ensure_manifest
p.ensure_manifest = lambda *a, **k: calls.append("manifest") or real(*a, **k)
import dagster_project.definitions as d
assert calls == [], calls
d.defs()
assert calls == ["manifest"], calls
"""
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def test_console_shows_one_line_per_failure_and_the_event_log_keeps_the_stack(capfd):
    # Issue 15: no stack trace on the console (the refresh command's stderr) for any failure,
    # a bug included; Dagster's event log keeps the stack for the developer.
    from dagster_project.failures import UserError, console_logger

    @dg.asset
    def rejected_file():
        raise UserError(description="employees_202501.csv: rejected: the file is empty")

    @dg.asset
    def bug():
        raise ZeroDivisionError("a program error")

    definitions = dg.Definitions(assets=[rejected_file, bug], loggers={"console": console_logger},
                                 jobs=[dg.define_asset_job("both")], executor=dg.in_process_executor)
    result = definitions.resolve_job_def("both").execute_in_process(
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}}, raise_on_error=False)
    assert not result.success
    err = capfd.readouterr().err
    # One block per log line: each starts with its date.
    step_failures = [block for block in re.split(r"\n(?=\d{4}-\d\d-\d\d )", err) if "STEP_FAILURE" in block]
    user, program = (next(b for b in step_failures if f'step "{name}"' in b) for name in ("rejected_file", "bug"))
    assert "employees_202501.csv: rejected: the file is empty" in user
    assert "Stack Trace" not in user
    assert "ZeroDivisionError: a program error" in program and "Stack Trace" not in program
    bug_failure = next(e for e in result.all_events if e.is_step_failure and e.step_key == "bug")
    kept = bug_failure.step_failure_data.error.to_string()
    assert "ZeroDivisionError: a program error" in kept and 'File "' in kept


def test_refresh_publishes_hand_checked_headcount_and_fte(published_golden_db: Path):
    for kpi in ("headcount", "fte"):
        for period in ("2025-11-01", "2025-12-01", "2026-01-01"):
            root = root_unit(published_golden_db, period)
            exp = expected(kpi, period, root)
            got = query(
                published_golden_db,
                """select value from marts.kpi_values where kpi_id = ? and period = ? and "window" = 'month'
                   and org_unit_code = ? and breakdown = 'total'""",
                [kpi, period, root],
            )
            assert got, f"{kpi} {period} missing"
            assert float(got[0][0]) == pytest.approx(float(exp["value"]), abs=0.005), (kpi, period)


def test_publish_is_logged_with_its_source_files(published_golden_db: Path):
    rows = query(published_golden_db, "select status, source_files, test_summary from audit.publish_log")
    assert len(rows) == 1
    status, files, tests = rows[0]
    assert status == "published"
    assert '"checksum"' in files and "employees_202601.csv" in files
    assert '"failures": []' in tests


def test_failing_dbt_test_leaves_published_file_byte_identical(tmp_path: Path):
    landing = copy_golden_landing(tmp_path / "landing")
    with warehouse_env(tmp_path, landing) as s:
        first = run_refresh()
        assert first.success
        before = sha256(s.published_db)

        # Break the data behind a dbt test: a second row for an org unit and month makes
        # the org dimension's unique-key test fail.
        conn = duckdb.connect(str(s.build_db))
        conn.execute(
            "insert into raw.org_units select * from raw.org_units where period = 202601 and niva = 4 limit 1"
        )
        conn.close()

        second = run_refresh()
        assert not second.success
        failed_steps = {e.step_key for e in second.all_events if e.is_step_failure}
        assert any("dbt" in k for k in failed_steps), failed_steps
        assert sha256(s.published_db) == before
        assert query(s.published_db, "select count(*) from audit.publish_log")[0][0] == 1
        build = query(s.build_db, "select success from audit.dbt_build order by finished_at")
        assert [b[0] for b in build] == [True, False]
        # store_failures: the duplicate the failing test found is kept for the auditor.
        failing = [t for (t,) in query(s.build_db, "select table_name from information_schema.tables "
                                                   "where table_schema = 'test_failures'")
                   if query(s.build_db, f'select count(*) from test_failures."{t}"')[0][0] > 0]
        assert any(t.startswith("unique") and "org" in t for t in failing), failing


def test_landing_sensor_requests_a_run_only_when_files_change(tmp_path: Path):
    from dagster_project.definitions import landing_sensor

    landing = copy_golden_landing(tmp_path / "landing")
    with warehouse_env(tmp_path, landing):
        with dg.build_sensor_context() as ctx:
            first = landing_sensor(ctx)
            assert isinstance(first, dg.RunRequest)
            ctx.update_cursor(first.run_key)
            assert isinstance(landing_sensor(ctx), dg.SkipReason)
            f = next(landing.glob("employees/*.csv"))
            os.utime(f, (time.time() + 5, time.time() + 5))
            assert isinstance(landing_sensor(ctx), dg.RunRequest)


def test_dbt_docs_with_lineage_are_written_beside_the_published_file(published_golden_db: Path):
    site = published_golden_db.parent / "dbt_docs" / "index.html"
    html = site.read_text(encoding="utf-8")
    # The static site embeds the manifest (lineage: each node's depends_on) and the catalog.
    assert "model.hr_kpi.kpi_values" in html
    assert "source.hr_kpi.raw.employees" in html
    assert '"depends_on"' in html


def test_dbt_docs_are_not_generated_again_when_models_and_columns_are_unchanged(golden_run, monkeypatch):
    """A monthly publish changes figures, not the project: the site of the last publish stands."""
    from dagster_project import dbt_project
    from dagster_project.publish import write_dbt_docs

    s, _ = golden_run
    site = s.published_db.parent / "dbt_docs" / "index.html"
    before = site.stat().st_mtime_ns

    def regenerate(*args, **kwargs):
        raise AssertionError(f"dbt {' '.join(args)} ran although nothing the site shows changed")

    monkeypatch.setattr(dbt_project, "run_dbt", regenerate)
    assert write_dbt_docs(s.build_db, s.published_db) == site
    assert site.stat().st_mtime_ns == before


def test_landing_sensor_waits_for_every_file_a_new_month_needs(tmp_path: Path):
    """The first of a month's files does not start a refresh that would publish half a month."""
    from dagster_project.definitions import landing_sensor

    landing = copy_golden_landing(tmp_path / "landing")
    january = (landing / "employees" / "employees_202601.csv").read_bytes()
    (landing / "employees" / "employees_202602.csv").write_bytes(january.replace(b"202601;", b"202602;"))
    with warehouse_env(tmp_path, landing):
        with dg.build_sensor_context() as ctx:
            waiting = landing_sensor(ctx)
            assert isinstance(waiting, dg.SkipReason)
            assert waiting.skip_message == ("waiting for a complete delivery: 202602 lacks absence, employment_events, "
                                            "org_units, payroll")
            for extract in ("org_units", "payroll", "absence", "employment_events"):
                src = landing / extract / f"{extract}_202601.csv"
                (landing / extract / f"{extract}_202602.csv").write_bytes(src.read_bytes())
            assert isinstance(landing_sensor(ctx), dg.RunRequest)
