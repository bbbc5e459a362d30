"""The dbt unit tests (`unit_tests:` beside the models: each model's logic on fixed inputs),
once per `make test` and organisation profile.

The refresh leaves them out (dagster_project/dbt_assets.py BUILD): their inputs never change,
so every monthly refresh would repeat the same answers. They run here on a copy of a golden
build database, whose tables give dbt the columns of each model's inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from warehouse_builds import dbt_command


@pytest.mark.parametrize(("run_fixture", "profile"), [("golden_run", "SE"), ("golden_fi_run", "FI")])
def test_every_dbt_unit_test_passes(request, tmp_path: Path, run_fixture: str, profile: str):
    settings, result = request.getfixturevalue(run_fixture)
    assert result.success, f"the refresh of {run_fixture} failed"
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(settings.build_db, db)
    done = dbt_command("test", db, tmp_path, "--resource-type", "unit_test", profile=profile, check=False)
    target = tmp_path / "target"
    results = [r for r in json.loads((target / "run_results.json").read_text())["results"]
               if r["unique_id"].startswith("unit_test.")]
    declared = json.loads((target / "manifest.json").read_text())["unit_tests"]
    failed = [f"{r['unique_id']}: {r['status']} {(r.get('message') or '')[:300]}"
              for r in results if r["status"] != "pass"]
    assert done.returncode == 0 and not failed, "\n".join(failed) or done.stdout[-3000:]
    assert {r["unique_id"] for r in results} == set(declared)
    assert len(declared) >= 20
