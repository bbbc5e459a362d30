"""Access to the build database: one writer at a time.

DuckDB allows one writing process per file. Dagster runs its steps in process, and the
run queue admits one run at a time (dagster.yaml), but a controller may also start a
refresh from the command line while the UI runs one. The lock file makes the second
writer wait instead of failing half-way.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from dagster_project.config import settings
from dagster_project.stores import Access


class WarehouseBusy(RuntimeError):
    pass


@contextmanager
def writer_lock(db_path: Path, timeout_s: float = 1800.0) -> Iterator[None]:
    """Exclusive lock for everything that writes the build database (loads, dbt, publish)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db_path.with_suffix(db_path.suffix + ".lock")
    with open(lock_path, "a+") as fh:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseBusy(f"another refresh holds {lock_path} for more than {timeout_s:.0f} s")
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def build_connection(db_path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived write connection to the build database. Callers hold writer_lock."""
    s = settings()
    path = db_path or s.build_db
    access = Access(s.audit_group)
    if not path.parent.exists():
        access.make_dir(path.parent)
    conn = duckdb.connect(str(path), config={"memory_limit": s.memory_limit})
    # The build database holds every person's pseudonymised rows: its owner's (and the audit
    # group's) only, like the audit store, whatever the umask.
    for file in (path, path.with_name(path.name + ".wal")):
        if file.exists() and file.stat().st_uid == os.getuid():
            access.apply(file)
    try:
        yield conn
    finally:
        conn.close()
