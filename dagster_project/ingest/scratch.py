"""Temporary relations of one load, each with a name of its own, all dropped when the load ends.

DuckDB's SQL needs a relation by name (a file read as text, the pseudonym map, the line
numbers). Each load step asks its `Scratch` for one and gets back the name to pass on; nothing
is left on the connection afterwards, whatever happens, and nothing one file made can be
read by the next.
"""

from __future__ import annotations

import itertools
from types import TracebackType

import duckdb
import pyarrow as pa

_serial = itertools.count(1)


class Scratch:
    """A context manager handing out temp tables and views; drops them in reverse on exit."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        self._id = next(_serial)
        self._made: list[tuple[str, str]] = []  # (kind, name), in creation order

    def name(self, what: str, kind: str = "table") -> str:
        """A fresh name for a relation the caller creates itself (e.g. read_csv's rejects
        tables); it is dropped with the rest."""
        name = f"_ingest{self._id}_{what}"
        self._made.append((kind, name))
        return name

    def table(self, what: str, select: str, params: list | None = None) -> str:
        """A temp table holding `select`'s rows."""
        name = self.name(what)
        self.conn.execute(f"create or replace temp table {name} as {select}", params)
        return name

    def view(self, what: str, select: str) -> str:
        name = self.name(what, "view")
        self.conn.execute(f"create or replace temp view {name} as {select}")
        return name

    def arrow(self, what: str, data: pa.Table) -> str:
        """A temp table copied from an Arrow table (so later joins read DuckDB's own storage)."""
        source = f"_ingest{self._id}_{what}_arrow"
        self.conn.register(source, data)
        try:
            return self.table(what, f"select * from {source}")
        finally:
            self.conn.unregister(source)

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self._made:
            return
        # One statement list: a load makes about ten relations per file.
        drops = "; ".join(f"drop {kind} if exists {name}" for kind, name in reversed(self._made))
        try:
            self.conn.execute(drops)
        except duckdb.Error:
            # Never hide the error that ended the load behind one from cleaning up.
            if exc is None:
                raise
        self._made.clear()
