"""Run tags that tell refresh runs apart in the Dagster UI's runs list: the months and files a
run loaded, what it rejected, and what started it.

The raw steps tag their run as they go (each re-derives the tags from all of the run's rows in
audit.load_log so far), so a run that stops at a rejected file still says which file it was.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import duckdb

from dagster_project.change_summary import run_loads

PERIODS_TAG, FILES_TAG, REJECTED_TAG, TRIGGER_TAG = "hrkpi/periods", "hrkpi/files", "hrkpi/rejected", "hrkpi/trigger"
# More names than this are counted instead: the runs list shows a tag on one line.
NAMED_FILES = 3


def run_started(context: dg.OpExecutionContext) -> dt.datetime | None:
    """When this run started, on the local clock the load log is written in: the loads that
    started after it are this run's."""
    record = context.instance.get_run_record_by_id(context.run_id)
    start = record.start_time if record else None
    return None if start is None else dt.datetime.fromtimestamp(start)


def _months(periods: list[dt.date]) -> str:
    months = sorted({f"{p:%Y-%m}" for p in periods})
    if len(months) <= 2:
        return ", ".join(months)
    return f"{months[0]}..{months[-1]} ({len(months)} months)"


def _names(files: list[str]) -> str:
    return ", ".join(files) if len(files) <= NAMED_FILES else f"{files[0]}, ... ({len(files)} files)"


def loads_tags(loads: list[tuple]) -> dict[str, str]:
    """Tags for (file, extract, period, status) rows of a run's loads."""
    loaded = [(f, p, s) for f, _e, p, s in loads if s in ("loaded", "replaced")]
    rejected = [f for f, _e, _p, s in loads if s == "rejected"]
    tags = {PERIODS_TAG: _months([p for _f, p, _s in loaded if p is not None]) or "none"}
    if not loaded:
        tags[FILES_TAG] = "no new or changed files"
    elif len(loaded) <= NAMED_FILES:
        tags[FILES_TAG] = ", ".join(f + (" (replaced)" if s == "replaced" else "") for f, _p, s in loaded)
    else:
        replaced = sum(1 for *_, s in loaded if s == "replaced")
        tags[FILES_TAG] = f"{len(loaded) - replaced} loaded, {replaced} replaced"
    if rejected:
        tags[REJECTED_TAG] = _names(rejected)
    return tags


def tag_run_with_loads(context: dg.OpExecutionContext, conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    tags = loads_tags(run_loads(conn, run_started(context)))
    context.instance.add_run_tags(context.run_id, tags)
    return tags
