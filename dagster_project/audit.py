"""The audit schema: what was loaded and quarantined, what dbt built, what was published.

Every table and sequence of the schema is created here and nowhere else, so its shape is
written down once; the loader, the dbt build step, the publish and the dashboard's test
fixture all call these functions. Both are idempotent (`if not exists`).
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from hrkpi_config import SEEDS_DIR


def ensure_audit_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """The audit schema with every table whose shape is fixed (all but the KPI history)."""
    conn.execute("create schema if not exists audit")
    conn.execute("create sequence if not exists audit.load_id_seq start 1")
    conn.execute(
        """create table if not exists audit.load_log (
               load_id bigint not null,
               file_name varchar not null,
               file_path varchar not null,
               checksum varchar,             -- sha256 of the file's bytes
               extract varchar not null,
               period date,                  -- first day of the file's month
               rows_read bigint not null,
               rows_loaded bigint not null,
               rows_quarantined bigint not null,
               status varchar not null,      -- loaded / skipped_duplicate / replaced / rejected
               message varchar,
               started_at timestamp not null,
               finished_at timestamp not null)"""
    )
    # What a replaced file's changes reach beyond its own rows, asked before the old rows go
    # (dagster_project/ingest/reach.py); refresh_scope.py widens the refresh by it.
    conn.execute(
        """create table if not exists audit.load_reach (
               load_id bigint not null,      -- a replaced payroll or absence file's load
               reaches_from date,            -- payroll: the earliest Avser period of the lines it replaced
               reaches_to date)              -- absence: the last month of a spell whose dates it changed"""
    )
    conn.execute(
        """create table if not exists audit.quarantine (
               load_id bigint not null,
               extract varchar not null,
               period date,
               file varchar not null,
               line integer,                 -- 1-based line in the file, the header is line 1
               "column" varchar,             -- the column's header as the file delivered it (Swedish or Finnish), null for a whole-line error
               value varchar,                -- personnummer masked
               reason varchar not null)"""
    )
    conn.execute(
        """create table if not exists audit.plausibility_warnings (
               load_id bigint not null,
               extract varchar not null,
               period date,
               file varchar not null,
               line integer,                 -- null: the file as a whole
               "column" varchar,
               value varchar,                -- personnummer masked
               warning varchar not null)     -- the row was loaded; someone should look"""
    )
    conn.execute(
        """create table if not exists audit.dbt_build (
               run_id varchar,
               finished_at timestamp,
               success boolean,              -- no model, seed or test ended in error or fail
               statuses json,                -- count of dbt results by status
               failures json,                -- node, status, message of each failing node
               refresh_scope json)           -- {"first", "last"} months rebuilt; null: every period"""
    )
    conn.execute(
        """create table if not exists audit.publish_log (
               publish_id integer primary key,
               run_id varchar not null,
               published_at timestamp not null,
               status varchar not null,          -- pending until the file is renamed into place
               published_file varchar not null,
               source_files json not null,       -- extract, period, file, checksum of every row loaded
               test_summary json not null,
               kpi_rows bigint,
               kpi_rows_changed bigint,
               summary json)                     -- what changed (dagster_project/change_summary.py)"""
    )
    # Build databases made before these columns existed get them (null in their old rows).
    conn.execute("alter table audit.dbt_build add column if not exists refresh_scope json")
    conn.execute("alter table audit.publish_log add column if not exists summary json")
    # What the build database had taken in when a publish was made (the newest load_id and
    # dbt invocation), so the next publish knows what changed since (publish.py).
    conn.execute("alter table audit.publish_log add column if not exists watermark json")


def required_monthly(seeds_dir: Path = SEEDS_DIR) -> tuple[str, ...]:
    """The extracts every month needs before it is published, from seeds/extract_requirements.csv
    (dbt's int_months reads the same seed)."""
    with open(seeds_dir / "extract_requirements.csv", encoding="utf-8", newline="") as fh:
        return tuple(r["extract"] for r in csv.DictReader(fh) if r["needed_every_month"].strip().lower() == "true")


REQUIRED_MONTHLY = required_monthly()


def ensure_completeness_view(conn: duckdb.DuckDBPyConnection) -> None:
    """audit.period_completeness: per loaded month, the required extracts delivered for it (a
    header-only file counts: raw.deliveries), the ones it lacks, and whether it is complete (the
    data status page shows the incomplete ones)."""
    wanted = ", ".join(f"'{e}'" for e in REQUIRED_MONTHLY)
    conn.execute(
        f"""create or replace view audit.period_completeness as
            with has as (select distinct period, extract from raw.deliveries
                         where extract in ({wanted})),
                 months as (select distinct period from has),
                 grid as (select m.period, e.extract from months m cross join (select unnest([{wanted}]) as extract) e)
            select make_date(g.period // 100, g.period % 100, 1) as period,
                   list(g.extract order by g.extract) filter (where h.extract is not null) as delivered,
                   coalesce(list(g.extract order by g.extract) filter (where h.extract is null), []) as missing,
                   count(h.extract) = {len(REQUIRED_MONTHLY)} as complete
            from grid g left join has h using (period, extract)
            group by g.period"""
    )


def ensure_kpi_history(conn: duckdb.DuckDBPyConnection) -> None:
    """audit.kpi_values_history: marts.kpi_values' columns and the publishes a row is valid
    from and to. Shaped like the mart, so it is created once the marts are built."""
    ensure_audit_tables(conn)
    conn.execute(
        """create table if not exists audit.kpi_values_history as
           select *, 0::integer as valid_from_publish_id, null::integer as valid_to_publish_id
           from marts.kpi_values where false"""
    )
