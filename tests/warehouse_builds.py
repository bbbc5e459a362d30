"""Build databases from a landing folder with the real loader and the real dbt CLI, for the
tests that compare two builds (determinism, incremental refresh against a full rebuild)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from dagster_project.config import ENV_BUILD_DB
from dagster_project.contracts import EXTRACT_ORDER
from dagster_project.ingest import ensure_warehouse, load_extract

REPO = Path(__file__).resolve().parents[1]
DBT_DIR = REPO / "dbt"
KEY = b"golden-test-key-0123456789abcdef"
# Every published figure table, with the columns that make a row.
PUBLISHED_FIGURES = ("marts.kpi_values", "marts.sick_leave_statutory", "marts.staff_supply_outlook")


def load_landing(db: Path, landing: Path, periods: set[int] | None = None) -> None:
    """Load every extract of `landing` into `db` (new files, or the given months again)."""
    conn = duckdb.connect(str(db))
    try:
        ensure_warehouse(conn)
        for name in EXTRACT_ORDER:
            kwargs = {"force_periods": periods} if periods else {}
            for outcome in load_extract(conn, name, landing, key=KEY, **kwargs):
                assert "rejected" not in str(getattr(outcome, "status", "")), outcome
    finally:
        conn.close()


def dbt_build(db: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    """`dbt build` on `db`, artefacts under `work`; fails the test on any dbt error."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build",
         "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), *args],
        env={**os.environ, ENV_BUILD_DB: str(db)}, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    return result


def differences(db_a: Path, db_b: Path, table: str) -> tuple[int, int, list[tuple]]:
    """Rows of `table` only in A, only in B (EXCEPT ALL both ways, so bit for bit), and a sample."""
    conn = duckdb.connect()
    try:
        conn.execute(f"attach '{db_a}' as a (read_only)")
        conn.execute(f"attach '{db_b}' as b (read_only)")
        only_a = conn.execute(f"select * from a.{table} except all select * from b.{table}").fetchall()
        only_b = conn.execute(f"select * from b.{table} except all select * from a.{table}").fetchall()
        return len(only_a), len(only_b), (only_a + only_b)[:10]
    finally:
        conn.close()
