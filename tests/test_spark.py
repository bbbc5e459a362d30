"""The same dbt project on Apache Spark: built over the golden fixture, equal to DuckDB's build.

`make test-spark` runs this module in .venv-spark (dbt-spark, pyspark; Spark in local mode,
nothing to start); `make test` leaves it out by its marker. The golden landing goes through
the real loader into a DuckDB build database once; then

- `dbt build` on the default target (DuckDB), as the refresh runs it;
- dagster_project/spark_raw.py writes that database's raw tables to Parquet and registers
  them in Spark's catalog, and `dbt build --target spark` runs the same seeds, models, unit
  tests and data tests on Spark.

Spark's tables are Parquet files under its warehouse folder; DuckDB reads them directly, so
both builds are compared (and the golden expectations checked) by the same SQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import duckdb
import pytest

pytest.importorskip("pyspark", reason="the Spark extras: make test-spark")

from dagster_project import spark_raw  # noqa: E402
from dagster_project.config import ENV_BUILD_DB  # noqa: E402
from dagster_project.contracts import EXTRACT_ORDER  # noqa: E402

# The golden expectations, asserted again below on Spark's tables (same functions, this
# module's golden_db fixture).
from test_kpi_golden import (  # noqa: E402
    load_golden_raw,
    test_every_hand_computed_kpi_row_matches,
    test_no_suppressed_cell_can_be_recovered_by_subtraction,
    test_small_unit_is_hidden_together_with_a_sibling,
    test_statutory_table_matches_hand_computation,
)

pytestmark = pytest.mark.spark

REPO = Path(__file__).resolve().parents[1]
DBT_DIR = REPO / "dbt"
COMPARED = ("kpi_values", "sick_leave_statutory", "dim_org_unit")

__all__ = [
    "test_every_hand_computed_kpi_row_matches", "test_statutory_table_matches_hand_computation",
    "test_no_suppressed_cell_can_be_recovered_by_subtraction", "test_small_unit_is_hidden_together_with_a_sibling",
]


def _dbt(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args,
         "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
         "--target-path", str(root / "target"), "--log-path", str(root / "logs")],
        cwd=DBT_DIR, env=env, capture_output=True, text=True, check=False,
    )


def _ok(result: subprocess.CompletedProcess, what: str) -> None:
    assert result.returncode == 0, f"{what} failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(DuckDB build database, DuckDB file of views over Spark's tables), built once."""
    root = tmp_path_factory.mktemp("spark")
    db = root / "warehouse.duckdb"
    load_golden_raw(db)

    spark_dir = root / "spark"
    env = {
        **os.environ, ENV_BUILD_DB: str(db), "HRKPI_SPARK_DIR": str(spark_dir),
        # Small and modest: the fixture is tiny and the machine is shared.
        "HRKPI_SPARK_SHUFFLE_PARTITIONS": "2", "HRKPI_SPARK_DRIVER_MEMORY": "1g",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    result = _dbt(root / "duckdb", env, "build")
    _ok(result, "dbt build on DuckDB")
    (root / "duckdb-build.log").write_text(result.stdout)

    counts = spark_raw.export_parquet(db, spark_dir / "raw")
    assert counts["employees"] > 0 and counts["org_units"] > 0, counts
    _ok(_dbt(root / "spark-raw", env, "run-operation", "register_raw_tables", "--target", "spark",
             "--args", json.dumps({"location": str(spark_dir / "raw"), "tables": list(EXTRACT_ORDER)})),
        "registering the raw tables in Spark")
    result = _dbt(root / "spark-build", env, "build", "--target", "spark")
    _ok(result, "dbt build --target spark")
    (root / "spark-build.log").write_text(result.stdout)

    views = root / "spark_tables.duckdb"
    conn = duckdb.connect(str(views))
    try:
        warehouse = spark_dir / "warehouse"
        for schema_dir in sorted(warehouse.glob("*.db")):
            schema = schema_dir.name.removesuffix(".db")
            conn.execute(f"create schema if not exists {schema}")
            for table_dir in sorted(p for p in schema_dir.iterdir() if p.is_dir()):
                if any(table_dir.glob("*.parquet")):
                    conn.execute(f"create view {schema}.{table_dir.name} as "
                                 f"select * from read_parquet('{table_dir}/*.parquet')")
    finally:
        conn.close()
    yield db, views


@pytest.fixture(scope="module")
def golden_db(builds) -> Path:
    """For the golden tests imported above: Spark's tables, read through DuckDB."""
    return builds[1]


def _rows(db: Path, table: str) -> tuple[list[str], list[tuple]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        cur = conn.execute(f"select * from marts.{table}")
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        conn.close()
    # Compared as values: a decimal and the double with the same digits are one figure.
    plain = [tuple(float(v) if isinstance(v, Decimal) else v for v in r) for r in rows]
    return names, sorted(plain, key=lambda r: tuple((v is None, str(v)) for v in r))


@pytest.mark.parametrize("table", COMPARED)
def test_spark_mart_equals_duckdb_row_for_row(builds, table: str):
    duck, spark = builds
    duck_names, duck_rows = _rows(duck, table)
    spark_names, spark_rows = _rows(spark, table)
    assert spark_names == duck_names
    assert len(duck_rows) > 0
    missing = [r for r in duck_rows if r not in set(spark_rows)]
    extra = [r for r in spark_rows if r not in set(duck_rows)]
    assert not missing and not extra, (
        f"marts.{table}: {len(missing)} DuckDB rows not on Spark, {len(extra)} Spark rows not on DuckDB; "
        f"first: {missing[:3]} / {extra[:3]}")
    assert spark_rows == duck_rows


def _passed(log: str) -> int:
    done = next(line for line in log.splitlines() if "Done. PASS=" in line)
    assert " ERROR=0 " in done and " SKIP=0 " in done, done
    return int(done.split("PASS=")[1].split()[0])


def test_spark_ran_every_seed_model_and_test(builds):
    """Nothing was skipped on Spark: as many seeds, models, unit tests and data tests passed
    there as on DuckDB."""
    root = builds[1].parent
    spark_passed = _passed((root / "spark-build.log").read_text())
    assert spark_passed == _passed((root / "duckdb-build.log").read_text())
    assert spark_passed > 100
