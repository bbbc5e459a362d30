"""The raw Dagster assets materialized for real against a temporary landing folder and build DB."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import config
from dagster_project.contracts import EXTRACT_ORDER
from dagster_project.raw_assets import RAW_ASSETS

FIXTURE_LANDING = Path(__file__).resolve().parent / "fixtures" / "ingest" / "landing"


@pytest.fixture
def env(tmp_path: Path, monkeypatch) -> Path:
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    monkeypatch.setenv(config.ENV_LANDING, str(landing))
    monkeypatch.setenv(config.ENV_BUILD_DB, str(tmp_path / "build" / "warehouse.duckdb"))
    monkeypatch.setenv(config.ENV_PUBLISHED_DB, str(tmp_path / "published" / "hr_kpi.duckdb"))
    monkeypatch.setenv(config.ENV_DEMO, "0")
    monkeypatch.setenv(config.ENV_PSEUDONYM_KEY, "test-key-0123456789abcdef-0123456789abcdef")
    return tmp_path


def materializations(result) -> dict[str, dict]:
    out = {}
    for event in result.get_asset_materialization_events():
        m = event.event_specific_data.materialization
        out[m.asset_key.path[-1]] = {k: v.value for k, v in m.metadata.items()}
    return out


def test_raw_assets_keys_groups_and_order():
    # One asset per extract in load order, then raw/deliveries, which reads what they loaded.
    assert [a.key.path for a in RAW_ASSETS] == [["raw", n] for n in (*EXTRACT_ORDER, "deliveries")]
    for a in RAW_ASSETS:
        assert a.group_names_by_key[a.key] == "raw"
        deps = {d.path[-1] for d in a.asset_deps[a.key]}
        name = a.key.path[-1]
        expected = set() if name == "org_units" else set(EXTRACT_ORDER) if name == "deliveries" else {"org_units"}
        assert deps == expected, name


def test_materialize_loads_every_extract_with_metadata(env: Path):
    result = dg.materialize(RAW_ASSETS)
    assert result.success
    meta = materializations(result)
    assert set(meta) == {*EXTRACT_ORDER, "deliveries"}
    # The fixture month has every extract: complete, nothing waiting.
    assert (meta["deliveries"]["complete_months"], meta["deliveries"]["last_complete_month"]) == (1, "2025-01")
    assert meta["deliveries"]["incomplete_months"] == {}
    assert meta["employees"]["files"] == 1
    assert meta["employees"]["rows_loaded"] == 3
    assert meta["employees"]["rows_quarantined"] == 0
    assert meta["employees"]["statuses"] == {"loaded": 1}
    assert meta["org_units"]["rows_loaded"] == 5
    assert "payroll_202501.csv" in meta["payroll"]["outcomes"]
    conn = duckdb.connect(str(env / "build" / "warehouse.duckdb"), read_only=True)
    try:
        assert conn.execute("select count(*) from raw.payroll").fetchone()[0] == 3
        assert conn.execute("select count(*) from audit.load_log").fetchone()[0] == 8
    finally:
        conn.close()

    # The same files again are skipped; a forced month is re-loaded (replaced, not doubled).
    again = dg.materialize(RAW_ASSETS, run_config={"ops": {"raw__payroll": {"config": {"periods": ["202501"]}}}})
    meta = materializations(again)
    assert meta["employees"]["statuses"] == {"skipped_duplicate": 1}
    assert meta["payroll"]["statuses"] == {"replaced": 1}
    conn = duckdb.connect(str(env / "build" / "warehouse.duckdb"), read_only=True)
    try:
        assert conn.execute("select count(*) from raw.payroll").fetchone()[0] == 3
    finally:
        conn.close()


def test_rejected_file_fails_the_step_after_logging_it(env: Path):
    bad = env / "landing" / "employees" / "employees_202501.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace("Yrkeskod;", ""), encoding="utf-8")
    result = dg.materialize(RAW_ASSETS, raise_on_error=False)
    assert not result.success
    failures = [e for e in result.all_events if e.is_step_failure]
    assert [e.step_key for e in failures] == ["raw__employees"]
    message = failures[0].step_failure_data.error.message
    assert "employees_202501.csv: rejected: missing required column: Yrkeskod" in message
    conn = duckdb.connect(str(env / "build" / "warehouse.duckdb"), read_only=True)
    try:
        assert conn.execute("select status from audit.load_log where extract = 'employees'").fetchall() == [("rejected",)]
    finally:
        conn.close()


def test_bad_period_in_run_config_is_refused(env: Path):
    result = dg.materialize(RAW_ASSETS[:1], raise_on_error=False,
                            run_config={"ops": {"raw__org_units": {"config": {"periods": ["2025-01"]}}}})
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "'2025-01' is not a month YYYYMM" in failure.step_failure_data.error.message
