"""`make bench`: refresh cost at sizes S, M and L (XL on request) against the floor of
reading the same files.

For each size: generate the extracts (cached under bench/work/), then three refreshes, each
in its own process so its wall time, peak memory and temporary disk are its own:

1. the full refresh of all months but the last;
2. a corrected month in the middle of the history: a few payroll amounts and absence hours
   of that month changed and the two files re-delivered under their own names;
3. a new month at the end: the withheld last month delivered.

A sampler thread polls, every half second, the summed RSS of the refresh's process tree
(Dagster and the dbt subprocess) and the temporary disk: everything in the build folder but
the build database itself (DuckDB's `.tmp` spill folder, the WAL) plus the refresh's TMPDIR
(the loader's work files). Bytes written by a publish are the files under the published
folder that are new or rewritten after it. dbt's run_results.json of each refresh gives
the per-node timings. The floor is DuckDB alone reading the CSV files of the full refresh
with every column typed as the contract says.

Results: bench/results.json and the tables in bench/README.md (between the markers).
Choose sizes with BENCH_SIZES=S,M (default S,M,L; XL is 300,000 x 60) and repetitions of
the floor with BENCH_FLOOR_REPS (default 3, the median is reported). BENCH_RESUME=1 goes on
after a size's kept full refresh (the later refreshes failed or were stopped) instead of
starting that size again; its figures then say `resumed_after_full`.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import duckdb

from dagster_project.config import ENV_BUILD_DB, ENV_LANDING, ENV_PUBLISHED_DB, REPO_ROOT
from dagster_project.contracts import EXTRACT_ORDER, EXTRACTS

BENCH_DIR = REPO_ROOT / "bench"
WORK = BENCH_DIR / "work"
SIZES = {"S": (1_000, 24), "M": (8_000, 36), "L": (60_000, 60), "XL": (300_000, 60)}
SAMPLE_SECONDS = 0.5
PAGE = os.sysconf("SC_PAGE_SIZE")
FLOOR_TYPES = {"period": "INTEGER", "decimal": "DECIMAL(18,4)", "integer": "BIGINT", "date": "DATE"}


def _tree_rss(root: int) -> int:
    """Summed RSS in bytes of `root` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(children.get(pid, ()))
    return total


def _du(path: Path, skip: set[Path] = frozenset()) -> int:
    """Allocated bytes of the files under path (as du counts them), files in `skip` left out."""
    total = 0
    for root, _, names in os.walk(path):
        for name in names:
            f = Path(root) / name
            if f in skip:
                continue
            try:
                total += f.lstat().st_blocks * 512
            except OSError:
                pass
    return total


class Sampler(threading.Thread):
    """Polls the process tree's RSS and the temporary disk while a refresh runs."""

    def __init__(self, temp_dirs: list[Path], skip: set[Path]):
        super().__init__(daemon=True)
        self.temp_dirs, self.skip = temp_dirs, skip
        self.pid: int | None = None
        self.peak_rss = self.peak_temp = 0
        self.loads: list[float] = []  # the machine's 1-minute load average: it is shared
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            if self.pid:
                self.peak_rss = max(self.peak_rss, _tree_rss(self.pid))
            self.peak_temp = max(self.peak_temp, sum(_du(d, self.skip) for d in self.temp_dirs if d.exists()))
            self.loads.append(os.getloadavg()[0])
            self.done.wait(SAMPLE_SECONDS)


def measured(cmd: list[str], env: dict[str, str], temp_dirs: list[Path], skip: set[Path]) -> dict:
    """Run cmd in a fresh process: its JSON output's payload, wall seconds, the largest single
    process's peak RSS (getrusage), the sampled peak RSS of the whole tree and peak temp disk."""
    wrapper = (  # its getrusage covers this refresh's processes only
        "import resource, subprocess, sys, json;"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "sys.stderr.write(p.stderr[-3000:]);"
        "print(json.dumps({'rc': p.returncode, 'out': p.stdout,"
        " 'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))"
    )
    sampler = Sampler(temp_dirs, skip)
    sampler.start()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", wrapper, *cmd], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler.pid = proc.pid
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    outer = json.loads(stdout.strip().splitlines()[-1])
    if outer["rc"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{outer['out'][-3000:]}\n{stderr[-3000:]}")
    last = outer["out"].strip().splitlines()[-1] if outer["out"].strip() else "{}"
    try:
        payload = json.loads(last)
    except json.JSONDecodeError:
        payload = {}
    return {
        "payload": payload,
        "wall_s": round(wall, 2),
        # ru_maxrss of the children is the largest single process (Dagster or dbt), not the sum.
        "max_process_rss_mb": round(outer["maxrss_kb"] / 1024),
        "peak_tree_rss_mb": round(sampler.peak_rss / 1e6),
        "peak_temp_mb": round(sampler.peak_temp / 1e6),
        "mean_load": round(statistics.mean(sampler.loads), 1) if sampler.loads else None,
    }


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


def periods(all_dir: Path) -> list[str]:
    return sorted(p.stem.rsplit("_", 1)[1] for p in all_dir.glob("employees/*.csv"))


def last_period(all_dir: Path) -> str:
    return periods(all_dir)[-1]


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


def _decimal(text: str) -> Decimal:
    return Decimal(text.strip().replace(",", "."))


def correct_file(path: Path, column: str, change, every: int) -> int:
    """Re-deliver `path` with `column` changed by `change` on every `every`-th data row,
    in the file's own encoding and line endings. The landing file is a hard link into the
    generated cache, so it is replaced, not written through. Returns the rows changed."""
    encoding, _ = _file_options(path)
    lines = path.read_bytes().decode(encoding).splitlines(keepends=True)
    header = [h.strip().lstrip("\ufeff") for h in lines[0].rstrip("\r\n").split(";")]
    at = header.index(column)
    changed = 0
    for i in range(1, len(lines)):
        if i % every:
            continue
        body = lines[i].rstrip("\r\n")
        fields = body.split(";")
        if len(fields) != len(header) or not fields[at].strip():
            continue
        try:
            value = _decimal(fields[at])
        except ArithmeticError:
            continue
        fields[at] = f"{change(value):.2f}".replace(".", ",")
        lines[i] = ";".join(fields) + lines[i][len(body):]
        changed += 1
    data = "".join(lines).encode(encoding)
    path.unlink()
    path.write_bytes(data)
    return changed


def correct_month(landing: Path, period: str) -> dict[str, int]:
    """A corrected month in the middle of the history: every 40th pay line of the month 100
    SEK higher, every 40th absence row with a tenth fewer hours."""
    return {
        "payroll": correct_file(landing / "payroll" / f"payroll_{period}.csv", "Belopp",
                                lambda v: v + 100, 40),
        "absence": correct_file(landing / "absence" / f"absence_{period}.csv", "Frånvarotimmar",
                                lambda v: (v * Decimal("0.9")).quantize(Decimal("0.01")), 40),
    }


def file_states(root: Path) -> dict[Path, tuple[int, int, int]]:
    """(inode, mtime_ns, size) of every file under root."""
    states = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            f = Path(dirpath) / name
            try:
                st = f.stat()
            except OSError:
                continue
            states[f] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return states


def bytes_written(before: dict, after: dict) -> int:
    """Bytes of the files that are new or rewritten between two snapshots."""
    return sum(state[2] for f, state in after.items() if before.get(f) != state)


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


def phase(steps: dict, prefix: str) -> float:
    return round(sum(v for k, v in steps.items() if k.startswith(prefix)), 2)


def refresh_figures(run: dict, written: int) -> dict:
    steps = run["payload"].get("steps", {})
    return {
        "wall_s": run["wall_s"],
        "load_s": phase(steps, "raw"),
        "dbt_s": phase(steps, "hr_kpi_dbt_assets"),
        "publish_s": phase(steps, "published"),
        "publish_parts": run["payload"].get("publish_parts", {}),  # stores_s, dbt_docs_s
        "peak_tree_rss_mb": run["peak_tree_rss_mb"],
        "max_process_rss_mb": run["max_process_rss_mb"],
        "peak_temp_mb": run["peak_temp_mb"],
        "mean_load": run.get("mean_load"),
        "publish_written_mb": round(written / 1e6, 1),
        "dbt_args": run["payload"].get("dbt_args"),
        "dbt_nodes": run["payload"].get("dbt_nodes", {}),
        "steps": steps,
    }


def summary(size: str, runs: dict, extra: dict) -> dict:
    """One size's figures from the refreshes done so far (None where one is missing)."""
    full, corrected, new_month = (runs.get(k) for k in ("full", "corrected", "new_month"))

    def get(run: dict | None, key: str):
        return run.get(key) if run else None

    done = [r for r in (full, corrected, new_month) if r]
    last = done[-1] if done else None
    floor = extra.get("floor_s")
    return {
        "employees": SIZES[size][0],
        "months": SIZES[size][1],
        **extra,
        "refresh_s": get(full, "wall_s"),
        "ratio_to_floor": round(full["wall_s"] / floor, 2) if full and floor else None,
        "corrected_s": get(corrected, "wall_s"),
        "new_month_s": get(new_month, "wall_s"),
        "publish_s": get(full, "publish_s"),
        "corrected_publish_s": get(corrected, "publish_s"),
        "new_month_publish_s": get(new_month, "publish_s"),
        "dashboard_store_mb": get(last, "dashboard_store_mb"),
        "audit_store_mb": get(last, "audit_store_mb"),
        "corrected_written_mb": get(corrected, "publish_written_mb"),
        "new_month_written_mb": get(new_month, "publish_written_mb"),
        "peak_rss_mb": max((r["peak_tree_rss_mb"] for r in done), default=None),
        "peak_temp_mb": max((r["peak_temp_mb"] for r in done), default=None),
        "load_s": get(full, "load_s"),
        "dbt_s": get(full, "dbt_s"),
        "runs": runs,
    }


def bench_size(size: str, floor_reps: int, keep, resume: dict | None = None) -> dict:
    """Generate, refresh three times and measure the floor; `keep` gets the figures so far
    after each refresh, so a run stopped part way still leaves what it measured. With
    `resume` (this size's saved figures, BENCH_RESUME=1) a run whose full refresh was
    measured and kept goes on from the refreshes after it, on the run folder as it was left."""
    from dagster_project.stores import published_size
    from hrkpi_config import default_audit_db

    all_dir = generate(size)
    run_dir = WORK / size / "run"
    landing = run_dir / "landing"
    build_db = run_dir / "build" / "warehouse.duckdb"
    published = run_dir / "published" / "hr_kpi.duckdb"
    tmp = run_dir / "tmp"
    resumed = bool(resume and "full" in resume.get("runs", {}) and build_db.exists())
    if not resumed:
        shutil.rmtree(run_dir, ignore_errors=True)
        tmp.mkdir(parents=True)
    files = stage_landing(all_dir, landing, include_last=False)
    env = {
        **os.environ,
        ENV_LANDING: str(landing),
        ENV_BUILD_DB: str(build_db),
        ENV_PUBLISHED_DB: str(published),
        "HRKPI_DEMO": "1",
        "TMPDIR": str(tmp),
    }
    child = [sys.executable, "-m", "bench.refresh_child"]
    # Temporary disk: the build folder but the database file itself, and the refresh's TMPDIR.
    temp_dirs, skip = [build_db.parent, tmp], {build_db}
    gen_file = all_dir / ".generation_seconds"
    months = periods(all_dir)
    middle = months[len(months) // 2 - 1]
    extra = {"generate_s": float(gen_file.read_text()) if gen_file.exists() else None,
             "corrected_month": middle, "new_month": months[-1]}
    runs: dict[str, dict] = {}

    def refresh(key: str, label: str) -> None:
        print(f"[{size}] {label} ({time.strftime('%H:%M:%S')})", flush=True)
        before = file_states(published.parent)
        run = measured(child, env, temp_dirs, skip)
        figures = refresh_figures(run, bytes_written(before, file_states(published.parent)))
        figures["dashboard_store_mb"] = round(published_size(published) / 1e6, 1)
        figures["audit_store_mb"] = round(published_size(default_audit_db(published)) / 1e6, 1)
        figures["published_folder_mb"] = round(_du(published.parent) / 1e6, 1)
        figures["build_db_mb"] = round(build_db.stat().st_size / 1e6, 1)
        print(f"[{size}] {label}: {json.dumps({k: v for k, v in figures.items() if k not in ('steps', 'dbt_nodes')})}",
              flush=True)
        runs[key] = figures
        keep(summary(size, runs, extra))

    if resumed:
        runs["full"] = resume["runs"]["full"]
        extra["resumed_after_full"] = True
        print(f"[{size}] full refresh: kept from the run before (BENCH_RESUME)", flush=True)
    else:
        refresh("full", f"full refresh of {len(files)} files")
    extra["rows_per_s_by_extract"] = load_rates(build_db)
    extra["corrected_rows"] = correct_month(landing, middle)
    refresh("corrected", f"corrected month {middle} ({extra['corrected_rows']})")
    stage_landing(all_dir, landing, include_last=True)
    refresh("new_month", f"new month {months[-1]}")
    print(f"[{size}] floor", flush=True)
    extra["floor_s"], extra["rows"] = floor_seconds(files, floor_reps)
    extra["floor_s"] = round(extra["floor_s"], 2)
    result = summary(size, runs, extra)
    keep(result)
    return result


def _sizes(results: dict) -> list[tuple[str, dict]]:
    return [(size, r) for size, r in results.items() if not size.startswith("_") and "runs" in r]


def _node_name(unique_id: str) -> str:
    kind, _, rest = unique_id.partition(".")
    name = rest.split(".", 1)[1] if "." in rest else rest
    return name if kind == "model" else f"{name} ({kind})"


def _n(value) -> str:
    """A figure for the tables: thousands separated, '-' where it was not measured."""
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def write_readme_table(results: dict) -> None:
    readme = BENCH_DIR / "README.md"
    lines = [
        "| size | employees x months | rows | full refresh s | floor s | ratio | corrected month s | new month s "
        "| publish s (full / corrected / new) | dashboard store MB | audit store MB | written by publish MB (corrected / new) "
        "| peak RSS MB | peak temp MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, r in _sizes(results):
        lines.append(
            f"| {size} | {r['employees']:,} x {r['months']} | {_n(r.get('rows'))} | {_n(r['refresh_s'])} | "
            f"{_n(r.get('floor_s'))} | {_n(r['ratio_to_floor'])} | {_n(r['corrected_s'])} | {_n(r['new_month_s'])} | "
            f"{_n(r['publish_s'])} / {_n(r['corrected_publish_s'])} / {_n(r['new_month_publish_s'])} | "
            f"{_n(r['dashboard_store_mb'])} | {_n(r['audit_store_mb'])} | "
            f"{_n(r['corrected_written_mb'])} / {_n(r['new_month_written_mb'])} | {_n(r['peak_rss_mb'])} | "
            f"{_n(r['peak_temp_mb'])} |"
        )
    lines += ["", "Each refresh (wall time, its phases, the sampled peaks of its process tree and temporary disk, "
              "the bytes its publish wrote, the machine's mean 1-minute load average while it ran):", "",
              "| size | refresh | wall s | loads s | dbt s | publish s (stores + dbt docs) | peak RSS MB (tree / largest process) "
              "| peak temp MB | written MB | build db MB | load |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for size, r in _sizes(results):
        for key, label in (("full", "full"), ("corrected", f"corrected {r['corrected_month']}"),
                           ("new_month", f"new month {r['new_month']}")):
            f = r["runs"].get(key)
            if not f:
                lines.append(f"| {size} | {label} | not run | | | | | | | | |")
                continue
            parts = f.get("publish_parts") or {}
            split = f" ({parts['stores_s']:.1f} + {parts['dbt_docs_s']:.1f})" if {"stores_s", "dbt_docs_s"} <= set(parts) else ""
            lines.append(f"| {size} | {label} | {f['wall_s']} | {f['load_s']} | {f['dbt_s']} | {f['publish_s']}{split} | "
                         f"{f['peak_tree_rss_mb']:,} / {f['max_process_rss_mb']:,} | {f['peak_temp_mb']:,} | "
                         f"{f['publish_written_mb']:,} | {f['build_db_mb']:,} | {_n(f.get('mean_load'))} |")
    lines += ["", "Slowest dbt nodes (seconds, from each build's run_results.json):", "",
              "| size | refresh | nodes | all nodes s | slowest |", "|---|---|---|---|---|"]
    for size, r in _sizes(results):
        for key in (k for k in ("full", "corrected", "new_month") if k in r["runs"]):
            nodes = r["runs"][key].get("dbt_nodes") or {}
            top = sorted(nodes.items(), key=lambda kv: -kv[1])[:6]
            lines.append(f"| {size} | {key.replace('_', ' ')} | {len(nodes)} | {round(sum(nodes.values()), 1)} | "
                         + ", ".join(f"`{_node_name(n)}` {t}" for n, t in top) + " |")
    lines += ["", "Rows per second by extract (loads of the full refresh):", "",
              "| size | " + " | ".join(EXTRACT_ORDER) + " |", "|---|" + "---|" * len(EXTRACT_ORDER)]
    for size, r in _sizes(results):
        rates = r.get("rows_per_s_by_extract") or {}
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


def save(results_path: Path, key: str, value: dict) -> dict:
    """Merge one size into results.json as it is on disk now (another size may be running
    in a second `make bench`), then rewrite the README tables from it."""
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    results[key] = value
    results_path.write_text(json.dumps(results, indent=2))
    write_readme_table(results)
    return results


def main() -> int:
    sizes = [s.strip() for s in os.environ.get("BENCH_SIZES", "S,M,L").split(",") if s.strip()]
    reps = int(os.environ.get("BENCH_FLOOR_REPS", "3"))
    results_path = BENCH_DIR / "results.json"
    saved = json.loads(results_path.read_text()) if results_path.exists() else {}
    resume = os.environ.get("BENCH_RESUME") == "1"
    for size in sizes:
        result = bench_size(size, reps, lambda figures, size=size: save(results_path, size, figures),
                            resume=saved.get(size) if resume else None)
        print(json.dumps({size: {k: v for k, v in result.items() if k not in ("runs", "rows_per_s_by_extract")}},
                         indent=2), flush=True)
    if "M" in sizes and os.environ.get("BENCH_DASHBOARD", "1") == "1":
        from bench.dashboard import dashboard_timings

        save(results_path, "_dashboard_M", dashboard_timings(WORK / "M" / "run" / "published" / "hr_kpi.duckdb"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
