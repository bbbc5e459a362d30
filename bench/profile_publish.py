"""Where a publish's time goes, on a bench build database (read only, nothing published):
`python -m bench.profile_publish bench/work/M/run/build/warehouse.duckdb`.

Times the two statements of the publish whose cost grows with the whole store, not with
the periods a refresh changed: the fingerprints of every relation (dagster_project/stores.py
`fingerprints`, one hash per row of every table) and the two set differences that version
`audit.kpi_values_history` (publish.py `_version_kpis`), and writes DuckDB's JSON profile of
the fingerprint query beside the database (`profile_fingerprints.json`).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from dagster_project import stores
from dagster_project.publish import KPI_FIGURES, KPI_GRAIN


def main(argv: list[str]) -> int:
    build_db = Path(argv[0])
    conn = duckdb.connect(str(build_db), read_only=True)
    conn.execute("set memory_limit = '3GB'")
    found = stores.relations(conn)
    dashboard = stores.dashboard_relations(found)
    microdata = [r for r in stores.microdata_relations(found, dashboard) if not (r.is_view and r.schema == "staging")]
    cols = stores.all_columns(conn)
    rows = conn.execute("select sum(estimated_size) from duckdb_tables()").fetchone()[0]
    out: dict[str, object] = {"relations": len(dashboard) + len(microdata), "table_rows": rows}

    profile = build_db.with_name("profile_fingerprints.json")
    conn.execute("pragma enable_profiling = 'json'")
    conn.execute(f"pragma profiling_output = '{profile}'")
    started = time.perf_counter()
    stores.fingerprints(conn, dashboard + microdata, cols)
    out["fingerprints_s"] = round(time.perf_counter() - started, 2)
    conn.execute("pragma disable_profiling")

    compared = ", ".join((*KPI_GRAIN, *KPI_FIGURES))
    open_rows = f"select {compared} from audit.kpi_values_history where valid_to_publish_id is null"
    published = f"select {compared} from marts.kpi_values"
    for name, sql in (("history_gone_s", f"{open_rows} except {published}"),
                      ("history_new_s", f"{published} except {open_rows}")):
        started = time.perf_counter()
        conn.execute(f"select count(*) from ({sql})").fetchone()
        out[name] = round(time.perf_counter() - started, 2)
    conn.close()

    # The operators that took longest in the fingerprint query.
    tree = json.loads(profile.read_text())
    timings: list[tuple[float, str]] = []

    def walk(node: dict) -> None:
        timing = node.get("operator_timing")
        if timing is not None:
            name = (node.get("operator_name") or node.get("operator_type", "?")).strip()
            table = (node.get("extra_info") or {}).get("Table")
            timings.append((timing, f"{name} {table}" if table else name))
        for child in node.get("children", []):
            walk(child)

    walk(tree)
    out["slowest_operators"] = [f"{name} {t:.2f}" for t, name in sorted(timings, reverse=True)[:6]]
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
