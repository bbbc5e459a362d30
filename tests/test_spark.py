"""The same dbt project on Apache Spark: built over the golden fixture, equal to DuckDB's build.

`make test-spark` runs this module in .venv-spark (dbt-spark, pyspark; Spark in local mode,
nothing to start); `make test` leaves it out by its marker. The golden landing goes through
the real loader into a DuckDB build database once; then

- `dbt build` on the default target (DuckDB), as the refresh runs it;
- dagster_project/spark_raw.py writes that database's raw tables to Parquet, and
  `dbt build --target spark` registers them in Spark's catalog (register_raw_tables, the
  macro spark_raw.register runs, here in the build's own session) and runs the same seeds,
  models, unit tests and data tests on Spark.

Spark's tables are Parquet files under its warehouse folder; DuckDB reads them directly, so
both builds are compared (and the golden expectations checked) by the same SQL.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pytest

pytest.importorskip("pyspark", reason="the Spark extras: make test-spark")

from dagster_project import spark_raw  # noqa: E402
from dagster_project.config import ENV_BUILD_DB  # noqa: E402

# The golden expectations, asserted again below on Spark's tables (same functions, this
# module's golden_db fixture).
from test_kpi_golden import (  # noqa: E402
    GOLDEN,
    test_every_hand_computed_kpi_row_matches,
    test_no_suppressed_cell_can_be_recovered_by_subtraction,
    test_small_unit_is_hidden_together_with_a_sibling,
    test_statutory_table_matches_hand_computation,
)
from warehouse_builds import dbt_build, dbt_command, differences, load_landing  # noqa: E402

pytestmark = pytest.mark.spark

__all__ = [
    "test_every_hand_computed_kpi_row_matches", "test_statutory_table_matches_hand_computation",
    "test_no_suppressed_cell_can_be_recovered_by_subtraction", "test_small_unit_is_hidden_together_with_a_sibling",
]


@contextmanager
def spark_env(db: Path, spark_dir: Path) -> Iterator[None]:
    """The environment of a dbt run on the spark target over the build database `db`."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV_BUILD_DB, str(db))
        env.setenv("HRKPI_SPARK_DIR", str(spark_dir))
        # Small and modest: the fixture is tiny and the machine is shared.
        env.setenv("HRKPI_SPARK_SHUFFLE_PARTITIONS", "2")
        env.setenv("HRKPI_SPARK_DRIVER_MEMORY", "1g")
        yield


def raw_vars(spark_dir: Path, tables) -> dict:
    """The build registers the exported raw tables itself (dbt_project.yml, on-run-start),
    with the macro spark_raw.register runs: a second Spark and catalog start cost minutes."""
    return {"spark_raw_location": str(spark_dir / "raw"), "spark_raw_tables": list(tables)}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(DuckDB build database, DuckDB file of views over Spark's tables), built once."""
    root = tmp_path_factory.mktemp("spark")
    db = root / "warehouse.duckdb"
    load_landing(db, GOLDEN / "landing")
    spark_dir = root / "spark"
    with spark_env(db, spark_dir):
        duck = dbt_build(db, root / "duckdb")
        counts = spark_raw.export_parquet(db, spark_dir / "raw")
        assert counts["employees"] > 0 and counts["org_units"] > 0, counts
        spark = dbt_build(db, root / "spark-build", "--target", "spark", "--vars", json.dumps(raw_vars(spark_dir, counts)))
    (root / "duckdb-build.log").write_text(duck.stdout)
    (root / "spark-build.log").write_text(spark.stdout)

    views = root / "spark_tables.duckdb"
    conn = duckdb.connect(str(views))
    try:
        for schema_dir in sorted((spark_dir / "warehouse").glob("*.db")):
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
def incremental_rerun(builds) -> str:
    """After the full build, the KPI models from the month roll-up and the population steps on
    rebuilt again on Spark for two periods only, as a refresh of a corrected month does (macros/refresh_periods.sql):
    on Spark, delete+insert rewrites each incremental table from its kept periods and the
    rebuilt ones (macros/adapters/spark_incremental.sql). Returns dbt's log."""
    duck, views = builds
    root = views.parent
    conn = duckdb.connect(str(duck), read_only=True)
    try:
        months = [r[0] for r in conn.execute("select period from intermediate.int_months order by period").fetchall()]
    finally:
        conn.close()
    assert len(months) >= 4, months
    middle = len(months) // 2
    refresh = {"refresh_from": months[middle - 1].isoformat(), "refresh_to": months[middle].isoformat()}
    spark_dir = root / "spark"
    with spark_env(duck, spark_dir):
        result = dbt_command("run", duck, root / "spark-incremental", "--target", "spark",
                             "--vars", json.dumps({**raw_vars(spark_dir, spark_raw.RAW_TABLES), **refresh}),
                             "--select", "int_kpi_month_rollup+", "int_population_members+")
    return result.stdout


@pytest.fixture(scope="module")
def golden_db(builds) -> Path:
    """For the golden tests imported above: Spark's tables, read through DuckDB."""
    return builds[1]


@pytest.mark.parametrize("table", ["marts.kpi_values", "marts.sick_leave_statutory", "marts.dim_org_unit"])
def test_spark_mart_equals_duckdb_row_for_row(builds, table: str):
    """The same columns with the same types, and the same rows bit for bit (EXCEPT ALL both ways)."""
    duck, spark = builds
    assert _columns(spark, table) == _columns(duck, table)
    only_duckdb, only_spark, sample = differences(duck, spark, table)
    assert (only_duckdb, only_spark) == (0, 0), (
        f"{table}: {only_duckdb} rows only on DuckDB, {only_spark} only on Spark, e.g. {sample}")


def _columns(db: Path, table: str) -> list[tuple[str, str]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        assert conn.execute(f"select count(*) from {table}").fetchone()[0] > 0, f"{table} is empty"
        return [(d[0], str(d[1])) for d in conn.execute(f"select * from {table} limit 0").description]
    finally:
        conn.close()


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


@pytest.mark.parametrize("table", ["marts.kpi_values", "marts.sick_leave_statutory"])
def test_an_incremental_rebuild_on_spark_keeps_the_other_periods_and_equals_duckdb(builds, incremental_rerun, table: str):
    """Two periods rebuilt on Spark, the rest kept: the mart still equals DuckDB's full build
    row for row (a lost or doubled period would show in EXCEPT ALL)."""
    assert "incremental model" in incremental_rerun
    duck, spark = builds
    only_duckdb, only_spark, sample = differences(duck, spark, table)
    assert (only_duckdb, only_spark) == (0, 0), (
        f"{table} after the incremental rebuild: {only_duckdb} rows only on DuckDB, {only_spark} only on Spark, e.g. {sample}")
