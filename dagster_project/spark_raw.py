"""Raw tables for dbt's `spark` target: the loaded extracts, as Parquet, registered in Spark.

The loader (Dagster, `ingest.py`) writes the raw tables into the DuckDB build database,
already pseudonymised and checked. This step hands exactly those tables to Spark, so the
same `dbt build` runs on Spark from what the loader produced:

1. DuckDB writes each raw table to `<parquet-dir>/<table>/part-0.parquet` (replacing the
   table's folder, so a table never mixes two loads);
2. `dbt run-operation register_raw_tables --target spark` creates `raw.<table>` in the
   Spark target's catalog as an external Parquet table over `<location>/<table>`. It runs
   through dbt so the Spark session, catalog and warehouse are the profile's.

Locally (`make test-spark`, the defaults) both are the folder `data/spark/raw`. On a
cluster, `--parquet-dir` is where this machine writes and `--location` the same files as
the cluster sees them (e.g. `s3a://hr-kpi/raw`, `abfss://raw@account.dfs.core.windows.net/hr-kpi`):
copy the folder there in between, or let DuckDB write straight to the bucket (its httpfs
extension, credentials from the environment). README.md, section "Scale", has the profile.

Usage (the Spark extras: `make setup-spark`):
    .venv-spark/bin/python -m dagster_project.spark_raw [--build-db PATH] [--parquet-dir DIR]
        [--location URI] [--skip-register]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import duckdb

from dagster_project.config import REPO_ROOT, settings
from dagster_project.contracts import RAW_TABLES

DEFAULT_PARQUET_DIR = REPO_ROOT / "data" / "spark" / "raw"


def export_parquet(build_db: Path, parquet_dir: Path, tables: tuple[str, ...] = RAW_TABLES) -> dict[str, int]:
    """Write each raw table of the build database to `<parquet_dir>/<table>/`; rows per table."""
    if not build_db.exists():
        raise FileNotFoundError(f"build database {build_db} does not exist: run the refresh (loads) first")
    conn = duckdb.connect(str(build_db), read_only=True)
    try:
        counts: dict[str, int] = {}
        for table in tables:
            folder = parquet_dir / table
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            # Ordered by lineage so the same load gives the same file, byte for byte.
            conn.execute(
                f"copy (select * from raw.{table} order by _load_id, _source_line) "
                f"to '{folder / 'part-0.parquet'}' (format parquet, compression zstd)"
            )
            counts[table] = conn.execute(f"select count(*) from raw.{table}").fetchone()[0]
        return counts
    finally:
        conn.close()


def register(location: str, tables: tuple[str, ...] = RAW_TABLES, target: str = "spark") -> None:
    """Create raw.<table> over `<location>/<table>` in the dbt target's Spark catalog."""
    from dagster_project.dbt_project import run_dbt

    args = json.dumps({"location": location, "tables": list(tables)})
    run_dbt("run-operation", "register_raw_tables", "--target", target, "--args", args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-db", type=Path, default=None,
                        help="the DuckDB build database the loader wrote (default: HRKPI_BUILD_DB)")
    parser.add_argument("--parquet-dir", type=Path, default=DEFAULT_PARQUET_DIR,
                        help=f"where DuckDB writes the Parquet files (default: {DEFAULT_PARQUET_DIR})")
    parser.add_argument("--location", default=None,
                        help="the same folder as Spark reads it, e.g. s3a://bucket/raw (default: --parquet-dir)")
    parser.add_argument("--target", default="spark", help="the dbt target to register the tables in")
    parser.add_argument("--skip-register", action="store_true",
                        help="only write the Parquet files (register later, once they are copied to the cluster)")
    args = parser.parse_args(argv)

    build_db = (args.build_db or settings().build_db).resolve()
    parquet_dir = args.parquet_dir.resolve()
    counts = export_parquet(build_db, parquet_dir)
    for table, n in counts.items():
        print(f"raw.{table}: {n} rows -> {parquet_dir / table}")
    if not args.skip_register:
        register(args.location or str(parquet_dir), target=args.target)
        print(f"registered {len(counts)} raw tables in dbt target {args.target!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
