"""`make bench`: refresh cost at sizes S, M and L against the floor of reading the same files.

For each size: generate the extracts (cached under bench/work/), run the full refresh on
all months but the last, then the incremental refresh of that last month, each in its own
process so its wall time and peak memory are its own. The floor is DuckDB alone reading
the same CSV files with every column typed as the contract says.

Results: bench/results.json and the tables in bench/README.md (between the markers).
Choose sizes with BENCH_SIZES=S,M (default S,M,L) and repetitions of the floor with
BENCH_FLOOR_REPS (default 3, the median is reported).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from dagster_project.config import ENV_BUILD_DB, ENV_LANDING, ENV_PUBLISHED_DB, REPO_ROOT
from dagster_project.contracts import EXTRACT_ORDER, EXTRACTS

BENCH_DIR = REPO_ROOT / "bench"
WORK = BENCH_DIR / "work"
SIZES = {"S": (1_000, 24), "M": (8_000, 36), "L": (60_000, 60)}
FLOOR_TYPES = {"period": "INTEGER", "decimal": "DECIMAL(18,4)", "integer": "BIGINT", "date": "DATE"}


def measured(cmd: list[str], env: dict[str, str]) -> tuple[dict, float, float]:
    """Run cmd in a fresh wrapper process: (its JSON output, wall seconds, peak RSS MB of the tree)."""
    wrapper = (
        "import resource, subprocess, sys, json;"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "sys.stderr.write(p.stderr[-3000:]);"
        "print(json.dumps({'rc': p.returncode, 'out': p.stdout,"
        " 'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))"
    )
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    outer = json.loads(proc.stdout.strip().splitlines()[-1])
    if outer["rc"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{outer['out'][-3000:]}\n{proc.stderr[-3000:]}")
    last = outer["out"].strip().splitlines()[-1] if outer["out"].strip() else "{}"
    try:
        payload = json.loads(last)
    except json.JSONDecodeError:
        payload = {}
    return payload, wall, outer["maxrss_kb"] / 1024


def generate(size: str) -> Path:
    employees, months = SIZES[size]
    out = WORK / size / "all"
    stamp = out / ".generated"
    want = f"{employees}x{months}"
    if stamp.exists() and stamp.read_text() == want:
        return out
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "demo_data", "--out", str(out),
         "--employees", str(employees), "--months", str(months), "--seed", "7"],
        check=True,
    )
    (out / ".generation_seconds").write_text(f"{time.perf_counter() - started:.1f}")
    stamp.write_text(want)
    return out


def last_period(all_dir: Path) -> str:
    return max(p.stem.rsplit("_", 1)[1] for p in all_dir.glob("employees/*.csv"))


def stage_landing(all_dir: Path, landing: Path, include_last: bool) -> list[Path]:
    """Hard-link the generated files into a landing folder, withholding the last month."""
    last = last_period(all_dir)
    files = []
    for src in sorted(all_dir.glob("*/*.csv")):
        if not include_last and src.stem.endswith(last):
            continue
        dst = landing / src.parent.name / src.name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists():
            os.link(src, dst)
        files.append(dst)
    return files


def _file_options(path: Path) -> tuple[str, str]:
    """Encoding and date format of one file, found before the clock starts."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "latin-1"
    second_line = raw.split(b"\n", 2)[1] if raw.count(b"\n") > 1 else b""
    iso = any(len(f.strip()) == 10 and f.strip()[4:5] == b"-" for f in second_line.split(b";"))
    dateformat = "%Y-%m-%d" if iso else "%Y%m%d"
    return encoding, dateformat


def floor_seconds(files: list[Path], reps: int) -> tuple[float, int]:
    """DuckDB alone: every file read into a table with the contract's column types."""
    plans = []
    for path in files:
        extract = EXTRACTS[path.parent.name]
        types = {c.header.lower(): FLOOR_TYPES.get(c.kind, "VARCHAR") for c in extract.columns}
        encoding, dateformat = _file_options(path)
        # Every delivered column, typed where the contract types it (free text stays text).
        header = path.read_bytes().split(b"\n", 1)[0].decode(encoding).lstrip("\ufeff").strip()
        columns = {h.strip(): types.get(h.strip().lower(), "VARCHAR") for h in header.split(";")}
        plans.append((path, columns, encoding, dateformat))
    timings = []
    rows = 0
    for _ in range(reps):
        conn = duckdb.connect()
        started = time.perf_counter()
        rows = 0
        for i, (path, columns, encoding, dateformat) in enumerate(plans):
            cols = ", ".join(f"'{k}': '{v}'" for k, v in columns.items())
            conn.execute(
                f"""create table t{i} as select * from read_csv('{path}', delim=';', header=true,
                    columns={{{cols}}}, decimal_separator=',', dateformat='{dateformat}',
                    encoding='{encoding}', null_padding=true, ignore_errors=false)"""
            )
            rows += conn.execute(f"select count(*) from t{i}").fetchone()[0]
        timings.append(time.perf_counter() - started)
        conn.close()
    return statistics.median(timings), rows


def load_rates(build_db: Path) -> dict[str, float]:
    conn = duckdb.connect(str(build_db), read_only=True)
    try:
        rows = conn.execute(
            """select extract, sum(rows_loaded), sum(epoch(finished_at) - epoch(started_at))
               from audit.load_log where status in ('loaded', 'replaced') group by extract"""
        ).fetchall()
    finally:
        conn.close()
    return {e: round(n / s) if s else None for e, n, s in rows}


def bench_size(size: str, floor_reps: int) -> dict:
    all_dir = generate(size)
    run_dir = WORK / size / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    landing = run_dir / "landing"
    files = stage_landing(all_dir, landing, include_last=False)
    env = {
        **os.environ,
        ENV_LANDING: str(landing),
        ENV_BUILD_DB: str(run_dir / "build" / "warehouse.duckdb"),
        ENV_PUBLISHED_DB: str(run_dir / "published" / "hr_kpi.duckdb"),
        "HRKPI_DEMO": "1",
    }
    child = [sys.executable, "-m", "bench.refresh_child"]
    print(f"[{size}] full refresh of {len(files)} files", flush=True)
    full, full_wall, full_rss = measured(child, env)
    rates = load_rates(run_dir / "build" / "warehouse.duckdb")
    stage_landing(all_dir, landing, include_last=True)
    print(f"[{size}] incremental refresh of {last_period(all_dir)}", flush=True)
    incr, incr_wall, incr_rss = measured(child, env)
    print(f"[{size}] floor", flush=True)
    floor, rows = floor_seconds(files, floor_reps)

    def phase(steps: dict, prefix: str) -> float:
        return round(sum(v for k, v in steps.items() if k.startswith(prefix)), 2)

    published = Path(env[ENV_PUBLISHED_DB])
    from dagster_project.stores import published_size
    from hrkpi_config import default_audit_db
    gen_file = all_dir / ".generation_seconds"
    return {
        "employees": SIZES[size][0],
        "months": SIZES[size][1],
        "rows": rows,
        "generate_s": float(gen_file.read_text()) if gen_file.exists() else None,
        "refresh_s": round(full_wall, 2),
        "incremental_s": round(incr_wall, 2),
        "floor_s": round(floor, 2),
        "ratio_to_floor": round(full_wall / floor, 2) if floor else None,
        "peak_rss_mb": round(max(full_rss, incr_rss)),
        "load_s": phase(full.get("steps", {}), "raw"),
        "dbt_s": phase(full.get("steps", {}), "hr_kpi_dbt_assets"),
        "publish_s": phase(full.get("steps", {}), "published"),
        "incremental_load_s": phase(incr.get("steps", {}), "raw"),
        "incremental_dbt_s": phase(incr.get("steps", {}), "hr_kpi_dbt_assets"),
        "incremental_publish_s": phase(incr.get("steps", {}), "published"),
        "rows_per_s_by_extract": rates,
        # The lean publish (dagster_project/stores.py): each store's catalog and the parts it reads.
        "published_mb": round(published_size(published) / 1e6, 1),
        "audit_store_mb": round(published_size(default_audit_db(published)) / 1e6, 1),
        "steps": full.get("steps", {}),
    }


def write_readme_table(results: dict) -> None:
    readme = BENCH_DIR / "README.md"
    lines = [
        "| size | employees x months | rows | full refresh s | floor s | ratio | incremental s | peak MB | loads s | dbt s | publish s | incremental publish s | dashboard store MB | audit store MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, r in results.items():
        if size.startswith("_"):
            continue
        lines.append(
            f"| {size} | {r['employees']:,} x {r['months']} | {r['rows']:,} | {r['refresh_s']} | {r['floor_s']} | "
            f"{r['ratio_to_floor']} | {r['incremental_s']} | {r['peak_rss_mb']} | {r['load_s']} | {r['dbt_s']} | "
            f"{r['publish_s']} | {r.get('incremental_publish_s', '-')} | {r['published_mb']} | "
            f"{r.get('audit_store_mb', '-')} |"
        )
    lines += ["", "Rows per second by extract (loads of the full refresh):", "",
              "| size | " + " | ".join(EXTRACT_ORDER) + " |", "|---|" + "---|" * len(EXTRACT_ORDER)]
    for size, r in results.items():
        if size.startswith("_"):
            continue
        rates = r["rows_per_s_by_extract"]
        lines.append(f"| {size} | " + " | ".join(f"{rates.get(e) or '-':,}" if rates.get(e) else "-" for e in EXTRACT_ORDER) + " |")
    dash = results.get("_dashboard_M")
    if dash:
        lines += ["", "Dashboard at M (AppTest, server-side rerun of the real app on the M published file):", "",
                  "| action | median ms | max ms | n |", "|---|---|---|---|",
                  f"| first load of the overview | {dash['first_load_ms']} | {dash['first_load_ms']} | 1 |"]
        for key, label in (("org_unit_change", "change of org unit (overview)"), ("kpi_change", "change of KPI (KPI page)")):
            d = dash[key]
            lines.append(f"| {label} | {d['median_ms']} | {d['max_ms']} | {d['n']} |")
    table = "\n".join(lines)
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    text = readme.read_text() if readme.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    if start not in text:
        text += f"\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{table}\n{end}{tail}")


def main() -> int:
    sizes = [s.strip() for s in os.environ.get("BENCH_SIZES", "S,M,L").split(",") if s.strip()]
    reps = int(os.environ.get("BENCH_FLOOR_REPS", "3"))
    results_path = BENCH_DIR / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    for size in sizes:
        results[size] = bench_size(size, reps)
        results_path.write_text(json.dumps(results, indent=2))
        print(json.dumps({size: {k: v for k, v in results[size].items() if k != "steps"}}, indent=2), flush=True)
    if "M" in sizes and os.environ.get("BENCH_DASHBOARD", "1") == "1":
        from bench.dashboard import dashboard_timings

        results["_dashboard_M"] = dashboard_timings(WORK / "M" / "run" / "published" / "hr_kpi.duckdb")
        results_path.write_text(json.dumps(results, indent=2))
    write_readme_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
