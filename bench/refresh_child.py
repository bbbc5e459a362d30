"""One refresh in its own process, so the parent can read its peak memory and time.

Prints one JSON line: success, wall seconds, seconds per step (loads, dbt, publish).
"""

from __future__ import annotations

import json
import sys
import time


def main() -> int:
    started = time.perf_counter()
    from dagster_project.dbt_project import ensure_manifest

    ensure_manifest()
    import dagster as dg

    from dagster_project.definitions import defs

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
    print(json.dumps({"success": result.success, "wall_s": round(time.perf_counter() - started, 3), "steps": steps}))
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
