"""The dbt project as Dagster sees it, and the manifest its asset graph is built from.

Kept apart from dbt_assets.py so the manifest can be refreshed (tests, CI, `make manifest`)
without building any Dagster definitions; the definitions read it when they are loaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from dagster_project.config import DBT_PROJECT_DIR, settings

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# The venv's dbt, not whatever `dbt` is first on PATH: `make` does not activate the venv.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


def dbt_env() -> dict[str, str]:
    return {**os.environ, **settings().as_env(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def run_dbt(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the dbt CLI on this project with the configured paths."""
    result = subprocess.run(
        [DBT_EXECUTABLE, *args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)],
        cwd=DBT_PROJECT_DIR, env=dbt_env(), capture_output=True, text=True,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return result


def ensure_manifest(force: bool = False) -> Path:
    """dagster-dbt builds its asset graph from manifest.json. `make manifest` (before `make dev`,
    `make refresh`, `make test`) and the tests call this with force=True, so the graph matches
    the models; loading the definitions calls it without, parsing only when it is missing."""
    if force or not DBT_PROJECT.manifest_path.exists():
        run_dbt("parse", "--quiet")
    return DBT_PROJECT.manifest_path


if __name__ == "__main__":
    ensure_manifest(force=True)
    print(DBT_PROJECT.manifest_path)
