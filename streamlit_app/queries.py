"""Every query the dashboard runs against the published DuckDB file, and only that file.

Every session shares one read-only connection per published file version, keyed by the
file's (path, mtime, size): a refresh renames a new file into place at any time, and the
next run sees a new key and attaches the new file, while queries still running on the old
one finish on it. Results are cached under the same key, so a new publish invalidates them
without any explicit cache clearing.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from hrkpi_config import settings

FileKey = tuple[str, int, int]

KPI_COLUMNS = (
    "kpi_id", "period", '"window"', "org_unit_code", "breakdown", "breakdown_value", "numerator",
    "denominator", "value", "population_n", "suppressed", "target_value", "target_direction", "status",
)
_KPI_SELECT = ", ".join(f"k.{c}" for c in KPI_COLUMNS)


class PublishedFileError(RuntimeError):
    """The published file exists but lacks something the dashboard needs."""

    def __init__(self, table: str, error: str) -> None:
        super().__init__(f"{table}: {error}")
        self.table = table
        self.error = error


def published_file() -> Path:
    return settings().published_db


def file_key(path: Path | None = None) -> FileKey | None:
    """Identity of the current published file, or None when nothing is published yet."""
    p = path or published_file()
    try:
        s = os.stat(p)
    except FileNotFoundError:
        return None
    return (str(p), s.st_mtime_ns, s.st_size)


_connections: dict[str, tuple[FileKey, duckdb.DuckDBPyConnection]] = {}
_connections_lock = threading.Lock()


def _connection(key: FileKey) -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to this version of the published file.

    Opening the file costs more than most dashboard queries, and a kept connection keeps
    DuckDB's cache of the file's blocks warm. The file is attached to a private in-memory
    database rather than opened by path: DuckDB would hand a second open of the same path
    the instance it already has, which after a publish is the old file.
    """
    path = key[0]
    with _connections_lock:
        held = _connections.get(path)
        if held is not None and held[0] == key:
            return held[1]
        for attempt in (1, 2):
            conn = duckdb.connect(":memory:")
            try:
                # ATTACH takes no parameters: the path is quoted as an SQL string literal.
                conn.execute("attach '{}' as published (read_only)".format(path.replace("'", "''")))
                break
            except duckdb.IOException:
                conn.close()
                # The file was being renamed into place at the very moment we opened it.
                if attempt == 2:
                    raise
        # The old version's connection is dropped, not closed: a query of another session
        # may still be reading it, and it closes when the last cursor is gone.
        _connections[path] = (key, conn)
        return conn


@st.cache_data(show_spinner=False, max_entries=512)
def _fetch(key: FileKey, sql: str, params: tuple = ()) -> pd.DataFrame:
    # A cursor per query: the connection is shared by the sessions' threads. Each cursor
    # is a connection of its own and starts in the in-memory catalog.
    cursor = _connection(key).cursor()
    try:
        cursor.execute("use published")
        df = cursor.execute(sql, list(params)).df()
    except duckdb.CatalogException as e:
        raise PublishedFileError(_table_in(sql), str(e).splitlines()[0]) from e
    finally:
        cursor.close()
    for col in ("period", "valid_from"):
        if col in df.columns:
            df[col] = pd.to_datetime(df[col]).dt.date
    return df


def _table_in(sql: str) -> str:
    words = sql.replace("\n", " ").split()
    for i, w in enumerate(words[:-1]):
        if w.lower() == "from":
            return words[i + 1]
    return "?"


def clear_cache() -> None:
    _fetch.clear()


# --- catalogue and parameters -------------------------------------------------------------

def catalogue(key: FileKey) -> pd.DataFrame:
    """marts.kpi_catalogue (its columns are the mart's enforced contract) in reading order."""
    return _fetch(key, "select * from marts.kpi_catalogue order by sort_order nulls last, kpi_id")


def parameters(key: FileKey) -> dict[str, float]:
    """Year-independent parameters from seeds.parameters."""
    df = _fetch(key, "select parameter, value from seeds.parameters where year is null")
    return {str(p): float(v) for p, v in zip(df["parameter"], df["value"])}


def organisation_targets(key: FileKey, period: dt.date) -> pd.DataFrame:
    """The whole organisation's targets valid in `period`, from seeds.kpi_targets, with the
    window each is set for (NULL = every window)."""
    return _fetch(
        key,
        """select kpi_id, target_value, direction, target_window
            from seeds.kpi_targets
            where org_unit_code is null and valid_from <= ? and (valid_to is null or ? <= valid_to)
            order by kpi_id, target_window nulls first""",
        (period, period),
    )


def profession_group_names(key: FileKey, lang: str) -> dict[str, str]:
    """Group code -> name, in the seed's reading order."""
    df = _fetch(key, "select profession_group, name_sv, name_en from seeds.profession_groups "
                     "order by sort_order, profession_group")
    col = "name_en" if lang == "en" else "name_sv"
    return dict(zip(df["profession_group"], df[col]))


# --- periods and org units ----------------------------------------------------------------

def periods(key: FileKey) -> list[dt.date]:
    df = _fetch(key, "select distinct period from marts.kpi_values order by period")
    return list(df["period"])


def org_units(key: FileKey, period: dt.date) -> pd.DataFrame:
    """The hierarchy valid in `period` (or the nearest earlier month that has one)."""
    return _fetch(
        key,
        """select org_unit_code, name, level, parent_code, path
           from marts.dim_org_unit
           where period = (select coalesce(max(period) filter (where period <= ?), min(period))
                           from marts.dim_org_unit)
           order by level, name""",
        (period,),
    )


# --- KPI values ---------------------------------------------------------------------------

def org_totals(key: FileKey, org_unit_code: str) -> pd.DataFrame:
    """Every KPI, window and month of the unit's total rows: one query serves the overview's
    tiles and the KPI page's trend, so switching KPI does not go back to the file."""
    return _fetch(
        key,
        f"""select {_KPI_SELECT} from marts.kpi_values k
            where k.org_unit_code = ? and k.breakdown = 'total'
            order by k.kpi_id, k."window", k.period""",
        (org_unit_code,),
    )


def kpi_series(key: FileKey, kpi_id: str, org_unit_code: str, window: str) -> pd.DataFrame:
    rows = org_totals(key, org_unit_code)
    return rows[(rows["kpi_id"] == kpi_id) & (rows["window"] == window)].reset_index(drop=True)


def kpi_windows(key: FileKey, kpi_id: str, org_unit_code: str) -> dict[str, bool]:
    """The windows the KPI is published for at the unit, each with whether a target applies."""
    rows = org_totals(key, org_unit_code)
    rows = rows[rows["kpi_id"] == kpi_id]
    return {str(w): bool(t.notna().any()) for w, t in rows.groupby("window")["target_value"]}


def breakdown_rows(key: FileKey, kpi_id: str, org_unit_code: str, window: str, period: dt.date) -> pd.DataFrame:
    """Every breakdown of one figure (gender, age group, ...), in one query."""
    return _fetch(
        key,
        f"""select {_KPI_SELECT} from marts.kpi_values k
            where k.kpi_id = ? and k.org_unit_code = ? and k."window" = ? and k.period = ?
              and k.breakdown <> 'total'
            order by k.breakdown, k.breakdown_value""",
        (kpi_id, org_unit_code, window, period),
    )


def child_ranking(key: FileKey, kpi_id: str, org_unit_code: str, window: str, period: dt.date) -> pd.DataFrame:
    """The unit's direct children in that month's hierarchy with their total figures."""
    return _fetch(
        key,
        f"""with children as (
                select org_unit_code, name
                from marts.dim_org_unit
                where parent_code = ?
                  and period = (select coalesce(max(period) filter (where period <= ?), min(period))
                                from marts.dim_org_unit))
            select c.name, {_KPI_SELECT}
            from children c
            join marts.kpi_values k on k.org_unit_code = c.org_unit_code
            where k.kpi_id = ? and k."window" = ? and k.period = ? and k.breakdown = 'total'
            order by c.name""",
        (org_unit_code, period, kpi_id, window, period),
    )


def survey_waves(key: FileKey) -> pd.DataFrame:
    """Each survey wave loaded (survey_id, the month it was held), oldest first. The dashboard
    store publishes staging.stg_survey (answer counts per unit, no person) for this."""
    return _fetch(key, """select survey_id, min(period_month)::date as period from staging.stg_survey
                          group by survey_id order by period, survey_id""")


# --- annual report ------------------------------------------------------------------------

def sick_leave_statutory(key: FileKey) -> pd.DataFrame:
    return _fetch(
        key,
        """select year, measure, group_value, numerator_hours, denominator_hours, value_pct,
                  population_n, suppressed, months_covered, first_month, last_month
           from marts.sick_leave_statutory order by year, measure, group_value""",
    )


# --- staff supply and national references -------------------------------------------------

def staff_supply(key: FileKey, org_unit_code: str) -> pd.DataFrame:
    """marts.staff_supply_outlook for one unit: a row per profession group ('total' too) and
    year from the latest loaded month; reaching_n and the share are NULL where suppressed."""
    return _fetch(
        key,
        """select period, profession_group, year_offset, year, staff_n, reaching_n, reaching_share_pct, suppressed
           from marts.staff_supply_outlook where org_unit_code = ? order by profession_group, year_offset""",
        (org_unit_code,),
    )


def retirement_ages(key: FileKey, profile: str) -> pd.DataFrame:
    """seeds.retirement_ages of the profile, with each row's basis and source, oldest birth years first."""
    return _fetch(
        key,
        """select birth_year_from, birth_year_to, age_years, age_months, basis, source_title, source_url
           from seeds.retirement_ages where profile = ? order by birth_year_from nulls first""",
        (profile,),
    )


def national_references(key: FileKey, profile: str, org_type: str, kpi_id: str) -> pd.DataFrame:
    """The published national figures for a KPI and organisation type (seeds.national_references),
    newest year first; a standing goal has no year."""
    return _fetch(
        key,
        """select year, value, kind, population, source_title, source_url
           from seeds.national_references where profile = ? and org_type = ? and kpi_id = ?
           order by year desc nulls last""",
        (profile, org_type, kpi_id),
    )


# --- data status --------------------------------------------------------------------------
# The audit tables are created by dagster_project/audit.py before every publish, so every
# published file has them with these columns.

def publish_log(key: FileKey) -> pd.DataFrame:
    return _fetch(key, "select * from audit.publish_log order by published_at desc")


LOAD_LOG_COLUMNS = ("load_id", "extract", "period", "file_name", "checksum", "rows_read", "rows_loaded",
                    "rows_quarantined", "status", "started_at", "finished_at", "message")


def load_log(key: FileKey) -> pd.DataFrame:
    return _fetch(key, f"select {', '.join(LOAD_LOG_COLUMNS)} from audit.load_log order by finished_at desc")


def load_coverage(key: FileKey) -> pd.DataFrame:
    """Per extract: the months loaded, from the newest successful load of each period."""
    # Failed or skipped loads do not put data in the warehouse; the newest load of a period wins.
    return _fetch(
        key,
        """with latest as (
               select *, row_number() over (partition by extract, period order by finished_at desc) as rn
               from audit.load_log where status in ('loaded', 'replaced'))
           select extract, min(period) as first_month, max(period) as last_month,
                  count(distinct period) as months, count(distinct file_name) as files,
                  sum(rows_read) as rows_read, sum(rows_loaded) as rows_loaded,
                  sum(rows_quarantined) as rows_quarantined
           from latest where rn = 1 group by extract order by extract""",
    )


def incomplete_months(key: FileKey) -> pd.DataFrame:
    """Months loaded after the last complete one, with the extracts they still lack: kept in the
    warehouse, not in the published figures (audit.period_completeness, created by the loader
    before every publish)."""
    return _fetch(
        key,
        """select period, array_to_string(missing, ', ') as missing from audit.period_completeness
           where not complete and period > coalesce((select max(period) from audit.period_completeness
                                                     where complete), date '0001-01-01')
           order by period""",
    )


def quarantine_summary(key: FileKey) -> pd.DataFrame:
    """Quarantined rows per extract and reason."""
    return _fetch(
        key,
        """select extract, reason, count(*) as rows_quarantined
           from audit.quarantine group by all order by extract, rows_quarantined desc""",
    )


QUARANTINE_COLUMNS = ("load_id", "extract", "file", "line", "column", "value", "reason")


def quarantine_rows(key: FileKey, limit: int = 500) -> pd.DataFrame:
    quoted = ", ".join(f'"{c}"' for c in QUARANTINE_COLUMNS)
    return _fetch(key, f'select {quoted} from audit.quarantine order by "file", "line" limit ?', (limit,))


def personnel_report_rows(key: FileKey, period: dt.date) -> pd.DataFrame:
    """The whole organisation's rows the henkilöstöraportti shows for `period` (views/
    henkilostoraportti.py): every window and breakdown of that month at the root unit."""
    return _fetch(
        key,
        f"""select {_KPI_SELECT} from marts.kpi_values k
            where k.period = ?
              and k.org_unit_code = (select org_unit_code from marts.dim_org_unit
                                     where period = ? and level = 1 limit 1)""",
        (period, period),
    )
