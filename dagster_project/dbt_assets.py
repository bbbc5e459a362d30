"""dbt models, seeds and tests as Dagster assets and asset checks.

`dbt build` runs once per refresh under the build-database writer lock. Its outcome is
recorded in `audit.dbt_build` so the publish step can refuse to publish a run whose build
had an error, even when the run was started by hand with a narrower selection.
"""

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Mapping

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from dagster_project.audit import ensure_audit_tables
from dagster_project.config import DBT_PROJECT_DIR, settings
from dagster_project.dbt_project import DBT_EXECUTABLE, DBT_PROJECT, ensure_manifest
from dagster_project.warehouse import build_connection, writer_lock

# @dbt_assets reads the manifest when this module is imported.
ensure_manifest()


class LayerTranslator(DagsterDbtTranslator):
    """Groups dbt assets by their folder (staging, intermediate, marts) and seeds apart."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


def build_summary(run_results: Mapping[str, Any]) -> dict[str, Any]:
    """Counts by status and the failing nodes, from dbt's run_results.json."""
    statuses = Counter(r["status"] for r in run_results.get("results", []))
    failures = [
        {"node": r["unique_id"], "status": r["status"], "message": (r.get("message") or "")[:500]}
        for r in run_results.get("results", [])
        if r["status"] in ("error", "fail", "runtime error")
    ]
    return {"statuses": dict(statuses), "failures": failures, "success": not failures}


def record_build(db_path: Path, run_id: str, summary: Mapping[str, Any]) -> None:
    with build_connection(db_path) as conn:
        ensure_audit_tables(conn)
        conn.execute(
            "insert into audit.dbt_build values (?, current_timestamp, ?, ?, ?)",
            [run_id, summary["success"], json.dumps(summary["statuses"]), json.dumps(summary["failures"])],
        )


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=LayerTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def hr_kpi_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    s = settings()
    os.environ.update(s.as_env())  # the dbt subprocess inherits the environment
    with writer_lock(s.build_db):
        invocation = dbt.cli(["build"], context=context, raise_on_error=False)
        yield from invocation.stream()
        summary = build_summary(invocation.get_artifact("run_results.json"))
        record_build(s.build_db, context.run_id, summary)
    if not summary["success"]:
        lines = [f"- {f['node']}: {f['status']} {f['message']}" for f in summary["failures"][:20]]
        raise dg.Failure(
            description="dbt build reported errors; nothing is published. Failing rows are kept in "
            "the test_failures schema of the build database.\n" + "\n".join(lines),
            metadata={"failures": len(summary["failures"])},
        )


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=DBT_PROJECT, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=DBT_EXECUTABLE
    )
