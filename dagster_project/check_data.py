"""`make check-data`: re-verify the published file without changing it.

1. The source files behind the latest publish still have the checksums in the load log
   (a file changed or removed in the landing folder since is reported).
2. Every dbt test passes on a scratch copy of the audit store's catalog (it reads the same
   parts as the dashboard store, and the microdata the tests on raw and staging need).
3. Suppression holds: no person-based figure about too few employees is shown, and no
   suppressed row carries a value, numerator or denominator.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from dagster_project.config import ENV_BUILD_DB, settings
from dagster_project.dbt_project import run_dbt


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_checksums(conn: duckdb.DuckDBPyConnection, landing: Path) -> list[str]:
    row = conn.execute(
        "select source_files from audit.publish_log where status = 'published' order by publish_id desc limit 1"
    ).fetchone()
    if row is None:
        return ["no publish recorded in audit.publish_log"]
    problems = []
    for f in json.loads(row[0]):
        path = landing / f["extract"] / f["file"]
        if not path.exists():
            problems.append(f"{path}: loaded with checksum {f['checksum'][:12]}..., no longer in the landing folder")
        elif _sha256(path) != f["checksum"]:
            problems.append(f"{path}: changed since it was loaded (not yet re-loaded)")
    return problems


def check_suppression(conn: duckdb.DuckDBPyConnection) -> list[str]:
    params = dict(conn.execute(
        "select parameter, cast(value as double) from seeds.parameters "
        "where parameter in ('suppression_max_n', 'survey_min_respondents')"
    ).fetchall())
    limit, survey_min = params["suppression_max_n"], params["survey_min_respondents"]
    # Only a shown figure can disclose anything; survey figures follow their own minimum.
    shown_small = conn.execute(
        """select count(*) from marts.kpi_values v join marts.kpi_catalogue c using (kpi_id)
           where c.suppress_small_groups and not v.suppressed
             and (v.value is not null or v.numerator is not null or v.denominator is not null)
             and case when c.population_basis = 'respondents' then v.population_n < ?
                      else v.population_n <= ? end""",
        [survey_min, limit],
    ).fetchone()[0]
    leaking = conn.execute(
        """select count(*) from marts.kpi_values
           where suppressed and (value is not null or numerator is not null or denominator is not null)"""
    ).fetchone()[0]
    problems = []
    if shown_small:
        problems.append(f"{shown_small} person-based figures about too few employees or respondents are shown")
    if leaking:
        problems.append(f"{leaking} suppressed rows still carry a value, numerator or denominator")
    return problems


def check_dbt_tests(catalog: Path) -> list[str]:
    if not catalog.exists():
        return [f"no audit store at {catalog}: the dbt tests need the microdata (run `make refresh`)"]
    with tempfile.TemporaryDirectory(prefix="hrkpi-check-") as tmp:
        # The catalog holds only views over the published parts: a copy is a few hundred
        # kilobytes, and dbt may write its test_failures tables into it.
        scratch = Path(tmp) / "check.duckdb"
        shutil.copyfile(catalog, scratch)
        saved = os.environ.get(ENV_BUILD_DB)
        os.environ[ENV_BUILD_DB] = str(scratch)
        try:
            result = run_dbt("test", "--exclude-resource-type", "unit_test", check=False)
        finally:
            if saved is None:
                os.environ.pop(ENV_BUILD_DB, None)
            else:
                os.environ[ENV_BUILD_DB] = saved
    if result.returncode == 0:
        return []
    failing = [line.strip() for line in result.stdout.splitlines() if "FAIL" in line or "ERROR" in line]
    return ["dbt test failed on the published data:"] + failing[:30]


def main() -> int:
    s = settings()
    if not s.published_db.exists():
        print(f"No published file at {s.published_db}: run `make refresh` first.", file=sys.stderr)
        return 2
    conn = duckdb.connect(str(s.published_db), read_only=True)
    try:
        checks = {
            "checksums": check_checksums(conn, s.landing_dir),
            "suppression": check_suppression(conn),
        }
    finally:
        conn.close()
    checks["dbt tests"] = check_dbt_tests(s.audit_db)
    ok = True
    for name, problems in checks.items():
        print(f"{name}: {'OK' if not problems else 'PROBLEMS'}")
        for p in problems:
            print(f"  - {p}")
        ok = ok and not problems
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
