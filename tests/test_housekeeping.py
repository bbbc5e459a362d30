"""What a controller notices after many refreshes: dbt's per-run target folders do not pile
up, the demo-key warning is said once, landing files load in period order."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import config
from dagster_project.dbt_assets import KEEP_RUN_TARGETS, build_dbt_assets, dbt_resource, prune_run_targets
from dagster_project.ingest import ensure_warehouse, landing_files
from dagster_project.raw_assets import RAW_ASSETS

TESTS = Path(__file__).resolve().parent
FIXTURE_LANDING = TESTS / "fixtures" / "ingest" / "landing"
# The assets are built lazily (from the manifest `make manifest` wrote); once for this module.
hr_kpi_dbt_assets = build_dbt_assets()
OP = hr_kpi_dbt_assets.op.name


def make_target(parent: Path, name: str, age_s: float) -> Path:
    path = parent / name
    (path / "compiled").mkdir(parents=True)
    (path / "run_results.json").write_text("{}")
    stamp = time.time() - age_s
    os.utime(path, (stamp, stamp))
    return path


def test_prune_keeps_the_current_and_the_newest_other_folders(tmp_path: Path):
    old = [make_target(tmp_path, f"{OP}-run{i:04d}-abc{i:04d}", age_s=1000 - i) for i in range(8)]
    current = make_target(tmp_path, f"{OP}-runcurr-abcdefg", age_s=5000)  # even when oldest
    other_op = make_target(tmp_path, "some_other_op-run0000-abc0000", age_s=9000)
    (tmp_path / "manifest.json").write_text("{}")

    deleted = prune_run_targets(current, keep=5)

    kept = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(deleted) == sorted(old[:4])
    assert kept == sorted([current.name, other_op.name, "manifest.json", *(p.name for p in old[4:])])


def test_prune_with_nothing_to_prune(tmp_path: Path):
    current = make_target(tmp_path, f"{OP}-runcurr-abcdefg", age_s=0)
    assert prune_run_targets(current) == []
    assert current.is_dir()


def test_a_dbt_run_prunes_the_older_target_folders(tmp_path: Path, monkeypatch):
    """The real dbt asset (one seed selected, so dbt runs briefly) leaves at most
    KEEP_RUN_TARGETS of its folders in dbt/target, its own among them."""
    target = config.DBT_PROJECT_DIR / "target"
    stale = [make_target(target, f"{OP}-zzstale{i}-zzzzzz{i}", age_s=10 * 365 * 86400 + i)
             for i in range(KEEP_RUN_TARGETS + 1)]
    build = tmp_path / "build" / "warehouse.duckdb"
    monkeypatch.setenv(config.ENV_BUILD_DB, str(build))
    monkeypatch.setenv(config.ENV_PUBLISHED_DB, str(tmp_path / "published" / "hr_kpi.duckdb"))
    build.parent.mkdir(parents=True)
    conn = duckdb.connect(str(build))
    ensure_warehouse(conn)
    conn.close()
    try:
        seed = next(k for k in hr_kpi_dbt_assets.keys if k.path[-1] == "parameters")
        result = dg.materialize([hr_kpi_dbt_assets], selection=[seed], resources={"dbt": dbt_resource()},
                                raise_on_error=False)
        runs = [p for p in target.glob(f"{OP}-*") if p.is_dir()]
        # There were more than KEEP_RUN_TARGETS before the run (the stale ones alone).
        assert len(runs) == KEEP_RUN_TARGETS
        assert any(p.name.split("-")[1] == result.run_id[:7] for p in runs)  # the new one is kept
        assert not stale[-1].exists() and not stale[-2].exists()  # the oldest go first
    finally:
        for p in stale:
            shutil.rmtree(p, ignore_errors=True)


def demo_key_warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "using the public demo key" in r.getMessage()]


def test_the_demo_key_warning_is_said_once_per_refresh(tmp_path: Path, monkeypatch, caplog):
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    monkeypatch.setenv(config.ENV_LANDING, str(landing))
    monkeypatch.setenv(config.ENV_BUILD_DB, str(tmp_path / "build" / "warehouse.duckdb"))
    monkeypatch.setenv(config.ENV_DEMO, "1")
    monkeypatch.delenv(config.ENV_PSEUDONYM_KEY, raising=False)
    config._warn_demo_key.cache_clear()  # a fresh process, as a refresh is
    caplog.set_level(logging.WARNING, logger=config.__name__)

    result = dg.materialize(RAW_ASSETS)

    assert result.success
    assert len(result.get_asset_materialization_events()) == len(RAW_ASSETS) == 9  # 8 extracts, deliveries
    assert len(demo_key_warnings(caplog)) == 1
    # The key itself is asked for every time: it is still the demo key.
    assert config.pseudonym_key() == config.DEMO_PSEUDONYM_KEY.encode()
    assert len(demo_key_warnings(caplog)) == 1


def test_a_real_key_gives_no_warning(monkeypatch, caplog):
    monkeypatch.setenv(config.ENV_PSEUDONYM_KEY, "a-long-enough-secret-key")
    config._warn_demo_key.cache_clear()
    caplog.set_level(logging.WARNING, logger=config.__name__)
    config.pseudonym_key()
    assert demo_key_warnings(caplog) == []


def test_landing_files_in_period_order_badly_named_last(tmp_path: Path):
    folder = tmp_path / "employees"
    folder.mkdir()
    for name in ("employees_202502.csv", "employees_2025-03.csv", "employees_202501.csv",
                 "EMPLOYEES_202412.CSV", "notes.txt", "employees_999912.csv"):
        (folder / name).write_text("x")
    # A folder named like a CSV is listed too, badly named, so the loader rejects it by name
    # instead of skipping it without a word (issue 15).
    (folder / "sub.csv").mkdir()
    assert [p.name for p in landing_files("employees", tmp_path)] == [
        "EMPLOYEES_202412.CSV", "employees_202501.csv", "employees_202502.csv", "employees_999912.csv",
        "employees_2025-03.csv", "sub.csv",
    ]
