"""One refresh in its own process, so the parent can read its peak memory and time.

Prints one JSON line: success, wall seconds, seconds per step (loads, dbt, publish), the
dbt arguments the build ran with and the per-node timings of its run_results.json.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def dbt_nodes(run_id: str, since: float) -> tuple[str | None, dict[str, float]]:
    """The dbt build's command and seconds per node, from the run_results.json this refresh
    wrote (dagster-dbt writes each build to dbt/target/<op>-<run id[:7]>-<invocation>/;
    the run id tells this refresh's build from one of a second bench running beside it)."""
    from dagster_project.config import DBT_PROJECT_DIR

    found = [p for p in (Path(DBT_PROJECT_DIR) / "target").glob(f"*-{run_id[:7]}-*/run_results.json")
             if p.stat().st_mtime >= since]
    if not found:
        return None, {}
    results = json.loads(max(found, key=lambda p: p.stat().st_mtime).read_text())
    nodes = {r["unique_id"]: round(r["execution_time"], 2) for r in results.get("results", [])}
    return results.get("args", {}).get("invocation_command"), nodes


def main() -> int:
    wall_started = time.time()
    started = time.perf_counter()
    from dagster_project.dbt_project import ensure_manifest

    ensure_manifest()
    import dagster as dg

    from dagster_project import definitions
    from dagster_project.definitions import defs

    # The publish step writes the stores, then the dbt docs site: time the two apart (the
    # asset looks both names up in its module when it runs).
    publish_parts: dict[str, float] = {}

    def timed(name, fn):
        def run(*args, **kwargs):
            t = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
            finally:
                publish_parts[name] = round(time.perf_counter() - t, 3)
            for field in ("kpi_rows", "kpi_rows_changed", "parts_written"):  # the publish's own counts
                if hasattr(result, field):
                    publish_parts[field] = getattr(result, field)
            return result
        return run

    definitions.publish = timed("stores_s", definitions.publish)
    definitions.write_dbt_docs = timed("dbt_docs_s", definitions.write_dbt_docs)

    starts: dict[str, float] = {}
    steps: dict[str, float] = {}
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs().resolve_job_def("refresh").execute_in_process(instance=instance, raise_on_error=False)
        for entry in instance.all_logs(result.run_id):
            event = entry.dagster_event
            if event is None:
                continue
            if event.event_type_value == "STEP_START":
                starts[event.step_key] = entry.timestamp
            elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in starts:
                steps[event.step_key] = round(entry.timestamp - starts[event.step_key], 3)
    args, nodes = dbt_nodes(result.run_id, wall_started)
    print(json.dumps({"success": result.success, "wall_s": round(time.perf_counter() - started, 3), "steps": steps,
                      "dbt_args": args, "dbt_nodes": nodes,
                      "publish_parts": publish_parts}))
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
