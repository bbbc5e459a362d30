"""Which periods a refresh rebuilds: the months its loads changed and those depending on them.

The KPI models from the roll-up to `marts.kpi_values` are dbt incremental models keyed by
period (docs/incremental.md). This module reads `audit.load_log` for the files loaded or
replaced since the last successful dbt build and widens their months to every period whose
figures can change:

- the retroactive months the loaded rows point to: a payroll line's `Avser period`. An
  absence spell is not one of them: a spell turning long (day 60) moves the hours of its
  earlier months into the windows that end at or after the month it turns long, and those
  adjustments are keyed by the window's end (int_kpi_facts_long_spell_adjustments), so a
  corrected month can only change periods from itself on;
- the 12 months after the last changed month: the rolling 12 months and the year to date
  containing it, and pay development 12 months on;
- for a replaced payroll file, the earliest `Avser period` of the lines it replaced, and for
  a replaced absence file the last month of every spell whose dates or cause it changed
  (audit.load_reach, asked by the loader before the old rows went:
  dagster_project/ingest/reach.py). A corrected month whose spells keep their dates (hours
  corrected) thus rebuilds its own 12 months, not the rest of every spell running through
  it. For a month loaded for the first time, and for a replacement loaded before
  audit.load_reach existed, every spell running into the month (or continuing from the
  month before) reaches its last month;
- an org_units change: its month's hierarchy, so the same window; a survey or an org
  snapshot of a survey month is carried until the next survey: every later period.

Returns None (rebuild every period) when there was no successful build before or when
nothing was loaded. A change to the seeds (targets, catalogue, parameters) is not in the load
log: run the job with `full_refresh` (or `dbt build --full-refresh`) after editing them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

# Every period a month can reach forward: the rolling window's 11 months, the rest of the
# year (at most 11) and pay development's month 12 months later.
MONTHS_AHEAD = 12

ENV_REFRESH_FROM = "HRKPI_REFRESH_FROM"
ENV_REFRESH_TO = "HRKPI_REFRESH_TO"


@dataclass(frozen=True)
class RefreshScope:
    first: dt.date
    last: dt.date

    def dbt_vars(self) -> dict[str, str]:
        """For `dbt build --vars` by hand."""
        return {"refresh_from": self.first.isoformat(), "refresh_to": self.last.isoformat()}

    def dbt_env(self) -> dict[str, str]:
        """For the refresh's dbt subprocess: the same months as environment variables, which
        dbt reads only when it executes (macros/refresh_periods.sql requested_refresh), so
        a new month's scope does not make dbt parse the whole project again."""
        return {ENV_REFRESH_FROM: self.first.isoformat(), ENV_REFRESH_TO: self.last.isoformat()}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


def _table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(conn.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table]).fetchone()[0])


def changed_loads(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, dt.date, int, str]] | None:
    """(extract, month, load_id, status) of the files loaded since the last successful build;
    None if there was no such build."""
    if not (_table_exists(conn, "audit", "dbt_build") and _table_exists(conn, "audit", "load_log")):
        return None
    last_build = conn.execute("select max(finished_at) from audit.dbt_build where success").fetchone()[0]
    if last_build is None or not _table_exists(conn, "marts", "kpi_values"):
        return None
    rows = conn.execute(
        """select extract, period, load_id, status from audit.load_log
           where status in ('loaded', 'replaced') and period is not null and finished_at > ?
           order by load_id""",
        [last_build]).fetchall()
    return [(extract, period, load_id, status) for extract, period, load_id, status in rows]


def _reach(conn: duckdb.DuckDBPyConnection, load_id: int) -> tuple[dt.date | None, dt.date | None] | None:
    """What a replacement's changed rows reached (audit.load_reach); None if it was not asked."""
    if not _table_exists(conn, "audit", "load_reach"):
        return None
    return conn.execute("select reaches_from, reaches_to from audit.load_reach where load_id = ?",
                        [load_id]).fetchone()


def refresh_scope(conn: duckdb.DuckDBPyConnection) -> RefreshScope | None:
    loads = changed_loads(conn)
    if not loads:
        return None
    months = [_month(period) for _, period, _, _ in loads]
    first, last = min(months), max(months)
    survey_months = set()
    if _table_exists(conn, "raw", "survey"):
        survey_months = {_month(d) for (d,) in conn.execute(
            "select distinct cast(strptime(cast(period as varchar), '%Y%m') as date) from raw.survey").fetchall()}
    open_ended = False
    for extract, period, load_id, status in loads:
        yyyymm = period.year * 100 + period.month
        reach = _reach(conn, load_id) if status == "replaced" else None
        if extract == "survey" or (extract == "org_units" and _month(period) in survey_months):
            open_ended = True
        if extract == "payroll":
            (earliest,) = conn.execute(
                "select min(avser_period) from raw.payroll where period = ?", [yyyymm]).fetchone()
            if earliest is not None:
                first = min(first, dt.date(earliest // 100, earliest % 100, 1))
            if reach is not None and reach[0] is not None:
                first = min(first, _month(reach[0]))
        if extract == "absence":
            if reach is not None:
                end = reach[1]
            else:
                previous = _add_months(period, -1)
                (end,) = conn.execute(
                    """select max(a.till_datum) from raw.absence a
                       where exists (select 1 from raw.absence m
                                     where m.period in (?, ?) and m.person_key = a.person_key
                                       and m.arende_id = a.arende_id)""",
                    [yyyymm, previous.year * 100 + previous.month]).fetchone()
            if end is not None:
                last = max(last, _month(end))
    if open_ended:
        (latest,) = conn.execute("select max(period) from audit.load_log where period is not null").fetchone()
        last = max(last, _month(latest))
    return RefreshScope(first=first, last=_add_months(last, MONTHS_AHEAD))
