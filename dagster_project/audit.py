"""The audit schema: what was loaded and quarantined, what dbt built, what was published.

Every table and sequence of the schema is created here and nowhere else, so its shape is
written down once; the loader, the dbt build step, the publish and the dashboard's test
fixture all call these functions. Both are idempotent (`if not exists`).
"""

from __future__ import annotations

import duckdb


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
    conn.execute(
        """create table if not exists audit.quarantine (
               load_id bigint not null,
               extract varchar not null,
               period date,
               file varchar not null,
               line integer,                 -- 1-based line in the file, the header is line 1
               "column" varchar,             -- the contract's header, null for a whole-line error
               value varchar,                -- personnummer masked
               reason varchar not null)"""
    )
    conn.execute(
        """create table if not exists audit.dbt_build (
               run_id varchar,
               finished_at timestamp,
               success boolean,              -- no model, seed or test ended in error or fail
               statuses json,                -- count of dbt results by status
               failures json)                -- node, status, message of each failing node"""
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
               kpi_rows_changed bigint)"""
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
