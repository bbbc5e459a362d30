"""What can have changed in the build database since the last publish, so the publish reads
only that.

Without this, a publish hashed every row of every relation to find the changed periods (48 s
of M's 150 s publish, bench/README.md) and compared every KPI row with the history. Two
records say what changed instead:

- `audit.dbt_invocations` (dbt's on-run-end hook, dbt/macros/record_invocation.sql): each
  `dbt build`/`run` and whether it rebuilt every period or only refresh_from..refresh_to;
- `audit.load_log`: each file loaded, with its extract and month.

A publish stores the newest of both it had seen (`audit.publish_log.watermark`). The next
one takes every invocation and load after that mark: the months the builds rebuilt are the
only months the period-incremental models (incremental, unique_key period, in dbt's
manifest) and `audit.kpi_values_history` can have changed in; the loaded months are the only
months a raw table can have changed in, and the KPI history changes only where the published
figures did. Every other relation (tables dbt rebuilds whole, the seeds, the audit tables)
is compared in full, as before. When anything is unknown (no earlier
publish, a build of every period, a record taken back from the published store) the publish
compares everything.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project.contracts import EXTRACT_ORDER


@dataclass(frozen=True)
class PublishScope:
    """What can have changed since the last publish; no last publish (`everything`): anything."""

    last_publish_id: int | None = None
    months: tuple[dt.date, dt.date] | None = None  # (first, last) month rebuilt by dbt; None: no build
    nothing_rebuilt: bool = False  # no dbt build since the last publish
    raw_periods: dict[str, set[int]] = field(default_factory=dict)  # raw.<extract> -> YYYYMM loaded
    incremental: frozenset[str] = frozenset()  # schema.table of the period-incremental models

    @property
    def everything(self) -> bool:
        return self.last_publish_id is None

    def period_filter(self, key: str, partition_type: str | None) -> str | None:
        """A SQL filter on `period` for the rows of `key` that can have changed; None: all rows."""
        if self.everything or partition_type is None:
            return None
        if key in self.incremental and partition_type.upper() == "DATE":
            if self.nothing_rebuilt:
                return '"period" is null'
            if self.months is not None:
                first, last = self.months
                return f"(\"period\" between date '{first.isoformat()}' and date '{last.isoformat()}' or \"period\" is null)"
        if key in self.raw_periods and partition_type.upper() in ("INTEGER", "BIGINT"):
            loaded = ", ".join(str(p) for p in sorted(self.raw_periods[key])) or "null"
            return f"(\"period\" in ({loaded}) or \"period\" is null)"
        return None

    def unchanged(self, key: str, label: str) -> bool:
        """Whether the part of period `label` (as stores.py names it) of `key` cannot have
        changed: then the last publish's part stands. Only for relations period_filter limits."""
        if label == "null":
            return False
        if key in self.incremental:
            if self.nothing_rebuilt:
                return True
            first, last = self.months
            return not (first.isoformat() <= label <= last.isoformat())
        return int(label) not in self.raw_periods[key]

    def kpi_filter(self) -> str:
        """The rows of marts.kpi_values (and its history) that can have changed."""
        return self.period_filter("marts.kpi_values", "DATE") or "true"


def _exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(conn.execute("select count(*) from information_schema.tables where table_schema = ? "
                             "and table_name = ?", [schema, table]).fetchone()[0])


def watermark(conn: duckdb.DuckDBPyConnection) -> dict:
    """The newest load and dbt invocation the build database holds, for publish_log.watermark."""
    load_id = conn.execute("select max(load_id) from audit.load_log").fetchone()[0]
    invoked = None
    if _exists(conn, "audit", "dbt_invocations"):
        (invoked,) = conn.execute("select max(finished_at) from audit.dbt_invocations").fetchone()
    return {"load_id": load_id, "invocation": None if invoked is None else invoked.isoformat()}


def period_incremental_models(manifest_path: Path) -> frozenset[str]:
    """schema.table of every dbt model that is incremental by period (delete+insert)."""
    if not manifest_path.exists():
        return frozenset()
    nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"].values()
    return frozenset(
        f"{n['schema']}.{n['alias']}" for n in nodes
        if n.get("resource_type") == "model" and n["config"].get("materialized") == "incremental"
        and n["config"].get("unique_key") == "period")


def since_last_publish(conn: duckdb.DuckDBPyConnection, last_published: int | None, continued: bool,
                       manifest_path: Path) -> PublishScope:
    """What can have changed since publish `last_published` (the one readers see now)."""
    if not last_published or continued:
        return PublishScope()
    row = conn.execute("select watermark from audit.publish_log where publish_id = ? and status = 'published'",
                       [last_published]).fetchone()
    if row is None or row[0] is None or not _exists(conn, "audit", "dbt_invocations"):
        return PublishScope()
    mark = json.loads(row[0])
    if mark.get("invocation") is None or mark.get("load_id") is None:
        return PublishScope()
    builds = conn.execute(
        "select every_period, refresh_from, refresh_to from audit.dbt_invocations where finished_at > ?",
        [dt.datetime.fromisoformat(mark["invocation"])]).fetchall()
    if any(every for every, _, _ in builds):
        return PublishScope()
    months = (min(f for _, f, _ in builds), max(t for _, _, t in builds)) if builds else None
    raw: dict[str, set[int]] = {f"raw.{name}": set() for name in EXTRACT_ORDER}
    for extract, period in conn.execute(
            """select distinct extract, period from audit.load_log
               where load_id > ? and status in ('loaded', 'replaced')""",
            [mark["load_id"]]).fetchall():
        key = f"raw.{extract}"
        if key not in raw or period is None:  # a load this module cannot place: compare everything
            return PublishScope()
        raw[key].add(period.year * 100 + period.month)
    incremental = period_incremental_models(manifest_path)
    if "marts.kpi_values" in incremental:
        # The history changes only where the published figures did (publish._version_kpis).
        incremental |= {"audit.kpi_values_history"}
    return PublishScope(last_publish_id=last_published, months=months, nothing_rebuilt=not builds,
                        raw_periods=raw, incremental=incremental)
