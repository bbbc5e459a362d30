"""dbt models, seeds and tests as Dagster assets and asset checks.

`dbt build` runs once per refresh under the build-database writer lock. Its outcome is
recorded in `audit.dbt_build` so the publish step can refuse to publish a run whose build
had an error, even when the run was started by hand with a narrower selection.

The assets are built from dbt's manifest by `build_dbt_assets()`, which the definitions call
when Dagster loads them: importing this module runs no dbt.
"""

import json
import os
import shutil
from collections import Counter
from contextlib import AbstractContextManager
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
from dagster_project.config import DBT_PROJECT_DIR, environ, settings
from dagster_project.dbt_project import DBT_EXECUTABLE, DBT_PROJECT, ensure_manifest
from dagster_project.failures import UserError
from dagster_project.refresh_scope import ENV_REFRESH_FROM, ENV_REFRESH_TO, RefreshScope, refresh_scope
from dagster_project.warehouse import build_connection, writer_lock


class LayerTranslator(DagsterDbtTranslator):
    """Groups dbt assets by their folder (staging, intermediate, marts) and seeds apart."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"

    def get_asset_check_spec(self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project: Any) -> dg.AssetCheckSpec | None:
        """The dbt test's own `description:` on its asset check. dagster-dbt (0.29) reads only
        `config.meta.description`, so the UI said "No description provided" for every test."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        description = (manifest["nodes"].get(unique_id) or {}).get("description")
        return spec._replace(description=description) if description else spec


def build_summary(run_results: Mapping[str, Any]) -> dict[str, Any]:
    """Counts by status and the failing nodes, from dbt's run_results.json."""
    statuses = Counter(r["status"] for r in run_results.get("results", []))
    failures = [
        {"node": r["unique_id"], "status": r["status"], "message": (r.get("message") or "")[:500]}
        for r in run_results.get("results", [])
        if r["status"] in ("error", "fail", "runtime error")
    ]
    return {"statuses": dict(statuses), "failures": failures, "success": not failures}


# dagster-dbt gives every invocation a target folder of its own (dbt/target/<op>-<run>-<id>,
# 8-9 MB of manifest, run results and logs). The newest few are kept for looking into a
# failed build; older ones are deleted, or they pile up by the hundred.
KEEP_RUN_TARGETS = 5


def prune_run_targets(current: Path, keep: int = KEEP_RUN_TARGETS) -> list[Path]:
    """Keep `current` and the `keep - 1` newest other target folders of the same asset
    (`<op>-*` beside it), delete the rest; returns the deleted folders."""
    op_name = current.name.rsplit("-", 2)[0]
    siblings = [p for p in current.parent.glob(f"{op_name}-*") if p.is_dir() and p != current]
    siblings.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    stale = siblings[max(keep - 1, 0):]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def build_failure_line(failures: list[Mapping[str, Any]]) -> str:
    """The reason a build failed, in one line: how many nodes failed and the first of them."""
    first = failures[0]["node"].split(".")[-1] if failures else "?"
    more = f" and {len(failures) - 1} more" if len(failures) > 1 else ""
    return (f"dbt build: {len(failures)} failed ({first}{more}); nothing is published. Failing rows are in the "
            "test_failures schema of the build database; each failure is in this step's details.")


def record_build(db_path: Path, run_id: str, summary: Mapping[str, Any]) -> None:
    """The build's outcome, and the months it rebuilt (`refresh_scope`, None: every period)
    for the publish's summary of what changed."""
    scope = summary.get("refresh_scope")
    with build_connection(db_path) as conn:
        ensure_audit_tables(conn)
        conn.execute(
            "insert into audit.dbt_build (run_id, finished_at, success, statuses, failures, refresh_scope) "
            "values (?, current_timestamp, ?, ?, ?, ?)",
            [run_id, summary["success"], json.dumps(summary["statuses"]), json.dumps(summary["failures"]),
             None if scope is None else json.dumps(scope)],
        )


class DbtBuildConfig(dg.Config):
    """full_refresh rebuilds every period (after editing seeds); otherwise only the periods
    the run's loads changed are rebuilt (dagster_project/refresh_scope.py)."""

    full_refresh: bool = False


# Unit tests check the models' logic on fixed inputs, so every refresh would repeat the
# same answer (28 of them, 5 s at M): `make test` runs them (tests/test_dbt_unit_tests.py),
# as dbt's documentation recommends ("only in development or CI environments").
BUILD = ("build", "--exclude-resource-type", "unit_test")


def build_args(db_path: Path, full_refresh: bool) -> tuple[list[str], RefreshScope | None]:
    """dbt's arguments and the months they rebuild (None: every period); the months reach
    dbt through the environment (refresh_env)."""
    if full_refresh:
        return [*BUILD, "--full-refresh"], None
    with build_connection(db_path) as conn:
        return list(BUILD), refresh_scope(conn)


def refresh_env(scope: RefreshScope | None) -> AbstractContextManager[None]:
    """The refresh months in the environment the dbt subprocess inherits, and only while it
    runs: a later run in the same process (a full refresh) must not see them."""
    return environ(scope.dbt_env() if scope else {ENV_REFRESH_FROM: None, ENV_REFRESH_TO: None})


def keep_parse_state(invocation_target: Path) -> None:
    """Copy this invocation's partial-parse file to the project's target folder, where
    dagster-dbt seeds the next invocation's folder from. Left at the one `make manifest`
    wrote, every refresh whose profile differs from that one (another build database path)
    parsed the whole project again (8 s at every size). Replaced atomically: a reader sees
    the old file or the new one."""
    source = invocation_target / "partial_parse.msgpack"
    if not source.exists():
        return
    target = DBT_PROJECT_DIR / "target" / source.name
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def build_dbt_assets() -> dg.AssetsDefinition:
    """The dbt project as one multi-asset (op `hr_kpi_dbt_assets`) with its tests as asset
    checks, read from the manifest (`make manifest` writes it; made here if missing)."""

    @dbt_assets(
        manifest=ensure_manifest(),
        project=DBT_PROJECT,
        dagster_dbt_translator=LayerTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    )
    def hr_kpi_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
        s = settings()
        os.environ.update(s.as_env())  # the dbt subprocess inherits the environment
        with writer_lock(s.build_db):
            args, scope = build_args(s.build_db, config.full_refresh)
            months = "every period" if scope is None else f"{scope.first:%Y-%m}..{scope.last:%Y-%m}"
            context.log.info(f"dbt {' '.join(args)} ({months})")
            with refresh_env(scope):
                invocation = dbt.cli(args, context=context, raise_on_error=False)
                try:
                    yield from invocation.stream()
                finally:
                    prune_run_targets(invocation.target_path)
            keep_parse_state(invocation.target_path)
            summary = build_summary(invocation.get_artifact("run_results.json"))
            summary["refresh_scope"] = None if scope is None else {"first": scope.first.isoformat(),
                                                                   "last": scope.last.isoformat()}
            record_build(s.build_db, context.run_id, summary)
        if not summary["success"]:
            raise UserError(description=build_failure_line(summary["failures"]),
                            details=[f"{f['node']}: {f['status']} {f['message']}" for f in summary["failures"][:20]],
                            metadata={"failures": len(summary["failures"])})

    return hr_kpi_dbt_assets


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=DBT_PROJECT, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=DBT_EXECUTABLE
    )
