"""Reading one landing file: its encoding, its header against the contract, its rows as text,
and the file line each row came from.

Whole-file problems raise `FileRejected` with the place (line, column) when there is one.
Lines DuckDB cannot read are kept in a rejects table and quarantined under their line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from dagster_project.contracts import Extract
from dagster_project.ingest.scratch import Scratch
from dagster_project.parsing import FileFormatError, detect_encoding, normalise_header, split_header, sql_string

LINE_FIELDS_RULE = "a line has no more fields than the header"
LINE_READABLE_RULE = "a CSV line separated by ';', quotes closed, at most 2 MB (DuckDB's max_line_size)"


class FileRejected(Exception):
    """The file is rejected as a whole; the message is safe to store and show. `line` and
    `column` say where, when the problem has a place in the file."""

    def __init__(self, message: str, line: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass
class PreparedFile:
    csv_path: Path  # UTF-8 file DuckDB reads (the original, or a transcoded copy)
    encoding: str
    n_fields: int
    present: dict[str, int]  # raw column name -> field index in the file
    notes: list[str]
    data_lines: int  # physical lines after the header
    text: str
    # raw column name -> its header as the file spells it (Swedish or Finnish), so every
    # message names the column the way the sender delivered it
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """A file's rows as text: `table` has one VARCHAR column per contract column (trimmed,
    '' as NULL) in file order; `rejects` holds DuckDB's unreadable lines (line, error_type)."""

    table: str
    rejects: str
    n_rows: int
    n_rejects: int


@dataclass(frozen=True)
class LineNumbers:
    """`sql`: the 1-based file line of a row of the source table (an expression over its rowid);
    `exact`: whether it is exact; `reject_rows`: the unreadable lines (line, error_type), one per
    record; `n_rejects`: how many (a record with three extra fields is one); `empty_rows`: rows of
    only delimiters and spaces (Excel's phantom rows), which are not records and were dropped."""

    sql: str
    exact: bool
    reject_rows: str
    n_rejects: int
    empty_rows: int = 0


def position(extract: Extract, data: bytes, offset: int) -> tuple[int, str | None, str]:
    """(line, column header, ' at line L, column C') of the byte at `offset`.

    The column is counted by semicolons on the line, ignoring quotes: good enough to point at
    the place of a bad byte, which is all it is used for.
    """
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    field_no = data.count(b";", line_start, offset)
    first = data.split(b"\n", 1)[0]
    try:
        header = first.decode("utf-8")
    except UnicodeDecodeError:
        header = first.decode("cp1252", errors="replace")
    header = header.rstrip("\r").split(";")
    contract = {normalise_header(h): h for c in extract.columns for h in c.headers}
    column = contract.get(normalise_header(header[field_no])) if field_no < len(header) else None
    where = f" (line {line}" + (f", column {column})" if column else ")")
    return line, column, where


def prepare(extract: Extract, path: Path, data: bytes, workdir: Path) -> PreparedFile:
    """Check the file as a whole and map its header to the contract; a Windows-1252 file is
    transcoded to UTF-8 in `workdir` for DuckDB."""
    try:
        encoding = detect_encoding(data)
    except FileFormatError as exc:
        if exc.offset is None:
            raise FileRejected(str(exc)) from None
        line, column, where = position(extract, data, exc.offset)
        raise FileRejected(f"{exc}{where}", line, column) from None
    text = data.decode(encoding)
    if not text.strip():
        raise FileRejected("the file is empty (no header row)", 1)
    notes = []
    transcode = encoding == "cp1252"
    if "\r" in text and "\n" not in text:
        # Classic-Mac line ends (CR only): DuckDB and the csv module want LF or CR LF.
        text = text.replace("\r", "\n")
        notes.append("CR line ends (classic Mac) read as line ends")
        transcode = True
    doubled = text.find("\r\r\n")
    if doubled >= 0:
        # DuckDB's reader stops on these with a state-machine error that names no line.
        line = text.count("\n", 0, doubled) + 1
        raise FileRejected(f"line {line} ends with CR CR LF (line endings converted twice); "
                           "rule: lines end with LF or CR LF", line)
    header_line, _, rest = text.partition("\n")
    try:
        headers = split_header(header_line.rstrip("\r"))
    except FileFormatError as exc:
        raise FileRejected(f"{exc} (line 1)", 1) from None

    # Each column under its Swedish or its Finnish header (contracts.Column.headers); messages
    # name it in the language the file used, spelled as the contract does.
    wanted = {normalise_header(h): c for c in extract.columns for h in c.headers}
    spelled = {normalise_header(h): h for c in extract.columns for h in c.headers}
    dropped = {normalise_header(h) for h in extract.dropped_headers}
    present: dict[str, int] = {}
    delivered: dict[str, str] = {}
    unknown: list[str] = []
    dropped_seen: list[str] = []
    for i, h in enumerate(headers):
        key = normalise_header(h)
        if key in wanted:
            col = wanted[key]
            if col.name in present:
                first = delivered[col.name]
                also = "" if spelled[key] == first else f", also as '{spelled[key]}'"
                raise FileRejected(f"column '{first}' appears twice in the header{also} (line 1)", 1, first)
            present[col.name] = i
            delivered[col.name] = spelled[key]
        elif key in dropped:
            dropped_seen.append(h)
        elif key:
            unknown.append(h)
    # A column the file lacks is named in the language of most of the file's headers.
    finnish = sum(1 for c in extract.columns if c.name in delivered and delivered[c.name] == c.header_fi)
    in_file = (lambda c: c.header_fi or c.header) if finnish * 2 > len(delivered) else (lambda c: c.header)
    missing = [in_file(c) for c in extract.columns if c.required and c.name not in present]
    if missing:
        raise FileRejected(f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
                           "(header, line 1)", 1, ", ".join(missing))

    if unknown:
        notes.append(f"ignored unknown columns: {', '.join(unknown)}")
    if dropped_seen:
        notes.append(f"dropped free-text columns (never stored): {', '.join(dropped_seen)}")
    absent = [in_file(c) for c in extract.columns if not c.required and c.name not in present]
    if absent:
        notes.append(f"optional columns absent: {', '.join(absent)}")
    if not transcode:
        csv_path = path
    else:
        # DuckDB reads UTF-8 (and Latin-1, which differs from Windows-1252 in 0x80-0x9F).
        csv_path = workdir / "transcoded.utf8.csv"  # never the delivered name: it may hold anything
        csv_path.write_text(text, encoding="utf-8")
    data_lines = rest.count("\n") + (0 if rest.endswith("\n") or not rest else 1)
    return PreparedFile(csv_path, encoding, len(headers), present, notes, data_lines, text, delivered)


def read_source(conn: duckdb.DuckDBPyConnection, scratch: Scratch, extract: Extract,
                prep: PreparedFile) -> Source:
    """The file's rows as text (see `Source`). Raises duckdb.Error when DuckDB cannot read it."""
    selects = []
    for c in extract.columns:
        if c.name in prep.present:
            selects.append(f"nullif(trim(c{prep.present[c.name]}), '') as \"{c.name}\"")
        else:
            selects.append(f"null::varchar as \"{c.name}\"")
    if prep.data_lines == 0 or not prep.text.partition("\n")[2].strip():
        empty = ", ".join(f"null::varchar as c{i}" for i in range(prep.n_fields))
        src = scratch.table("src", f"select {', '.join(selects)} from (select {empty}) where false")
        rejects = scratch.table("rejects", "select null::bigint as line, null::bigint as column_idx, "
                                           "null::varchar as error_type where false")
        return Source(src, rejects, 0, 0)
    src = scratch.name("src")
    rejects = scratch.name("rejects")
    rejects_scan = scratch.name("rejects_scan")
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(prep.n_fields)) + "}"
    # A row of only delimiters and spaces (Excel's phantom rows below the data) is not a record.
    not_empty = " or ".join(f"coalesce(trim(c{i}), '') <> ''" for i in range(prep.n_fields))
    # Free-text columns are never selected, so they are never materialised.
    sql = f"""create or replace temp table {src} as select {', '.join(selects)}
              from read_csv({sql_string(str(prep.csv_path))}, delim=';', quote='"', escape='"',
                            header=false, skip=1, auto_detect=false, columns={columns},
                            null_padding=true, store_rejects=true,
                            rejects_table='{rejects}', rejects_scan='{rejects_scan}'PARALLEL)
              where {not_empty}"""
    try:
        conn.execute(sql.replace("PARALLEL", ""))
    except duckdb.Error as exc:
        # DuckDB's parallel reader cannot pad short lines when a quoted field holds a line break.
        if "parallel=false" not in str(exc):
            raise
        conn.execute(f"drop table if exists {rejects}")
        conn.execute(f"drop table if exists {rejects_scan}")
        conn.execute(sql.replace("PARALLEL", ", parallel=false"))
    n_rows = conn.execute(f"select count(*) from {src}").fetchone()[0]
    # DuckDB writes one reject per error: a line with three extra fields is three. Count lines.
    n_rejects = conn.execute(f"select count(distinct line) from {rejects}").fetchone()[0]
    return Source(src, rejects, n_rows, n_rejects)


def line_numbers(conn: duckdb.DuckDBPyConnection, scratch: Scratch, prep: PreparedFile,
                 source: Source) -> LineNumbers:
    """The file line of each source row (see `LineNumbers`).

    When every physical line is one row, the line is rowid + 2. Blank lines, quoted line breaks
    and unreadable lines break that; then the lines are counted again with Python's csv module.
    """
    src, n_rows = source.table, source.n_rows
    by_rowid = f"({src}.rowid + 2)"
    reject_rows = scratch.table("reject_rows", f"select line, min(error_type) as error_type from {source.rejects} "
                                               "group by line order by line")
    if n_rows == prep.data_lines and source.n_rejects == 0:
        return LineNumbers(by_rowid, True, reject_rows, 0)
    # A line longer than the csv module's default field limit (128 KiB) would raise here; DuckDB
    # has already put such a line in the rejects table, so it only needs counting.
    csv.field_size_limit(max(csv.field_size_limit(), len(prep.text) + 1))
    reader = csv.reader(io.StringIO(prep.text), delimiter=";", quotechar='"')
    next(reader, None)
    # DuckDB drops a line over its maximum size (2 MB) into the rejects under its physical line.
    too_big = {n for (n,) in conn.execute(
        f"select line from {source.rejects} where error_type = 'LINE SIZE OVER MAXIMUM'").fetchall()}
    lines: list[int] = []
    overlong: list[int] = []
    empty_rows = 0
    last = reader.line_num
    for record in reader:
        start, last = last + 1, reader.line_num
        if start in too_big or not record:  # blank lines are skipped by DuckDB too
            continue
        if not any(f.strip() for f in record):
            empty_rows += 1  # only delimiters: dropped in read_source
        elif len(record) <= prep.n_fields:
            lines.append(start)
        else:
            overlong.append(start)
    n_rejects = source.n_rejects
    types = {t for (t,) in conn.execute(f"select error_type from {reject_rows}").fetchall()}
    if n_rejects and types <= {"TOO MANY COLUMNS"} and len(lines) == n_rows:
        # DuckDB counts records, not physical lines, once a quoted field spans lines; and a
        # phantom row with more delimiters than the header is a reject to DuckDB, not a record.
        reject_rows = scratch.arrow("reject_rows_by_line", pa.table({
            "line": pa.array(overlong, pa.int64()),
            "error_type": pa.array(["TOO MANY COLUMNS"] * len(overlong), pa.string())}))
        n_rejects = len(overlong)
    if len(lines) != n_rows:
        return LineNumbers(by_rowid, False, reject_rows, n_rejects, empty_rows)
    lines_table = scratch.arrow("lines", pa.table({"idx": pa.array(range(n_rows), pa.int64()),
                                                   "line": pa.array(lines, pa.int32())}))
    return LineNumbers(f"(select l.line from {lines_table} l where l.idx = {src}.rowid)", True, reject_rows,
                       n_rejects, empty_rows)
