"""The two published stores: Parquet parts per table and period, and a catalog file of views.

The dashboard store (HRKPI_PUBLISHED_DB) holds what the dashboard and an auditor's `make sql`
read: the marts, the seeds, the audit tables, and `staging.stg_survey` (unit-level answer
counts, for the survey waves). The audit store (HRKPI_AUDIT_DB) holds all of that and the
pseudonymised microdata auditors trace figures to (raw, staging, intermediate, test_failures);
its folder and files are readable by their owner only, or by the group HRKPI_AUDIT_GROUP.

Each table becomes one Parquet file per value of its `period` column (one file when it has
none), named by a fingerprint of its content: `parts/<schema>.<table>/period=<p>/<fp>.parquet`.
A period whose rows did not change keeps the file it had, so a refresh of one month writes
the parts of the periods it changed and not the whole history. A catalog is a small DuckDB
file of views over the parts, written under a temporary name and renamed into place: a
reader opens either the old catalog or the new one, and the files either names are kept
until HRKPI_KEEP_PUBLISHES newer publishes have replaced it.

Why not one copied DuckDB file (the earlier design): at L it copied 12.5 GB per publish.
Why not DuckLake: measured at about 1.5 times the bytes of these parts, and it would pin
library and CLI to duckdb 1.5.5 (docs/architecture.md).
"""

from __future__ import annotations

import grp
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from hrkpi_config import ConfigError

PARTITION_COLUMN = "period"
# What the dashboard store publishes: every relation of these schemas ...
DASHBOARD_SCHEMAS = ("marts", "seeds", "audit")
# ... and these, which the dashboard reads from other schemas (streamlit_app/queries.py).
DASHBOARD_EXTRA = (("staging", "stg_survey"),)  # unit-level counts per question, no person
# ... except these, which only the refresh and auditors need.
DASHBOARD_EXCLUDED = (("audit", "pseudonym_key"),)
# What the audit store adds: the pseudonymised microdata and the rows of failing dbt tests.
AUDIT_SCHEMAS = ("raw", "staging", "intermediate", "test_failures")


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- permissions -------------------------------------------------------------------------

@dataclass(frozen=True)
class Access:
    """File and folder modes for data about persons: the owner's, or the owner's and a group's."""

    group: str | None = None

    @property
    def file_mode(self) -> int:
        return 0o640 if self.group else 0o600

    @property
    def dir_mode(self) -> int:
        return 0o750 if self.group else 0o700

    def _gid(self) -> int:
        try:
            return grp.getgrnam(self.group).gr_gid
        except KeyError:
            raise ConfigError(f"HRKPI_AUDIT_GROUP={self.group!r} is not a group on this machine; create it "
                              "or unset the variable (then only the owner can read the audit store)") from None

    def apply(self, path: Path, is_dir: bool = False) -> None:
        if self.group:
            os.chown(path, -1, self._gid())
        os.chmod(path, self.dir_mode if is_dir else self.file_mode)

    def make_dir(self, path: Path) -> None:
        """Create `path` (and parents) and restrict it; an existing folder is restricted too."""
        path.mkdir(parents=True, exist_ok=True)
        self.apply(path, is_dir=True)


PUBLIC = None  # the dashboard store keeps the process's umask: it holds no per-person rows


# --- what the build database holds -------------------------------------------------------

@dataclass(frozen=True)
class Relation:
    schema: str
    name: str
    is_view: bool
    view_sql: str | None = None

    @property
    def key(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def sql_name(self) -> str:
        return f"{quote(self.schema)}.{quote(self.name)}"


def relations(conn: duckdb.DuckDBPyConnection) -> list[Relation]:
    tables = conn.execute(
        """select schema_name, table_name from duckdb_tables()
           where database_name = current_database() and not temporary order by 1, 2""").fetchall()
    views = conn.execute(
        """select schema_name, view_name, sql from duckdb_views()
           where database_name = current_database() and not internal and not temporary order by 1, 2""").fetchall()
    return [Relation(s, n, False) for s, n in tables] + [Relation(s, n, True, sql) for s, n, sql in views]


def dashboard_relations(found: list[Relation]) -> list[Relation]:
    return [r for r in found
            if (r.schema in DASHBOARD_SCHEMAS or (r.schema, r.name) in DASHBOARD_EXTRA)
            and (r.schema, r.name) not in DASHBOARD_EXCLUDED]


def microdata_relations(found: list[Relation], dashboard: list[Relation]) -> list[Relation]:
    shown = {r.key for r in dashboard}
    return [r for r in found if r.schema in AUDIT_SCHEMAS and r.key not in shown
            or (r.schema, r.name) in DASHBOARD_EXCLUDED]


def all_columns(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """schema.table -> its (column, type) in order, for every relation in one query."""
    found: dict[str, list[tuple[str, str]]] = {}
    for schema, table, column, data_type in conn.execute(
            """select schema_name, table_name, column_name, data_type from duckdb_columns()
               where database_name = current_database() order by schema_name, table_name, column_index""").fetchall():
        found.setdefault(f"{schema}.{table}", []).append((column, data_type))
    return found


def fingerprints(conn: duckdb.DuckDBPyConnection, rels: list[Relation],
                 cols: dict[str, list[tuple[str, str]]], only: dict[str, str] | None = None) -> dict[str, list[tuple]]:
    """schema.table -> (period as text, rows, hash sum, hash xor) per period, in one query: a
    query costs milliseconds of its own, and a store has a hundred relations. `only` limits a
    relation to the rows of a filter (the periods that can have changed: publish_scope.py)."""
    selects = []
    for rel in rels:
        partitioned = PARTITION_COLUMN in {n for n, _ in cols[rel.key]}
        key = f"cast({quote(PARTITION_COLUMN)} as varchar)" if partitioned else "'all'"
        where = (only or {}).get(rel.key, "true")
        selects.append(f"""select {literal(rel.key)} as rel, {key} as p, count(*) as n,
                                  cast(sum(hash(_row_)) as varchar) as s, cast(bit_xor(hash(_row_)) as varchar) as x
                           from {rel.sql_name} _row_ where {where} group by all""")
    found: dict[str, list[tuple]] = {rel.key: [] for rel in rels}
    if selects:
        for rel, p, n, total, xor in conn.execute(
                " union all ".join(selects) + " order by rel, p nulls first").fetchall():
            found[rel].append((p, n, total, xor))
    return found


# --- parts -------------------------------------------------------------------------------

@dataclass
class PartStats:
    written: int = 0
    reused: int = 0
    bytes_written: int = 0
    pending: list[tuple[Path, Path]] = field(default_factory=list)  # (written, its final name)


@dataclass(frozen=True)
class TableParts:
    columns: list[tuple[str, str]]
    files: list[Path]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_parts(conn: duckdb.DuckDBPyConnection, rel: Relation, cols: list[tuple[str, str]], groups: list[tuple],
                root: Path, access: Access | None, stats: PartStats, carried: list[Path] = ()) -> TableParts:
    """The relation's rows as Parquet parts under `root`, one per period; unchanged ones reused.

    A part's name is a fingerprint of the table's column names and types, the period, the
    row count and two order-independent sums of the rows' hashes: the same rows give the same
    name whatever order the build wrote them in, so an unchanged period is not written again.
    `carried` are the last publish's parts of periods that cannot have changed since
    (publish_scope.py): they are named again without reading the build's rows.
    """
    signature = ";".join(f"{n} {t}" for n, t in cols)
    partitioned = PARTITION_COLUMN in {n for n, _ in cols}
    stats.reused += len(carried)
    if not groups and carried:
        return TableParts(cols, list(carried))
    if not groups:  # an empty table still has its columns: one empty part
        groups = [("all" if not partitioned else "none", 0, "0", "0")]
        partitioned = False
    partition_type = dict(cols).get(PARTITION_COLUMN)
    folder = root / rel.key
    if access and folder.exists():
        access.apply(folder, is_dir=True)
    files, missing = [], []
    for value, count, total, xor in groups:
        label = "null" if value is None else re.sub(r"[^0-9A-Za-z_-]", "_", value)
        fingerprint = hashlib.sha256(f"{signature}|{value}|{count}|{total}|{xor}".encode()).hexdigest()[:32]
        target = (folder / f"period={label}" if partitioned else folder) / f"{fingerprint}.parquet"
        files.append(target)
        if target.exists():
            stats.reused += 1
            if access:  # a changed HRKPI_AUDIT_GROUP reaches the parts written before it
                access.apply(target)
                access.apply(target.parent, is_dir=True)
        else:
            missing.append((value, target))
    for target in {t.parent for _, t in missing}:
        for parent in reversed([target, *target.parents]):
            if not parent.exists():
                parent.mkdir()
                if access:
                    access.apply(parent, is_dir=True)
    written = _copy_partitions(conn, rel, folder, [m for m in missing if m[0] is not None]) \
        if partitioned and len(missing) > 1 else {}
    for value, target in missing:
        tmp = written.get(value)
        if tmp is None:
            if not partitioned:
                where = "true"
            elif value is None:
                where = f"{quote(PARTITION_COLUMN)} is null"
            else:
                where = f"{quote(PARTITION_COLUMN)} = cast({literal(value)} as {partition_type})"
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            conn.execute(f"copy (select * from {rel.sql_name} where {where}) to {literal(str(tmp))} "
                         "(format parquet, compression zstd)")
        # Renamed to its final name only once it is on disk (finish_parts): a part under a
        # fingerprint name is always complete, so a later publish may reuse it.
        final_tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        if tmp != final_tmp:
            os.replace(tmp, final_tmp)
        if access:
            access.apply(final_tmp)
        stats.pending.append((final_tmp, target))
        stats.written += 1
        stats.bytes_written += final_tmp.stat().st_size
    shutil.rmtree(folder / f".write.{os.getpid()}.tmp", ignore_errors=True)
    return TableParts(cols, files + list(carried))


def _copy_partitions(conn: duckdb.DuckDBPyConnection, rel: Relation, folder: Path,
                     missing: list[tuple[str, Path]]) -> dict[str, Path]:
    """Many periods of one table in one COPY (a statement costs tens of milliseconds of its own,
    a first publish writes a part for every period): value -> the file written for it."""
    if not missing:
        return {}
    scratch = folder / f".write.{os.getpid()}.tmp"
    values = ", ".join(literal(v) for v, _ in missing)
    conn.execute(f"""copy (select * from {rel.sql_name} where cast({quote(PARTITION_COLUMN)} as varchar) in ({values}))
                     to {literal(str(scratch))} (format parquet, compression zstd,
                     partition_by ({quote(PARTITION_COLUMN)}), write_partition_columns true, overwrite true)""")
    found = {}
    for value, _ in missing:
        parts = list((scratch / f"{PARTITION_COLUMN}={value}").glob("*.parquet"))
        if len(parts) == 1:  # otherwise the caller writes that period on its own
            found[value] = parts[0]
    return found


def sync_to_disk(root: Path) -> None:
    """Flush the parts just written (one syncfs of their file system rather than an fsync per
    part) before a catalog names them."""
    import ctypes

    fd = os.open(root, os.O_RDONLY)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if getattr(libc, "syncfs", None) is None or libc.syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def finish_parts(stats: PartStats, roots: list[Path]) -> None:
    """Flush the parts written, give them their final names, flush the renames: only then may
    a catalog name them."""
    for root in roots:
        sync_to_disk(root)
    for tmp, target in stats.pending:
        os.replace(tmp, target)
    stats.pending.clear()
    for root in roots:
        sync_to_disk(root)


# --- catalogs ----------------------------------------------------------------------------

def staging_name(target: Path, pid: int | str) -> Path:
    """The catalog being written beside `target` by process `pid` ("*" matches every one)."""
    return target.with_name(f".{target.name}.{pid}.tmp")


def view_sql(rel: Relation, parts: TableParts) -> str:
    """A view over the parts that gives the build's column names and types back exactly."""
    select = ", ".join(f"cast({quote(n)} as {t}) as {quote(n)}" for n, t in parts.columns)
    files = ", ".join(literal(str(f)) for f in parts.files)
    return f"create view {rel.sql_name} as select {select} from read_parquet([{files}])"


def write_catalog(tmp: Path, parquet_views: dict[Relation, TableParts], sql_views: list[Relation]) -> None:
    """Fill the catalog file `tmp` (already created): views over the parts, then the build's own
    views (the staging layer over raw, in the audit store) in an order that binds."""
    conn = duckdb.connect(str(tmp))
    try:
        schemas = {r.schema for r in parquet_views} | {r.schema for r in sql_views}
        for schema in sorted(schemas):
            conn.execute(f"create schema if not exists {quote(schema)}")
        for rel, parts in parquet_views.items():
            conn.execute(view_sql(rel, parts))
        pending = list(sql_views)
        while pending:  # a view binds only once the views it reads exist
            failed = []
            for rel in pending:
                try:
                    conn.execute(rel.view_sql)
                except duckdb.CatalogException:
                    failed.append(rel)
            if len(failed) == len(pending):
                names = ", ".join(r.key for r in failed)
                raise RuntimeError(f"the views {names} read a relation that is not published")
            pending = failed
        conn.execute("checkpoint")
    finally:
        conn.close()
    _fsync(tmp)


def install(tmp: Path, target: Path) -> None:
    """Rename the finished catalog over the published one and make the rename durable."""
    os.replace(tmp, target)
    _fsync(target.parent)


def store_size(catalog: Path, parts: list[Path]) -> int:
    """Bytes a reader of the catalog can reach: the catalog and every part it names."""
    return catalog.stat().st_size + sum(p.stat().st_size for p in set(parts))


# --- earlier publishes and garbage collection --------------------------------------------

def kept_copy(target: Path, publish_id: int) -> Path:
    """Where the catalog of publish `publish_id` is kept: `publishes/<name>.<id>.duckdb`."""
    return target.parent / "publishes" / f"{target.stem}.{publish_id:06d}{target.suffix}"


def keep_copy(catalog: Path, publish_id: int, parts: list[Path], access: Access | None) -> Path:
    """A copy of the catalog of publish `publish_id`, and beside it the parts it reads (JSON)."""
    copy = kept_copy(catalog, publish_id)
    if access:
        access.make_dir(copy.parent)
    else:
        copy.parent.mkdir(parents=True, exist_ok=True)
    for source, target in ((None, copy.with_suffix(".parts.json")), (catalog, copy)):
        tmp = target.with_name(target.name + ".tmp")
        if source is None:
            tmp.write_text(json.dumps(sorted(str(p) for p in set(parts)), indent=0), encoding="utf-8")
        else:
            shutil.copyfile(source, tmp)
        if access:
            access.apply(tmp)
        _fsync(tmp)
        os.replace(tmp, target)
    return copy


def catalog_columns(catalog: Path) -> dict[str, list[tuple[str, str]]]:
    """schema.view -> its (column, type) in a kept catalog (no part is read)."""
    conn = duckdb.connect(str(catalog), read_only=True)
    try:
        return all_columns(conn)
    finally:
        conn.close()


def parts_by_period(target: Path, publish_id: int) -> dict[str, dict[str, Path]]:
    """schema.table -> period label -> the part publish `publish_id` of the store at `target`
    read for it (partitioned tables only, and only those whose every part is still there)."""
    found: dict[str, dict[str, Path]] = {}
    incomplete = set()
    for part in kept_parts(target, publish_id):
        if part.parent.name.startswith("period="):
            key = part.parent.parent.name
            found.setdefault(key, {})[part.parent.name[len("period="):]] = part
            if not part.exists():
                incomplete.add(key)
    return {key: parts for key, parts in found.items() if key not in incomplete}


def kept_ids(target: Path) -> list[int]:
    pattern = re.compile(re.escape(target.stem) + r"\.(\d+)" + re.escape(target.suffix) + "$")
    folder = target.parent / "publishes"
    found = [int(m[1]) for p in folder.glob("*") if (m := pattern.match(p.name))] if folder.exists() else []
    return sorted(found)


def kept_parts(target: Path, publish_id: int) -> set[Path]:
    listing = kept_copy(target, publish_id).with_suffix(".parts.json")
    return {Path(p) for p in json.loads(listing.read_text(encoding="utf-8"))} if listing.exists() else set()


def published_size(catalog: Path) -> int:
    """Bytes of the newest publish of the store at `catalog` (its catalog and the parts it
    reads, from the list kept beside its copy); 0 when nothing is published there."""
    ids = kept_ids(catalog)
    if not catalog.exists() or not ids:
        return 0
    return store_size(catalog, sorted(kept_parts(catalog, ids[-1])))


def remove_stale(targets: list[Path], part_roots: list[Path]) -> int:
    """Delete what a publish killed before its rename left behind; the number of such publishes.

    Only called under the writer lock, so no other publish is writing right now.
    """
    pids = set()
    for target in targets:
        for path in target.parent.glob(staging_name(target, "*").name):
            pids.add(path.name.rsplit(".", 2)[-2])
            path.unlink(missing_ok=True)
    for root in part_roots:
        for path in root.glob("*/**/*.tmp") if root.exists() else ():
            pids.add(path.name.rsplit(".", 2)[-2])
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
    return len(pids)


def collect_garbage(targets: list[Path], part_roots: list[Path], keep: int, current: set[Path]) -> int:
    """Keep the catalogs of the newest `keep` publishes and every part they (or the current
    publish, `current`) read; delete older catalogs and unread parts. Returns the parts deleted."""
    wanted = set(current)
    for target in targets:
        ids = kept_ids(target)
        for old in ids[:-keep]:
            kept_copy(target, old).unlink(missing_ok=True)
            kept_copy(target, old).with_suffix(".parts.json").unlink(missing_ok=True)
        for recent in ids[-keep:]:
            wanted |= kept_parts(target, recent)
    removed = 0
    for root in part_roots:
        if not root.exists():
            continue
        for path in root.glob("*/**/*.parquet"):
            if path not in wanted:
                path.unlink()
                removed += 1
        for folder in sorted((p for p in root.glob("*/**") if p.is_dir()), key=lambda p: -len(p.parts)):
            if not any(folder.iterdir()):
                folder.rmdir()
    return removed
