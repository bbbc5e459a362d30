"""Publish: the tested build database's figures to the dashboard store and its microdata to
the audit store, atomically, writing only the periods that changed (dagster_project/stores.py).

Readers (the dashboard, auditors) only ever see a complete publish: the parts a catalog names
are written and flushed first, then each catalog is written beside its store under a
temporary name, flushed and renamed over it, the audit store first and the dashboard store
last (its rename is the publish). A reader that has the old catalog open keeps reading the
old publish, whose files are kept for HRKPI_KEEP_PUBLISHES publishes. A refresh killed at any
point leaves the previous publish as it was.

Every publish is recorded in `audit.publish_log` (run, time, the source files with their
checksums, the dbt test summary) and the published KPI values are versioned in
`audit.kpi_values_history`, so a figure reported in an earlier month can be reproduced
after corrections arrive: a row is valid from the publish that first produced it until
the publish that changed or removed it. The published store's copies of the two are the
record: a build database rebuilt from the landing folder (or restored from an older backup)
continues from them, so publish ids are never reused and earlier figures never overwritten.
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
from dagster_project import stores
from dagster_project.publish_scope import PublishScope, since_last_publish, watermark
from dagster_project.config import DBT_PROJECT_DIR, SEEDS_DIR, settings
from hrkpi_config import default_audit_db
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
    size_bytes: int  # the dashboard store: its catalog and every part it reads
    audit_store: Path | None = None
    audit_size_bytes: int = 0
    parts_written: int = 0
    parts_reused: int = 0
    bytes_written: int = 0
    stale_copies_removed: int = 0  # interrupted publishes whose leftovers were deleted
    parts_removed: int = 0  # parts no kept publish reads any more
    continued_from: int | None = None  # the publish the history was taken back from, if it was
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


def _version_kpis(conn: duckdb.DuckDBPyConnection, publish_id: int, changed_rows: str = "true") -> tuple[int, int]:
    """Close history rows whose figures changed or vanished, open rows for new figures.

    Set differences (EXCEPT treats NULLs as equal) compare grain and figures in one hash
    pass each; anti-joins on thirteen null-safe conditions took four times as long. Only the
    rows of `changed_rows` (the periods rebuilt since the last publish) are compared: no
    other row of marts.kpi_values can differ from the history's open rows.
    """
    grain = ", ".join(KPI_GRAIN)
    compared = ", ".join((*KPI_GRAIN, *KPI_FIGURES))
    on_grain = " and ".join(f"h.{c} = d.{c}" for c in KPI_GRAIN)
    open_rows = (f"select {compared} from audit.kpi_values_history "
                 f"where valid_to_publish_id is null and {changed_rows}")
    published = f"select {compared} from marts.kpi_values where {changed_rows}"
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


def _last_published_id(published_db: Path) -> int | None:
    """The newest publish the dashboard store carries; None when there is no published store."""
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
    except duckdb.Error as e:
        raise PublishRefused(_unreadable_history(published_db, e)) from None
    finally:
        conn.close()


def _unreadable_history(published_db: Path, error: Exception) -> str:
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return (f"the publish log of {published_db} cannot be read ({first}); it is the record of what was "
            f"published. Restore {published_db.parent} from a backup, or move {published_db.name} away to "
            "start a new record from the build database; nothing was published")


def _build_last_id(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.execute("select coalesce(max(publish_id), 0) from audit.publish_log").fetchone()[0]


def _continue_from_published(conn: duckdb.DuckDBPyConnection, published_db: Path) -> None:
    """Take the publish log and the KPI history back from the published store.

    Called when the published store knows publishes the build database does not (the build
    database was lost and rebuilt, or restored from an older backup): the published record
    wins, so the next publish id follows the last one readers saw and the history of
    earlier figures is kept, not started again.
    """
    conn.execute(f"attach {stores.literal(str(published_db))} as last_published (read_only)")
    try:
        conn.execute("begin transaction")
        conn.execute("delete from audit.publish_log")
        conn.execute("insert into audit.publish_log by name select * from last_published.audit.publish_log")
        conn.execute("drop table if exists audit.kpi_values_history")
        conn.execute("create table audit.kpi_values_history as "
                     "select * from last_published.audit.kpi_values_history")
        conn.execute("commit")
    except duckdb.Error as e:
        conn.execute("rollback")
        raise PublishRefused(_unreadable_history(published_db, e)) from None
    finally:
        conn.execute("detach last_published")


def _docs_fingerprint(build_db: Path) -> str:
    """What the docs site shows: the dbt project's files (models, macros, tests, seeds, their
    YAML) and the columns of every relation in the build database."""
    import hashlib

    digest = hashlib.sha256()
    for root in (DBT_PROJECT_DIR, SEEDS_DIR):
        for path in sorted(root.rglob("*")):
            parts = path.relative_to(root).parts
            if path.is_file() and not {"target", "logs", "dbt_packages"} & set(parts) and path.suffix in {
                    ".sql", ".yml", ".yaml", ".csv", ".md"}:
                digest.update(f"{path.relative_to(root)}\0".encode())
                digest.update(path.read_bytes())
    with build_connection(build_db) as conn:
        columns = stores.all_columns(conn)
    for relation, cols in sorted(columns.items()):
        digest.update("\0".join([relation, *(f"{n} {t}" for n, t in cols)]).encode())
    return digest.hexdigest()


def write_dbt_docs(build_db: Path, published_db: Path) -> Path:
    """dbt's static docs site (models, columns, lineage) beside the published file.

    Generated from the build database right after it was published, so the catalogue
    describes exactly the published tables. A separate target path keeps the manifest
    Dagster reads untouched. A monthly refresh changes figures, not models or columns: the
    site is generated again only when the project's files or the relations' columns changed
    (a fingerprint of both is kept beside it), which saves `dbt docs generate` (tens of
    seconds at M) on most publishes.
    """
    import tempfile

    from dagster_project.dbt_project import run_dbt

    site = published_db.parent / "dbt_docs" / "index.html"
    stamp = site.with_name("fingerprint.txt")
    site.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(build_db):
        fingerprint = _docs_fingerprint(build_db)
        if site.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == fingerprint:
            return site
        with tempfile.TemporaryDirectory(prefix="hrkpi-docs-") as tmp:
            run_dbt("docs", "generate", "--static", "--target-path", tmp)
            staged = site.with_name(".index.html.tmp")
            shutil.copyfile(Path(tmp) / "static_index.html", staged)
            os.replace(staged, site)
        stamp.write_text(fingerprint + "\n", encoding="utf-8")
    return site


def _carried_parts(scope: PublishScope, published_db: Path, audit_db: Path, rels: list[stores.Relation],
                   cols: dict[str, list[tuple[str, str]]]) -> tuple[dict[str, str], dict[str, list[Path]]]:
    """For the relations whose changed rows the scope can name: the filter on those rows, and
    the last publish's parts of every other period (same columns and types, still on disk)."""
    if scope.everything:
        return {}, {}
    catalogs = [stores.kept_copy(t, scope.last_publish_id) for t in (published_db, audit_db)]
    if not all(c.exists() for c in catalogs):
        return {}, {}
    before_cols = {**stores.catalog_columns(catalogs[0]), **stores.catalog_columns(catalogs[1])}
    before_parts = {**stores.parts_by_period(audit_db, scope.last_publish_id),
                    **stores.parts_by_period(published_db, scope.last_publish_id)}
    only, carried = {}, {}
    for rel in rels:
        where = scope.period_filter(rel.key, dict(cols[rel.key]).get(stores.PARTITION_COLUMN))
        if where is None or before_cols.get(rel.key) != cols[rel.key] or rel.key not in before_parts:
            continue
        only[rel.key] = where
        carried[rel.key] = [part for label, part in sorted(before_parts[rel.key].items())
                            if scope.unchanged(rel.key, label)]
    return only, carried


def _write_stores(conn: duckdb.DuckDBPyConnection, published_db: Path, audit_db: Path,
                  access: stores.Access, scope: PublishScope) -> tuple[Path, Path, list[Path], list[Path], stores.PartStats]:
    """Parts of both stores and their two catalogs under temporary names: the two catalogs,
    the parts each reads, and what was written."""
    found = stores.relations(conn)
    dashboard = stores.dashboard_relations(found)
    microdata = stores.microdata_relations(found, dashboard)
    published_db.parent.mkdir(parents=True, exist_ok=True)
    access.make_dir(audit_db.parent)
    # Both catalogs exist from the start, so a publish killed while writing parts leaves
    # recognisable leftovers (the next publish deletes them).
    tmp_dashboard = stores.staging_name(published_db, os.getpid())
    tmp_audit = stores.staging_name(audit_db, os.getpid())
    duckdb.connect(str(tmp_dashboard)).close()
    duckdb.connect(str(tmp_audit)).close()
    access.apply(tmp_audit)
    stats = stores.PartStats()
    dashboard_root, audit_root = published_db.parent / "parts", audit_db.parent / "parts"
    dashboard_root.mkdir(exist_ok=True)
    access.make_dir(audit_root)
    # The build's views stay views in the audit store, over the published parts of what they
    # read: the staging layer over raw, and the intermediate views. Materialised, the one-pass
    # suppression views alone computed a whole pass over every cell at each publish (44 of
    # the fingerprints' 60 s at M, and a spill of over 40 GB at L).
    as_views = [r for r in microdata if r.is_view]
    cols = stores.all_columns(conn)
    stored = dashboard + [r for r in microdata if r not in as_views]
    only, carried = _carried_parts(scope, published_db, audit_db, stored, cols)
    groups = stores.fingerprints(conn, stored, cols, only)
    # dbt keeps a table per test in test_failures, empty unless the test failed or warned.
    materialised = [r for r in microdata if r not in as_views and (r.schema != "test_failures" or groups[r.key])]
    shown = {r: stores.write_parts(conn, r, cols[r.key], groups[r.key], dashboard_root, None, stats,
                                   carried.get(r.key, []))
             for r in dashboard}
    traced = {r: stores.write_parts(conn, r, cols[r.key], groups[r.key], audit_root, access, stats,
                                    carried.get(r.key, []))
              for r in materialised}
    stores.finish_parts(stats, [dashboard_root, audit_root])
    stores.write_catalog(tmp_dashboard, shown, [])
    stores.write_catalog(tmp_audit, {**shown, **traced}, as_views)
    dashboard_parts = [f for p in shown.values() for f in p.files]
    return tmp_dashboard, tmp_audit, dashboard_parts, dashboard_parts + [f for p in traced.values() for f in p.files], stats


def publish(build_db: Path, published_db: Path, run_id: str, run_started: dt.datetime | None = None,
            audit_db: Path | None = None) -> PublishResult:
    s = settings()
    audit_db = audit_db or (s.audit_db if s.published_db == published_db else
                            default_audit_db(published_db))
    access = stores.Access(s.audit_group)
    targets = [published_db, audit_db]
    part_roots = [published_db.parent / "parts", audit_db.parent / "parts"]
    with writer_lock(build_db):
        with build_connection(build_db) as conn:
            tests = _check_build(conn, run_id)
            _ensure_audit_tables(conn)
            last_published = _last_published_id(published_db)
            continued_from = None
            # The published store knows publishes this build database does not: it was rebuilt
            # (or restored from an older backup). The published record is the one readers saw.
            if last_published and _build_last_id(conn) < last_published:
                _continue_from_published(conn, published_db)
                continued_from = last_published
            # Without a published store (deleted by hand, or never written) nothing tells which
            # publishes readers saw: keep the history as it is rather than undo real publishes.
            if last_published is not None:
                _forget_unpublished(conn, last_published)
            publish_id = _build_last_id(conn) + 1
            # What can have changed since the publish readers see now (publish_scope.py).
            scope = since_last_publish(conn, last_published, continued_from is not None,
                                       DBT_PROJECT_DIR / "target" / "manifest.json")
            conn.execute("begin transaction")
            kpi_rows, changed = _version_kpis(conn, publish_id, scope.kpi_filter())
            conn.execute(
                "insert into audit.publish_log (publish_id, run_id, published_at, status, published_file, source_files, "
                "test_summary, kpi_rows, kpi_rows_changed, watermark) "
                "values (?, ?, current_timestamp, 'published', ?, ?, ?, ?, ?, ?)",
                [publish_id, run_id, str(published_db), json.dumps(_source_files(conn), default=str),
                 json.dumps(tests), kpi_rows, changed, json.dumps(watermark(conn))],
            )
            summary = record_change_summary(conn, publish_id, run_id, run_started)
            conn.execute("commit")
            conn.execute("checkpoint")
            stale = stores.remove_stale(targets, part_roots)
            try:
                tmp_dashboard, tmp_audit, shown, traced, stats = _write_stores(conn, published_db, audit_db, access,
                                                                               scope)
                # The audit store first: once the dashboard's catalog is renamed, the publish is out.
                stores.install(tmp_audit, audit_db)
                stores.install(tmp_dashboard, published_db)
            except BaseException:
                # The dashboard store was not replaced: say so in the build database's record.
                conn.execute("update audit.publish_log set status = 'failed' where publish_id = ?", [publish_id])
                stores.remove_stale(targets, part_roots)
                raise
        # Earlier publishes stay readable: their catalogs are kept, with the parts they read.
        stores.keep_copy(published_db, publish_id, shown, None)
        stores.keep_copy(audit_db, publish_id, traced, access)
        removed = stores.collect_garbage(targets, part_roots, s.keep_publishes, set(traced))
    return PublishResult(publish_id, published_db, kpi_rows, changed, stores.store_size(published_db, shown),
                         audit_db, stores.store_size(audit_db, traced), stats.written, stats.reused,
                         stats.bytes_written, stale, removed, continued_from, summary)
