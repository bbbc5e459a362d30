"""The dbt build on both targets at one bench size: DuckDB (the default) next to Spark.

    .venv-spark/bin/python -m bench.spark S      # or M; needs `make setup-spark`

The size's extracts (bench/run.py's generator, cached under bench/work/) go through the real
loader into a fresh DuckDB build database; then, each timed on its own:

- `dbt build` on the duckdb target (seeds, models, unit and data tests);
- dagster_project/spark_raw.py: the raw tables to Parquet and registered in Spark;
- `dbt build --target spark` (local mode, the profile's settings, e.g. HRKPI_SPARK_MASTER).

Results: bench/spark_results.json (one object per size); bench/README.md, section "Spark",
has the analysis. Rows per second are the raw rows the build starts from over its seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from bench.run import SIZES, WORK, generate
from dagster_project import spark_raw
from dagster_project.config import DBT_PROJECT_DIR, ENV_BUILD_DB, REPO_ROOT
from dagster_project.contracts import EXTRACT_ORDER
from dagster_project.ingest import ensure_warehouse, load_extract

RESULTS = REPO_ROOT / "bench" / "spark_results.json"


def _timed_dbt(env: dict[str, str], log_dir: Path, *args: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(log_dir / "target"),
         "--log-path", str(log_dir / "logs")],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return seconds


def bench(size: str) -> dict:
    all_dir = generate(size)
    run_dir = WORK / size / "spark"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    db = run_dir / "warehouse.duckdb"
    conn = duckdb.connect(str(db))
    try:
        ensure_warehouse(conn)
        for name in EXTRACT_ORDER:
            list(load_extract(conn, name, all_dir, key=b"bench-key-0123456789abcdef"))
        raw_rows = sum(conn.execute(f"select count(*) from raw.{n}").fetchone()[0] for n in EXTRACT_ORDER)
    finally:
        conn.close()

    env = {**os.environ, ENV_BUILD_DB: str(db), "HRKPI_SPARK_DIR": str(run_dir / "spark"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    print(f"[{size}] dbt build on duckdb", flush=True)
    duck_s = _timed_dbt(env, run_dir / "duckdb", "build")
    print(f"[{size}] raw tables to Spark", flush=True)
    started = time.perf_counter()
    # Every raw table the loader wrote (the extracts and raw.deliveries), as the test does.
    exported = spark_raw.export_parquet(db, run_dir / "spark" / "raw")
    export_s = time.perf_counter() - started
    register_s = _timed_dbt(env, run_dir / "register", "run-operation", "register_raw_tables", "--target", "spark",
                            "--args", json.dumps({"location": str(run_dir / "spark" / "raw"),
                                                  "tables": list(exported)}))
    print(f"[{size}] dbt build on spark", flush=True)
    spark_s = _timed_dbt(env, run_dir / "spark-build", "build", "--target", "spark")
    return {
        "employees": SIZES[size][0], "months": SIZES[size][1], "raw_rows": raw_rows,
        "duckdb_build_s": round(duck_s, 1), "duckdb_rows_per_s": round(raw_rows / duck_s),
        "parquet_export_s": round(export_s, 1), "spark_register_s": round(register_s, 1),
        "spark_build_s": round(spark_s, 1), "spark_rows_per_s": round(raw_rows / spark_s),
        "spark_master": os.environ.get("HRKPI_SPARK_MASTER", "local[2]"),
        "cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 1),
    }


def main(argv: list[str]) -> int:
    sizes = argv or ["S"]
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for size in sizes:
        results[size] = bench(size)
        print(json.dumps({size: results[size]}, indent=2), flush=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
