"""The Dagster code location: raw loads -> dbt build -> publish, a monthly schedule and a
sensor on the landing folder.

One refresh at a time: the job runs in process (one step after the other) and the
instance's run queue admits one run (dagster.yaml written by `config.dagster_home()`).
`defs()` builds the definitions when Dagster (or the refresh command, or a test) loads them;
importing this module reads no dbt manifest.
"""

import functools
import hashlib
import json
from pathlib import Path

import dagster as dg

from dagster_project.audit import REQUIRED_MONTHLY
from dagster_project.change_summary import summary_lines
from dagster_project.config import settings
from dagster_project.dbt_assets import build_dbt_assets, dbt_resource
from dagster_project.failures import UserError, console_logger
from dagster_project.ingest.loader import FILE_NAME_RE
from dagster_project.publish import PublishRefused, publish, write_dbt_docs
from dagster_project.raw_assets import RAW_ASSETS
from dagster_project.run_tags import TRIGGER_TAG, run_started

PUBLISHED_KEY = dg.AssetKey(["published", "hr_kpi"])


def build_published_asset(dbt_assets: dg.AssetsDefinition) -> dg.AssetsDefinition:
    """The publish step, downstream of every dbt asset."""

    @dg.asset(
        key=PUBLISHED_KEY,
        group_name="publish",
        kinds={"duckdb"},
        # The marts are what readers of the stores use. Depending on them, not on every dbt
        # model, also keeps a failed run's "not executed" line to a few names.
        deps=[key for key in dbt_assets.keys if key.path[0] == "marts"],
        description="The dashboard store (marts, seeds, audit tables) and the audit store (with the "
        "pseudonymised microdata): Parquet parts per table and period under catalogs of views, "
        "swapped atomically, and only after a dbt build of the same run without errors.",
    )
    def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        s = settings()
        try:
            result = publish(s.build_db, s.published_db, context.run_id, run_started(context))
        except PublishRefused as e:
            # A refusal is a clear message for the controller, not a program error.
            raise UserError(description=str(e)) from None
        context.log.info(f"Published {result.published_file} (publish {result.publish_id}): "
                         f"{result.parts_written} parts written, {result.parts_reused} unchanged")
        if result.continued_from:
            context.log.warning(f"The build database did not know publish {result.continued_from}: the publish "
                                "log and KPI history were taken back from the published store")
        if result.stale_copies_removed:
            context.log.warning(f"Removed the half-written files of {result.stale_copies_removed} interrupted "
                                "publish(es) left beside the published stores")
        docs = write_dbt_docs(s.build_db, s.published_db)
        # The run ends with what it changed: files, periods rebuilt, organisation-wide figures.
        lines = summary_lines(result.summary)
        context.log.info("What changed:\n" + "\n".join(lines))
        return dg.MaterializeResult(
            metadata={
                "publish_id": result.publish_id,
                "path": dg.MetadataValue.path(str(result.published_file)),
                "kpi_rows": result.kpi_rows,
                "kpi_rows_changed": result.kpi_rows_changed,
                "size_mb": round(result.size_bytes / 1e6, 1),
                "audit_store": dg.MetadataValue.path(str(result.audit_store)),
                "audit_size_mb": round(result.audit_size_bytes / 1e6, 1),
                "parts_written": result.parts_written,
                "parts_reused": result.parts_reused,
                "written_mb": round(result.bytes_written / 1e6, 1),
                "parts_removed": result.parts_removed,
                "stale_copies_removed": result.stale_copies_removed,
                "dbt_docs": dg.MetadataValue.path(str(docs)),
                "what_changed": dg.MetadataValue.md("\n".join(f"- {line.strip()}" for line in lines)),
            }
        )

    return published_warehouse


refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Load new extracts, build and test every model, publish when all tests pass.",
)

monthly_refresh = dg.ScheduleDefinition(
    name="monthly_refresh",
    job=refresh_job,
    # Extracts for a month are delivered in the first working days of the next one.
    cron_schedule="0 6 5 * *",
    execution_timezone="Europe/Stockholm",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    tags={TRIGGER_TAG: "monthly schedule"},
)


def landing_state() -> dict[str, str]:
    """Every CSV file in the landing folder with its size and modification time."""
    landing = settings().landing_dir
    if not landing.exists():
        return {}
    return {str(path.relative_to(landing)): f"{path.stat().st_size}|{path.stat().st_mtime_ns}"
            for path in sorted(landing.glob("*/*.csv"))}


def landing_fingerprint(state: dict[str, str] | None = None) -> str:
    """Changes whenever a CSV file in the landing folder is added, removed or rewritten."""
    digest = hashlib.sha256()
    for name, stamp in (landing_state() if state is None else state).items():
        digest.update(f"{name}|{stamp}\n".encode())
    return digest.hexdigest()


def arrived_files(state: dict[str, str], cursor: str | None) -> list[str] | None:
    """The files added or rewritten since the cursor's state; None when the cursor holds no
    file list (none yet, or a fingerprint alone)."""
    try:
        before = json.loads(cursor)["files"] if cursor else None
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(before, dict):
        return None
    return [Path(name).name for name, stamp in state.items() if before.get(name) != stamp]


def months_waiting() -> dict[int, list[str]]:
    """Months in the landing folder that lack a required extract: {YYYYMM: missing extracts}.
    The sensor waits for them, so the first of a month's files does not start a refresh."""
    landing = settings().landing_dir
    seen: dict[int, set[str]] = {}
    for path in landing.glob("*/*.csv") if landing.exists() else ():
        m = FILE_NAME_RE.fullmatch(path.name)
        if m and m["extract"].lower() == path.parent.name:
            seen.setdefault(int(m["period"]), set()).add(path.parent.name)
    if not seen:
        return {}
    # Only months after the last complete one wait: older gaps are history, loaded as they are.
    complete = [p for p, have in seen.items() if set(REQUIRED_MONTHLY) <= have]
    last = max(complete, default=0)
    return {p: sorted(set(REQUIRED_MONTHLY) - have) for p, have in seen.items()
            if p > last and not set(REQUIRED_MONTHLY) <= have}


@dg.sensor(job=refresh_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def landing_sensor(context: dg.SensorEvaluationContext):
    waiting = months_waiting()
    if waiting:
        return dg.SkipReason("waiting for a complete delivery: " + "; ".join(
            f"{p} lacks {', '.join(missing)}" for p, missing in sorted(waiting.items())))
    state = landing_state()
    fingerprint = landing_fingerprint(state)
    cursor = context.cursor
    previous = cursor
    if cursor and cursor.startswith("{"):
        try:
            previous = json.loads(cursor).get("fingerprint")
        except ValueError:
            previous = None
    if fingerprint == previous:
        return dg.SkipReason("no new or changed files in the landing folder")
    arrived = arrived_files(state, cursor)
    context.update_cursor(json.dumps({"fingerprint": fingerprint, "files": state}))
    # What started the run, in the runs list; the raw steps add what was loaded.
    if arrived is None:
        trigger = "landing sensor"
    elif not arrived:
        trigger = "landing sensor: files removed"
    else:
        trigger = f"landing sensor: {', '.join(arrived) if len(arrived) <= 3 else f'{len(arrived)} new or changed files'}"
    return dg.RunRequest(run_key=fingerprint, tags={TRIGGER_TAG: trigger})


@dg.definitions
@functools.cache
def defs() -> dg.Definitions:
    """Everything of the code location; built once per process (the dbt assets read the manifest)."""
    dbt_assets = build_dbt_assets()
    return dg.Definitions(
        assets=[*RAW_ASSETS, dbt_assets, build_published_asset(dbt_assets)],
        jobs=[refresh_job],
        schedules=[monthly_refresh],
        sensors=[landing_sensor],
        resources={"dbt": dbt_resource()},
        executor=dg.in_process_executor,
        loggers={"console": console_logger},
    )
