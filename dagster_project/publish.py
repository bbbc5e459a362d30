"""Publish: copy the tested build database to the published file, atomically.

Readers (the dashboard, auditors) only ever see a complete file: the copy is written
beside the published file under a temporary name, flushed to disk and renamed over it.
A reader that has the old file open keeps reading the old file. A refresh killed at any
point leaves the previous published file as it was.

Every publish is recorded in `audit.publish_log` (run, time, the source files with their
checksums, the dbt test summary) and the published KPI values are versioned in
`audit.kpi_values_history`, so a figure reported in an earlier month can be reproduced
after corrections arrive: a row is valid from the publish that first produced it until
the publish that changed or removed it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project.audit import ensure_kpi_history
from dagster_project.change_summary import record_change_summary
from dagster_project.warehouse import build_connection, writer_lock

KPI_GRAIN = ("kpi_id", "period", '"window"', "org_unit_code", "breakdown", "breakdown_value")
KPI_FIGURES = ("numerator", "denominator", "value", "population_n", "suppressed", "target_value", "status")


class PublishRefused(RuntimeError):
    pass


@dataclass(frozen=True)
class PublishResult:
    publish_id: int
    published_file: Path
    kpi_rows: int
    kpi_rows_changed: int
    size_bytes: int
    stale_copies_removed: int = 0
    summary: dict = field(default_factory=dict)  # what this publish changed (change_summary.py)


def _ensure_audit_tables(conn: duckdb.DuckDBPyConnection) -> None:
    ensure_kpi_history(conn)  # and every other audit table (dagster_project/audit.py)


def _check_build(conn: duckdb.DuckDBPyConnection, run_id: str) -> dict:
    row = conn.execute(
        "select success, statuses, failures from audit.dbt_build where run_id = ? "
        "order by finished_at desc limit 1",
        [run_id],
    ).fetchone()
    if row is None:
        raise PublishRefused(f"run {run_id} has no dbt build: publish only after `dbt build` in the same run")
    success, statuses, failures = row
    if not success:
        raise PublishRefused(f"dbt build of run {run_id} failed; the published file is left as it was")
    return {"statuses": json.loads(statuses), "failures": json.loads(failures)}


def _version_kpis(conn: duckdb.DuckDBPyConnection, publish_id: int) -> tuple[int, int]:
    """Close history rows whose figures changed or vanished, open rows for new figures.

    Set differences (EXCEPT treats NULLs as equal) compare grain and figures in one hash
    pass each; anti-joins on thirteen null-safe conditions took four times as long.
    """
    grain = ", ".join(KPI_GRAIN)
    compared = ", ".join((*KPI_GRAIN, *KPI_FIGURES))
    on_grain = " and ".join(f"h.{c} = d.{c}" for c in KPI_GRAIN)
    open_rows = f"select {compared} from audit.kpi_values_history where valid_to_publish_id is null"
    published = f"select {compared} from marts.kpi_values"
    conn.execute(f"create or replace temp table kpi_gone as select {grain} from ({open_rows} except {published})")
    conn.execute(f"create or replace temp table kpi_new as select {grain} from ({published} except {open_rows})")
    conn.execute(
        f"""update audit.kpi_values_history h set valid_to_publish_id = ? from kpi_gone d
            where h.valid_to_publish_id is null and {on_grain}""",
        [publish_id],
    )
    changed = conn.execute(
        f"""insert into audit.kpi_values_history
            select h.*, ?::integer, null::integer from marts.kpi_values h join kpi_new d on {on_grain}""",
        [publish_id],
    ).fetchone()[0]
    conn.execute("drop table kpi_gone")
    conn.execute("drop table kpi_new")
    total = conn.execute("select count(*) from marts.kpi_values").fetchone()[0]
    return total, changed


def _forget_unpublished(conn: duckdb.DuckDBPyConnection, last_published_id: int) -> None:
    """Undo what publishes that never reached the published file wrote to the history.

    A publish killed before its rename (SIGKILL, power loss) committed its publish_log row
    and its kpi_values_history changes in the build database, but no published file carries
    them. Its row is marked 'interrupted'; the history rows it opened are deleted and those
    it closed are reopened, so every valid_from/valid_to id names a publish auditors could
    actually have read. A 'failed' publish (copy raised) is undone the same way.
    """
    conn.execute("begin transaction")
    conn.execute(
        "update audit.publish_log set status = 'interrupted' where publish_id > ? and status = 'published'",
        [last_published_id],
    )
    unpublished = ("select publish_id from audit.publish_log "
                   "where publish_id > ? and status in ('interrupted', 'failed')")
    conn.execute(f"delete from audit.kpi_values_history where valid_from_publish_id in ({unpublished})",
                 [last_published_id])
    conn.execute(f"update audit.kpi_values_history set valid_to_publish_id = null "
                 f"where valid_to_publish_id in ({unpublished})", [last_published_id])
    conn.execute("commit")


def _source_files(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    exists = conn.execute(
        "select count(*) from information_schema.tables where table_schema='audit' and table_name='load_log'"
    ).fetchone()[0]
    if not exists:
        return []
    # The newest successful load of each extract and period is what the raw tables hold.
    rows = conn.execute(
        """select extract, period, file_name, checksum from (
               select *, row_number() over (partition by extract, period order by finished_at desc) as rn
               from audit.load_log where status in ('loaded', 'replaced'))
           where rn = 1 order by extract, period"""
    ).fetchall()
    return [{"extract": e, "period": p, "file": f, "checksum": c} for e, p, f, c in rows]


def _staging_name(target: Path, pid: int | str) -> str:
    """The copy being written beside `target` by process `pid` ("*" matches every one)."""
    return f".{target.name}.{pid}.tmp"


def _remove_stale_copies(target: Path) -> int:
    """Delete half-written copies that a publish killed before its rename left behind.

    Only called under the writer lock, so no other publish is writing one right now.
    Each is as large as the published file; without this they would pile up.
    """
    stale = list(target.parent.glob(_staging_name(target, "*")))
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def _copy_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(_staging_name(target, os.getpid()))
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    finally:
        tmp.unlink(missing_ok=True)


def _last_published_id(published_db: Path) -> int | None:
    """The newest publish the published file carries; None when there is no published file."""
    if not published_db.exists():
        return None
    try:
        conn = duckdb.connect(str(published_db), read_only=True)
    except duckdb.IOException as e:
        # Readers share the file; only a session that opened it for writing (a SQL client
        # started without -readonly) holds it exclusively. Writing to the published file
        # is not supported: say who holds it instead of replacing the file under them.
        raise PublishRefused(
            f"{published_db} is open for writing in another process ({str(e).splitlines()[0]}). "
            "Close that session and open the published file read-only (make sql, duckdb -readonly); "
            "the published file was left as it was"
        ) from e
    try:
        return conn.execute("select coalesce(max(publish_id), 0) from audit.publish_log").fetchone()[0]
    except duckdb.CatalogException:
        return 0
    finally:
        conn.close()


def write_dbt_docs(build_db: Path, published_db: Path) -> Path:
    """dbt's static docs site (models, columns, lineage) beside the published file.

    Generated from the build database right after it was published, so the catalogue
    describes exactly the published tables. A separate target path keeps the manifest
    Dagster reads untouched.
    """
    import tempfile

    from dagster_project.dbt_project import run_dbt

    site = published_db.parent / "dbt_docs" / "index.html"
    site.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(build_db), tempfile.TemporaryDirectory(prefix="hrkpi-docs-") as tmp:
        run_dbt("docs", "generate", "--static", "--target-path", tmp)
        staged = site.with_name(".index.html.tmp")
        shutil.copyfile(Path(tmp) / "static_index.html", staged)
        os.replace(staged, site)
    return site


def publish(build_db: Path, published_db: Path, run_id: str, run_started: dt.datetime | None = None) -> PublishResult:
    with writer_lock(build_db):
        with build_connection(build_db) as conn:
            tests = _check_build(conn, run_id)
            _ensure_audit_tables(conn)
            last_published = _last_published_id(published_db)
            # Without a published file (deleted by hand, or never written) nothing tells which
            # publishes readers saw: keep the history as it is rather than undo real publishes.
            if last_published is not None:
                _forget_unpublished(conn, last_published)
            publish_id = conn.execute(
                "select coalesce(max(publish_id), 0) + 1 from audit.publish_log"
            ).fetchone()[0]
            conn.execute("begin transaction")
            kpi_rows, changed = _version_kpis(conn, publish_id)
            conn.execute(
                "insert into audit.publish_log (publish_id, run_id, published_at, status, published_file, source_files, "
                "test_summary, kpi_rows, kpi_rows_changed) values (?, ?, current_timestamp, 'published', ?, ?, ?, ?, ?)",
                [publish_id, run_id, str(published_db), json.dumps(_source_files(conn), default=str),
                 json.dumps(tests), kpi_rows, changed],
            )
            summary = record_change_summary(conn, publish_id, run_id, run_started)
            conn.execute("commit")
            conn.execute("checkpoint")
        stale = _remove_stale_copies(published_db)
        try:
            _copy_atomically(build_db, published_db)
        except BaseException:
            # The file was not replaced: say so in the build database's record.
            with build_connection(build_db) as conn:
                conn.execute("update audit.publish_log set status = 'failed' where publish_id = ?", [publish_id])
            raise
    return PublishResult(publish_id, published_db, kpi_rows, changed, published_db.stat().st_size, stale, summary)
