"""What a refresh changed, in the words a controller reads after it: the files it loaded,
replaced, skipped and rejected, the periods it rebuilt, and the organisation-wide figures
whose published value changed (old -> new).

Written into `audit.publish_log.summary` by the publish (inside its transaction, after the KPI
history is versioned), so every published file carries what its own publish changed; the
refresh command prints it and the Dagster step logs it. The figures come from
`audit.kpi_values_history`: a row the publish closed and a row it opened at the same grain
are a revised figure.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb

# audit.load_log's statuses, grouped as the summary counts them.
FILE_STATUSES = {"loaded": "loaded", "replaced": "replaced", "skipped_duplicate": "skipped", "rejected": "rejected"}
# The grain of a published figure (dagster_project/publish.py KPI_GRAIN), quoted for SQL.
_GRAIN = ("kpi_id", "period", '"window"', "org_unit_code", "breakdown", "breakdown_value")
# At most this many changed figures are printed on the console; the publish log keeps all.
PRINTED_FIGURES = 25


def run_loads(conn: duckdb.DuckDBPyConnection, run_started: dt.datetime | None) -> list[tuple]:
    """(file, extract, period, status) of the loads of this run: those that started after it did.
    The load log's times are the loader's local clock, as `run_started` is."""
    if run_started is None:
        return []
    return conn.execute(
        """select file_name, extract, period, status from audit.load_log
           where started_at >= ? order by extract, period, file_name""", [run_started]).fetchall()


def _rebuilt(conn: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """The months this run's dbt build rebuilt, bounded by the months published."""
    first, last = conn.execute("select min(period), max(period) from marts.kpi_values").fetchone()
    row = conn.execute(
        "select refresh_scope from audit.dbt_build where run_id = ? order by finished_at desc limit 1",
        [run_id]).fetchone()
    scope = json.loads(row[0]) if row and row[0] else None
    if scope is None or first is None:
        return {"every_period": True, "first": first, "last": last}
    # The scope reaches 12 months past the change; only published months were rebuilt.
    start = max(dt.date.fromisoformat(scope["first"]), first)
    end = min(dt.date.fromisoformat(scope["last"]), last)
    return {"every_period": False, "first": start, "last": end}


def _changed_figures(conn: duckdb.DuckDBPyConnection, publish_id: int) -> tuple[list[dict], int, int]:
    """The whole organisation's total figures this publish revised (old -> new), and how many
    rows anywhere it added and revised."""
    on = " and ".join(f"o.{c} = n.{c}" for c in _GRAIN)
    conn.execute(
        f"""create or replace temp table publish_changes as
            select n.kpi_id, n.period, n."window", n.org_unit_code, n.breakdown, n.breakdown_value,
                   o.value as old_value, o.suppressed as old_suppressed,
                   n.value as new_value, n.suppressed as new_suppressed, o.kpi_id is not null as revised
            from (select * from audit.kpi_values_history where valid_from_publish_id = ?) n
            left join (select * from audit.kpi_values_history
                       where valid_to_publish_id = ? and valid_from_publish_id < ?) o on {on}""",
        [publish_id, publish_id, publish_id])
    new_rows, revised_rows = conn.execute(
        "select count(*) filter (where not revised), count(*) filter (where revised) from publish_changes").fetchone()
    rows = conn.execute(
        """select kpi_id, period, "window", old_value, old_suppressed, new_value, new_suppressed
           from publish_changes
           where revised and breakdown = 'total'
             and org_unit_code in (select org_unit_code from marts.dim_org_unit where level = 1)
             and (old_value is distinct from new_value or old_suppressed is distinct from new_suppressed)
           order by kpi_id, "window", period""").fetchall()
    conn.execute("drop table publish_changes")
    figures = [{"kpi_id": k, "period": p, "window": w, "old": None if os_ else ov, "new": None if ns else nv,
                "old_suppressed": bool(os_), "new_suppressed": bool(ns)}
               for k, p, w, ov, os_, nv, ns in rows]
    return figures, new_rows, revised_rows


def change_summary(conn: duckdb.DuckDBPyConnection, publish_id: int, run_id: str,
                   run_started: dt.datetime | None) -> dict[str, Any]:
    loads = run_loads(conn, run_started)
    counts = {name: 0 for name in ("loaded", "replaced", "skipped", "rejected")}
    files: dict[str, list[str]] = {name: [] for name in counts}
    for file_name, _extract, _period, status in loads:
        name = FILE_STATUSES.get(status)
        if name:
            counts[name] += 1
            files[name].append(file_name)
    figures, new_rows, revised_rows = _changed_figures(conn, publish_id)
    return {
        "files": counts,
        # Names of what a controller looks for; the skipped files are only counted.
        "loaded_files": files["loaded"], "replaced_files": files["replaced"], "rejected_files": files["rejected"],
        "periods_rebuilt": _rebuilt(conn, run_id),
        "kpi_rows_new": new_rows, "kpi_rows_revised": revised_rows,
        "organisation_figures_changed": figures,
    }


def record_change_summary(conn: duckdb.DuckDBPyConnection, publish_id: int, run_id: str,
                          run_started: dt.datetime | None) -> dict[str, Any]:
    """Compute the summary and keep it in the publish's row of audit.publish_log."""
    summary = change_summary(conn, publish_id, run_id, run_started)
    conn.execute("update audit.publish_log set summary = ? where publish_id = ?",
                 [json.dumps(summary, default=str), publish_id])
    return summary


def _number(value: object) -> str:
    if value is None:
        return "hidden"
    return f"{float(value):g}"


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The summary as console lines (the refresh command, the Dagster step's log)."""
    c = summary["files"]
    lines = [f"Files: {c['loaded']} loaded, {c['replaced']} replaced, {c['skipped']} skipped (unchanged), "
             f"{c['rejected']} rejected"]
    for label, key in (("replaced", "replaced_files"), ("rejected", "rejected_files")):
        if summary.get(key):
            lines.append(f"  {label}: {', '.join(summary[key])}")
    if c["loaded"] and len(summary.get("loaded_files", [])) <= 10:
        lines.append(f"  loaded: {', '.join(summary['loaded_files'])}")
    p = summary["periods_rebuilt"]
    span = f"{str(p['first'])[:7]} to {str(p['last'])[:7]}" if p.get("first") else "none"
    lines.append(f"Periods rebuilt: {'every period, ' if p.get('every_period') else ''}{span}")
    figures = summary["organisation_figures_changed"]
    lines.append(f"Organisation-wide figures changed: {len(figures)} "
                 f"({summary['kpi_rows_revised']} published rows revised, {summary['kpi_rows_new']} new)")
    for f in figures[:PRINTED_FIGURES]:
        lines.append(f"  {f['kpi_id']} {str(f['period'])[:7]} {f['window']}: {_number(f['old'])} -> {_number(f['new'])}")
    if len(figures) > PRINTED_FIGURES:
        lines.append(f"  ... and {len(figures) - PRINTED_FIGURES} more (audit.publish_log.summary)")
    return lines
