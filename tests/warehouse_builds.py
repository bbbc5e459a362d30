"""Build databases from a landing folder with the real loader and the real dbt CLI, for the
tests that compare two builds (determinism, incremental refresh against a full rebuild), and
the comparison of published KPI rows with a golden fixture's hand-computed expected_kpis.csv
(the Swedish and the Finnish golden tests share it)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from conftest import TEST_KEY
from dagster_project.config import ENV_BUILD_DB, ENV_PROFILE
from dagster_project.contracts import EXTRACT_ORDER
from dagster_project.ingest import ensure_warehouse, load_extract
from dagster_project.pseudonym import Pseudonymizer

REPO = Path(__file__).resolve().parents[1]
DBT_DIR = REPO / "dbt"
KEY = TEST_KEY.encode()
# Every published figure table, with the columns that make a row.
PUBLISHED_FIGURES = ("marts.kpi_values", "marts.sick_leave_statutory", "marts.staff_supply_outlook")


def load_landing(db: Path, landing: Path, periods: set[int] | None = None, profile: str = "SE") -> list:
    """Load every extract of `landing` into `db` (new files, or the given months again) under
    the organisation profile's person ids; returns the files' outcomes."""
    person_id = "henkilotunnus" if profile == "FI" else "personnummer"
    conn = duckdb.connect(str(db))
    outcomes = []
    try:
        ensure_warehouse(conn)
        for name in EXTRACT_ORDER:
            kwargs = {"force_periods": periods} if periods else {}
            for outcome in load_extract(conn, name, landing, key=KEY,
                                        pseudonyms=Pseudonymizer(KEY, person_id=person_id), **kwargs):
                assert "rejected" not in str(getattr(outcome, "status", "")), outcome
                outcomes.append(outcome)
    finally:
        conn.close()
    return outcomes


def dbt_build(db: Path, work: Path, *args: str, profile: str = "SE") -> subprocess.CompletedProcess:
    """`dbt build` on `db` under the organisation profile, artefacts under `work`; fails the
    test on any dbt error. A subprocess, not dbtRunner: dbt-duckdb keeps its connection open
    in process, and DuckDB then refuses the tests' read-only connections to the same file."""
    return dbt_command("build", db, work, *args, profile=profile)


def dbt_command(command: str, db: Path, work: Path, *args: str, profile: str = "SE",
                check: bool = True) -> subprocess.CompletedProcess:
    """Any dbt command (build, run, test, ...) as dbt_build runs it; with `check` it fails the
    test on any dbt error, without it the caller reads the outcome."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), command,
         "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), *args],
        env={**os.environ, ENV_BUILD_DB: str(db), ENV_PROFILE: profile}, capture_output=True, text=True,
        check=False,
    )
    if check:
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


# --- golden comparison -------------------------------------------------------------------------

GRAIN = ("kpi_id", "period", "window", "org_unit_code", "breakdown", "breakdown_value")


def query(db: Path, sql: str, params: list | None = None) -> list[dict]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        cur = conn.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        conn.close()


def read_expected(path: Path) -> list[dict]:
    # Committed with the fixture: a missing file is a broken checkout, not a test to skip.
    assert path.exists(), f"{path.relative_to(REPO)} is missing"
    with open(path, encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if any(v.strip() for v in r.values())]


def number(text: str | None) -> float | None:
    return None if text is None or text.strip() == "" else float(text)


def truthy(text: str) -> bool:
    return text.strip().lower() in ("true", "1", "t", "yes", "j")


def close(actual: float | None, expected: float | None, decimals: int) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return round(actual, decimals) == round(expected, decimals)


def kpi_row_problems(db: Path, expected_csv: Path) -> tuple[list[str], int]:
    """Every difference between the hand-computed rows of `expected_csv` and marts.kpi_values
    in `db` (value, numerator, denominator, target, population, suppression, status: each where
    the file has the column and, for the last three, a value), and how many rows it expects."""
    expected = read_expected(expected_csv)
    published = {tuple(str(r[c]) for c in GRAIN): r
                 for r in query(db, 'select *, "window" as w from marts.kpi_values')}
    problems = []
    for e in expected:
        key = tuple(e[c].strip() for c in GRAIN)
        got = published.get(key)
        if got is None:
            problems.append(f"{key}: no row in marts.kpi_values")
            continue
        for column, decimals in (("value", 2), ("numerator", 4), ("denominator", 4), ("target_value", 2)):
            if column in e and not close(got[column], number(e[column]), decimals):
                problems.append(f"{key}: {column} {got[column]} != expected {e[column]}")
        if e.get("population_n", "").strip() and got["population_n"] != int(float(e["population_n"])):
            problems.append(f"{key}: population_n {got['population_n']} != expected {e['population_n']}")
        if e.get("suppressed", "").strip() and got["suppressed"] != truthy(e["suppressed"]):
            problems.append(f"{key}: suppressed {got['suppressed']} != expected {e['suppressed']}")
        # An empty status is NULL: no target for the window, or no value to compare.
        if "status" in e and got["status"] != (e["status"].strip() or None):
            problems.append(f"{key}: status {got['status']} != expected {e['status'] or 'NULL'}")
    return problems, len(expected)
