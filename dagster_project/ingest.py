"""Loading the landing folder into the raw schema, enforcing the extract contracts.

One file at a time, in period order: DuckDB reads the file as text, one SQL statement converts
every value and names the rule each bad value breaks, and only personnummer go through Python
(once per distinct number, see `pseudonym.Pseudonymizer`). Rows that break a rule go to
`audit.quarantine`; every file gets a row in `audit.load_log`. Writing a file's rows, its
quarantine rows and its load-log row is one transaction.

Decisions the contracts leave open:
- A file with no header row (empty) is rejected. A file with a header and no data rows is
  loaded with zero rows (a month without incidents is real) and says so in the message;
  for org_units it is rejected, since a snapshot must have exactly one root.
- "Already loaded" means: the newest successful load of that extract and period has the same
  checksum. A file that was rejected before is tried again on every run, so a bad file keeps
  failing the refresh until it is replaced.
- org_units is a hierarchy: a duplicate code, a missing parent, a cycle or not exactly one
  root rejects the whole snapshot (the offending rows are quarantined with the reason).
- A value in a text column that is a valid personnummer is quarantined: it must not be stored.
- A column declared unique (incidents' Ärendenummer) keeps its first line; every later line
  with the same value is quarantined, naming the first line, so a case is never counted twice.
- A text value that a spreadsheet would run is quarantined (rule "no spreadsheet formulas in
  text"): '=' first, or '+', '-' or '@' directly before a function call or a DDE pipe, after
  optional whitespace, tab and CR included (`parsing.FORMULA_SHAPE`). Only text columns and
  codes nothing else constrains are checked: numbers, dates and closed code sets are parsed or
  matched first, so a negative amount never meets this rule, and "@Work AB" or "- vakant" are
  left alone. Exports neutralise every cell starting with = + - @ anyway (streamlit_app/export.py);
  this rule keeps such values out of the warehouse in the first place.
- A file whose period (from its name) is after the current month is rejected: no extract
  describes a month that has not begun, so the name is wrong or the source system's clock is.
- Whole-file problems name their place when they have one: a NUL byte, a UTF-16 file, mixed
  UTF-8 and Windows-1252 (UTF-8 letters beside bytes that are not UTF-8), CR CR LF line ends,
  the header's delimiter, a duplicated or missing column. A line DuckDB cannot read (an open
  quote at the end, a line over 2 MB) is quarantined under its line number.
- Every rejected file gets one quarantine row of its own ("file rejected: <reason>", with the
  line and column when known) beside the rows of its bad values, so audit.quarantine holds
  every rejection. Its rows are not copied into the warehouse (personnummer, free text): they
  stay in the landing file, which the loader never moves or changes, under the checksum in
  audit.load_log.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from dagster_project.config import SEEDS_DIR
from dagster_project.contracts import EXTRACTS, Column, Extract
from dagster_project.parsing import (
    FORMULA_RULE,
    PNR_SHAPE,
    FileFormatError,
    detect_encoding,
    normalise_header,
    parse_personnummer,
    InvalidPersonnummer,
    scrub,
    scrub_sql,
    split_header,
    sql_bool,
    sql_date,
    sql_decimal,
    sql_formula_like,
    sql_integer,
    sql_period,
    sql_string,
)
from dagster_project.pseudonym import Pseudonymizer, period_end

LOADED, SKIPPED, REPLACED, REJECTED = "loaded", "skipped_duplicate", "replaced", "rejected"
DEFAULT_MAX_BAD_SHARE = 0.05
FILE_NAME_RE = re.compile(r"(?P<extract>[a-z_]+)_(?P<period>\d{6})\.csv", re.IGNORECASE)


@dataclass(frozen=True)
class FileOutcome:
    file: str
    extract: str
    period: int | None
    status: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    message: str
    load_id: int


# --- warehouse ----------------------------------------------------------------------------------

def ensure_warehouse(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the raw and audit schemas and tables if they are missing."""
    conn.execute("create schema if not exists raw")
    conn.execute("create schema if not exists audit")
    for e in EXTRACTS.values():
        cols = ", ".join(f'"{n}" {t}' for n, t in e.raw_columns())
        conn.execute(f"create table if not exists {e.table} ({cols})")
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


# --- reference data -----------------------------------------------------------------------------

def seed_codes(seed: str, seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """The codes of seeds/<seed>.csv: its first column, upper-cased."""
    with open(seeds_dir / f"{seed}.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return [r[0].strip().upper() for r in rows[1:] if r and r[0].strip()]


def max_bad_share_parameter(seeds_dir: Path = SEEDS_DIR) -> float:
    """quarantine_max_bad_share_pct from seeds/parameters.csv, as a fraction."""
    path = seeds_dir / "parameters.csv"
    if path.exists():
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("parameter") == "quarantine_max_bad_share_pct" and row.get("value"):
                    return float(row["value"]) / 100
    return DEFAULT_MAX_BAD_SHARE


LINE_FIELDS_RULE = "a line has no more fields than the header"
LINE_READABLE_RULE = "a CSV line separated by ';', quotes closed, at most 2 MB (DuckDB's max_line_size)"
FUTURE_PERIOD_RULE = "a file's period must not be after the current month"


def current_period(today: date | None = None) -> int:
    """This month as YYYYMM, by the machine's local date."""
    today = today or date.today()
    return today.year * 100 + today.month


def _period_date(period: int | None) -> date | None:
    return date(period // 100, period % 100, 1) if period else None


# --- one file ------------------------------------------------------------------------------------

@dataclass
class _Prepared:
    csv_path: Path  # UTF-8 file DuckDB reads (the original, or a transcoded copy)
    encoding: str
    n_fields: int
    present: dict[str, int]  # raw column name -> field index in the file
    notes: list[str]
    data_lines: int  # physical lines after the header
    text: str


class _Rejected(Exception):
    """The file is rejected as a whole; the message is safe to store and show. `line` and
    `column` say where, when the problem has a place in the file."""

    def __init__(self, message: str, line: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def _position(extract: Extract, data: bytes, offset: int) -> tuple[int, str | None, str]:
    """(line, column header, ' at line L, column C') of the byte at `offset`.

    The column is counted by semicolons on the line, ignoring quotes: good enough to point at
    the place of a bad byte, which is all it is used for.
    """
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    field = data.count(b";", line_start, offset)
    first = data.split(b"\n", 1)[0]
    try:
        header = first.decode("utf-8")
    except UnicodeDecodeError:
        header = first.decode("cp1252", errors="replace")
    header = header.rstrip("\r").split(";")
    contract = {normalise_header(c.header): c.header for c in extract.columns}
    column = contract.get(normalise_header(header[field])) if field < len(header) else None
    where = f" (line {line}" + (f", column {column})" if column else ")")
    return line, column, where


def _prepare(extract: Extract, path: Path, data: bytes, workdir: Path) -> _Prepared:
    try:
        encoding = detect_encoding(data)
    except FileFormatError as exc:
        if exc.offset is None:
            raise _Rejected(str(exc)) from None
        line, column, where = _position(extract, data, exc.offset)
        raise _Rejected(f"{exc}{where}", line, column) from None
    text = data.decode(encoding)
    if not text.strip():
        raise _Rejected("the file is empty (no header row)", 1)
    doubled = text.find("\r\r\n")
    if doubled >= 0:
        # DuckDB's reader stops on these with a state-machine error that names no line.
        line = text.count("\n", 0, doubled) + 1
        raise _Rejected(f"line {line} ends with CR CR LF (line endings converted twice); "
                        "rule: lines end with LF or CR LF", line)
    header_line, _, rest = text.partition("\n")
    try:
        headers = split_header(header_line.rstrip("\r"))
    except FileFormatError as exc:
        raise _Rejected(f"{exc} (line 1)", 1) from None

    wanted = {normalise_header(c.header): c for c in extract.columns}
    dropped = {normalise_header(h) for h in extract.dropped_headers}
    present: dict[str, int] = {}
    unknown: list[str] = []
    dropped_seen: list[str] = []
    for i, h in enumerate(headers):
        key = normalise_header(h)
        if key in wanted:
            col = wanted[key]
            if col.name in present:
                raise _Rejected(f"column '{col.header}' appears twice in the header (line 1)", 1, col.header)
            present[col.name] = i
        elif key in dropped:
            dropped_seen.append(h)
        elif key:
            unknown.append(h)
    missing = [c.header for c in extract.columns if c.required and c.name not in present]
    if missing:
        raise _Rejected(f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
                        "(header, line 1)", 1, ", ".join(missing))

    notes = []
    if unknown:
        notes.append(f"ignored unknown columns: {', '.join(unknown)}")
    if dropped_seen:
        notes.append(f"dropped free-text columns (never stored): {', '.join(dropped_seen)}")
    absent = [c.header for c in extract.columns if not c.required and c.name not in present]
    if absent:
        notes.append(f"optional columns absent: {', '.join(absent)}")
    if encoding != "cp1252":
        csv_path = path
    else:
        # DuckDB reads UTF-8 (and Latin-1, which differs from Windows-1252 in 0x80-0x9F).
        csv_path = workdir / f"{path.stem}.utf8.csv"
        csv_path.write_text(text, encoding="utf-8")
    data_lines = rest.count("\n") + (0 if rest.endswith("\n") or not rest else 1)
    return _Prepared(csv_path, encoding, len(headers), present, notes, data_lines, text)


def _read_source(conn: duckdb.DuckDBPyConnection, extract: Extract, prep: _Prepared) -> None:
    """_src: one VARCHAR column per contract column (trimmed, '' as NULL), in file order."""
    conn.execute("drop table if exists _rejects")
    conn.execute("drop table if exists _rejects_scan")
    selects = []
    for c in extract.columns:
        if c.name in prep.present:
            selects.append(f"nullif(trim(c{prep.present[c.name]}), '') as \"{c.name}\"")
        else:
            selects.append(f"null::varchar as \"{c.name}\"")
    if prep.data_lines == 0 or not prep.text.partition("\n")[2].strip():
        conn.execute(f"create or replace temp table _src as select {', '.join(selects)} "
                     f"from (select {', '.join(f'null::varchar as c{i}' for i in range(prep.n_fields))}) where false")
        conn.execute("create temp table _rejects (line bigint, column_idx bigint, error_type varchar)")
        conn.execute("create or replace temp table _reject_rows as select line, error_type from _rejects")
        return
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(prep.n_fields)) + "}"
    # Free-text columns are never selected, so they are never materialised.
    sql = f"""create or replace temp table _src as select {', '.join(selects)}
              from read_csv({sql_string(str(prep.csv_path))}, delim=';', quote='"', escape='"',
                            header=false, skip=1, auto_detect=false, columns={columns},
                            null_padding=true, store_rejects=true,
                            rejects_table='_rejects', rejects_scan='_rejects_scan'PARALLEL)"""
    try:
        conn.execute(sql.replace("PARALLEL", ""))
    except duckdb.Error as exc:
        # DuckDB's parallel reader cannot pad short lines when a quoted field holds a line break.
        if "parallel=false" not in str(exc):
            raise
        conn.execute("drop table if exists _rejects")
        conn.execute("drop table if exists _rejects_scan")
        conn.execute(sql.replace("PARALLEL", ", parallel=false"))


def _line_numbers(conn: duckdb.DuckDBPyConnection, prep: _Prepared, n_rows: int, n_rejects: int) -> tuple[str, bool]:
    """SQL for the 1-based file line of _src's row, and whether it is exact.

    When every physical line is one row, the line is rowid + 2. Blank lines, quoted line breaks
    and unreadable lines break that; then the lines are counted again with Python's csv module.
    """
    conn.execute("create or replace temp table _reject_rows as select line, error_type from _rejects")
    if n_rows == prep.data_lines and n_rejects == 0:
        return "(_src.rowid + 2)", True
    # A line longer than the csv module's default field limit (128 KiB) would raise here; DuckDB
    # has already put such a line in _rejects, so it only needs counting.
    csv.field_size_limit(max(csv.field_size_limit(), len(prep.text) + 1))
    reader = csv.reader(io.StringIO(prep.text), delimiter=";", quotechar='"')
    next(reader, None)
    # DuckDB drops a line over its maximum size (2 MB) into _rejects under its physical line.
    too_big = {n for (n,) in conn.execute(
        "select line from _rejects where error_type = 'LINE SIZE OVER MAXIMUM'").fetchall()}
    lines: list[int] = []
    overlong: list[int] = []
    last = reader.line_num
    for record in reader:
        start, last = last + 1, reader.line_num
        if start in too_big:
            continue
        if record and len(record) <= prep.n_fields:
            lines.append(start)
        elif record:
            overlong.append(start)
    if len(lines) != n_rows:
        return "(_src.rowid + 2)", False
    types = [t for (t,) in conn.execute("select error_type from _rejects order by line").fetchall()]
    if len(overlong) == len(types) and set(types) <= {"TOO MANY COLUMNS"}:
        # DuckDB counts records, not physical lines, once a quoted field spans lines.
        conn.execute("create or replace temp table _reject_rows (line bigint, error_type varchar)")
        conn.executemany("insert into _reject_rows values (?, 'TOO MANY COLUMNS')", [[n] for n in overlong])
    conn.register("_lines_arrow", pa.table({"idx": pa.array(range(n_rows), pa.int64()),
                                            "line": pa.array(lines, pa.int32())}))
    conn.execute("create or replace temp table _lines as select * from _lines_arrow")
    conn.unregister("_lines_arrow")
    return "(select l.line from _lines l where l.idx = _src.rowid)", True


def _person_map(conn: duckdb.DuckDBPyConnection, column: str, period: int, pseudonyms: Pseudonymizer) -> None:
    raws = [r[0] for r in conn.execute(f'select distinct "{column}" from _src where "{column}" is not null').fetchall()]
    fields = [pseudonyms.fields(r, period) for r in raws]
    conn.register("_pnr_arrow", pa.table({
        "raw": pa.array(raws, pa.string()),
        "person_key": pa.array([f.person_key for f in fields], pa.string()),
        "birth_year": pa.array([f.birth_year for f in fields], pa.int32()),
        "legal_gender": pa.array([f.legal_gender for f in fields], pa.string()),
        "masked": pa.array([f.masked for f in fields], pa.string()),
        "error": pa.array([f.error for f in fields], pa.string()),
    }))
    conn.execute("create or replace temp table _pnr as select * from _pnr_arrow")
    conn.unregister("_pnr_arrow")


def _looks_like_personnummer(value: str, period: int) -> bool:
    for m in re.finditer(r"(?<!\d)(\d{8}|\d{6})([-+]?)(\d{4})(?!\d)", value):
        try:
            parse_personnummer(m.group(0), period_end(period))
            return True
        except InvalidPersonnummer:
            continue
    return False


def _text_guard(conn: duckdb.DuckDBPyConnection, extract: Extract, period: int) -> None:
    """_pnr_like: text values that hold a valid personnummer (rare; checked in Python)."""
    found: set[str] = set()
    for c in extract.columns:
        if c.kind == "text":
            for (v,) in conn.execute(
                f"""select distinct "{c.name}" from _src where regexp_matches("{c.name}", '{PNR_SHAPE}')"""
            ).fetchall():
                if _looks_like_personnummer(v, period):
                    found.add(v)
    conn.execute("create or replace temp table _pnr_like (value varchar)")
    if found:
        conn.executemany("insert into _pnr_like values (?)", [[v] for v in sorted(found)])


_TYPE_PROBLEMS = {
    "period": "not a period YYYYMM",
    "decimal": "not a decimal number",
    "integer": "not an integer",
    "date": "not a valid date (YYYY-MM-DD or YYYYMMDD)",
    "bool": "not J or N (Ja/Nej, 1/0)",
}


def _typed_expr(c: Column, v: str) -> str:
    return {
        "period": sql_period,
        "decimal": sql_decimal,
        "integer": sql_integer,
        "date": sql_date,
        "bool": sql_bool,
        # Closed sets and seed codes compare upper-cased; other codes (org units) stay as delivered.
        "code": (lambda x: f"upper({x})") if (c.allowed or c.code_seed) else (lambda x: x),
        "text": lambda x: x,
        "org_unit": lambda x: x,
    }[c.kind](v)


def _reason_expr(c: Column, v: str, t: str, period: int, units_known: bool) -> str:
    """CASE expression giving the first rule column `c` breaks in a row, or NULL."""
    cases: list[tuple[str, str]] = []
    if c.required:
        cases.append((f"{v} is null", sql_string("required value is missing")))
    if c.kind == "personnummer":
        cases.append(("_pnr_error is not null", "_pnr_error"))
    elif c.kind in _TYPE_PROBLEMS:
        cases.append((f"{v} is not null and {t} is null", sql_string(_TYPE_PROBLEMS[c.kind])))
    if c.name == "period":
        cases.append((f"{t} <> {period}",
                      f"'row is for period ' || {t} || ', the file name says {period}'"))
    if c.min_value is not None:
        op = "<=" if c.min_exclusive else "<"
        cases.append((f"{t} {op} {c.min_value}", sql_string("out of range")))
    if c.max_value is not None:
        cases.append((f"{t} > {c.max_value}", sql_string("out of range")))
    if c.allowed:
        cases.append((f"{t} not in ({', '.join(sql_string(a) for a in c.allowed)})", sql_string("unknown value")))
    if c.code_seed:
        cases.append((f"{t} not in (select code from _seed_{c.code_seed})",
                      sql_string(f"unknown code, not in seeds/{c.code_seed}.csv")))
    if c.kind == "org_unit":
        problem = (f"unknown Kostnadsställe, not in the org_units snapshot of {period}" if units_known
                   else f"unknown Kostnadsställe: no org_units snapshot is loaded for {period}")
        cases.append((f"{t} not in (select kostnadsstalle from _units)", sql_string(problem)))
    if c.kind == "text":
        cases.append((f"{v} in (select value from _pnr_like)",
                      sql_string("holds a personnummer, which must never be stored")))
    if c.unique:
        # The first line keeps the value; every later one is quarantined, pointing back to it.
        first = f"min(_line) over (partition by {v})"
        cases.append((f"{v} is not null and _line > {first}",
                      f"'appears more than once in the file, first on line ' || {first}"))
    whens = [f"when {cond} then {msg} || {sql_string(f'; rule: {c.rule}')}" for cond, msg in cases]
    if is_free_text(c):
        # A rule of every text column, not of this one: the reason names it instead of c.rule.
        whens.append(f"when {sql_formula_like(v)} then "
                     f"{sql_string(f'starts like a spreadsheet formula; rule: {FORMULA_RULE}')}")
    if not whens:
        return "null::varchar"
    return f"case {' '.join(whens)} end"


def is_free_text(c: Column) -> bool:
    """Columns whose values are not checked against a type, a closed set or a seed: text, and
    codes nothing else constrains (org_units' own Kostnadsställe and Överordnad)."""
    return c.kind == "text" or (c.kind == "code" and not c.allowed and not c.code_seed)


def _delivered(c: Column) -> str:
    """The column of _converted holding `c`'s value as delivered (trimmed). Only converted kinds
    keep a separate copy; a personnummer is only ever available masked."""
    if c.kind == "personnummer":
        return "_pnr_masked"
    return f'"v__{c.name}"' if c.kind in _TYPE_PROBLEMS else f'"{c.name}"'


def _build_typed(conn: duckdb.DuckDBPyConnection, extract: Extract, period: int, line_sql: str,
                 units_known: bool) -> None:
    pnr = next((c for c in extract.columns if c.kind == "personnummer"), None)
    raw_cols = ", ".join(f'_src."{c.name}" as "v__{c.name}"' for c in extract.columns)
    kept = ", ".join(f'v."v__{c.name}"' for c in extract.columns if c.kind in _TYPE_PROBLEMS)
    typed_cols = []
    for c in extract.columns:
        if c.kind == "personnummer":
            typed_cols += ["_pnr.person_key", "_pnr.birth_year", "_pnr.legal_gender",
                           "_pnr.masked as _pnr_masked", "_pnr.error as _pnr_error"]
        else:
            raw = f'"v__{c.name}"'
            typed_cols.append(f'{_typed_expr(c, raw)} as "{c.name}"')
    join = f'left join _pnr on _pnr.raw = v."v__{pnr.name}"' if pnr else ""
    reasons = [_reason_expr(c, _delivered(c), f'"{c.name}"', period, units_known) + f' as "r__{c.name}"'
               for c in extract.columns]
    reasons += [f"case when not coalesce(({r.sql}), true) then {sql_string(r.rule)} end as \"rr__{i}\""
                for i, r in enumerate(extract.row_rules)]
    flags = [f'"r__{c.name}" is not null' for c in extract.columns]
    flags += [f'"rr__{i}" is not null' for i in range(len(extract.row_rules))]
    # Converted values are stored once, so the checks that read them do not convert again.
    conn.execute(
        f"""create or replace temp view _converted as
            with v as (select {line_sql} as _line, {raw_cols} from _src)
            select v._line, {kept + ', ' if kept else ''}{', '.join(typed_cols)} from v {join}"""
    )
    conn.execute(
        f"""create or replace temp view _typed as
            with r as (select *, {', '.join(reasons)} from _converted)
            select *, ({' or '.join(flags)}) as _bad from r"""
    )


def _quarantine_select(extract: Extract) -> str:
    """Rows of (line, column header, masked value, reason) for every bad value in _typed."""
    parts = []
    for c in extract.columns:
        value = "_pnr_masked" if c.kind == "personnummer" else scrub_sql(_delivered(c))
        parts.append(f"""select _line, {sql_string(c.header)}, {value}, "r__{c.name}"
                         from _typed where "r__{c.name}" is not null""")
    for i, r in enumerate(extract.row_rules):
        col = extract.column(r.column)
        value = scrub_sql(_delivered(col))
        parts.append(f"""select _line, {sql_string(col.header)}, {value}, "rr__{i}"
                         from _typed where "rr__{i}" is not null""")
    parts.append(f"""select line, null, null,
                           case when error_type = 'TOO MANY COLUMNS'
                                then 'the line has more fields than the header; rule: ' || {sql_string(LINE_FIELDS_RULE)}
                                else 'the line cannot be read (' || lower(error_type) || '); rule: '
                                     || {sql_string(LINE_READABLE_RULE)} end
                    from _reject_rows""")
    return " union all ".join(parts)


def _org_unit_problems(conn: duckdb.DuckDBPyConnection, load_id: int) -> tuple[list[tuple[int, str, str, str]], list[str]]:
    """Structural problems of the org_units snapshot just inserted (not yet committed):
    (line, column, value, reason) rows and file-level messages. Any problem rejects it."""
    rows = conn.execute(
        "select _source_line, kostnadsstalle, overordnad from raw.org_units where _load_id = ? order by 1",
        [load_id]).fetchall()
    bad: list[tuple[int, str, str, str]] = []
    messages: list[str] = []
    seen: dict[str, int] = {}
    for line, code, _parent in rows:
        seen[code] = seen.get(code, 0) + 1
    dups = sorted(c for c, n in seen.items() if n > 1)
    for line, code, _parent in rows:
        if seen[code] > 1:
            bad.append((line, "Kostnadsställe", code, "Kostnadsställe appears more than once in the snapshot; "
                                                      "rule: required, unique per Period"))
    if dups:
        messages.append(f"duplicate Kostnadsställe: {', '.join(dups[:10])}")
    parent_of = {code: parent for _line, code, parent in rows}
    roots = sorted(c for c, p in parent_of.items() if p is None)
    if len(roots) != 1:
        messages.append("no root unit (a unit with empty Överordnad)" if not roots
                        else f"more than one root unit: {', '.join(roots[:10])}")
    for line, code, parent in rows:
        if parent is not None and parent not in parent_of:
            bad.append((line, "Överordnad", parent, "parent is not a unit of this snapshot; rule: parent code; "
                                                    "empty only for the root; no cycles"))
            messages.append(f"Överordnad {parent} of {code} is not in the snapshot")
    # Cycle: following parents from a unit comes back to a unit already on the path.
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles: list[list[str]] = []
    for start in parent_of:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and state.get(node) != 2:
            if state.get(node) == 1:
                cycles.append(path[path.index(node):] + [node])
                break
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        for n in path:
            state[n] = 2
    line_of = {code: line for line, code, _p in rows}
    for cycle in cycles:
        messages.append(f"cycle in Överordnad: {' -> '.join(cycle)}")
        for code in cycle[:-1]:
            bad.append((line_of[code], "Överordnad", parent_of[code],
                        f"part of the cycle {' -> '.join(cycle)}; rule: no cycles"))
    return bad, messages


class _Loader:
    def __init__(self, conn: duckdb.DuckDBPyConnection, extract: Extract, *, key: bytes,
                 max_bad_share: float, force_periods: set[int], pseudonyms: Pseudonymizer,
                 workdir: Path) -> None:
        self.conn = conn
        self.extract = extract
        self.max_bad_share = max_bad_share
        self.force_periods = force_periods
        self.pseudonyms = pseudonyms
        self.workdir = workdir

    def _log(self, load_id: int, path: Path, checksum: str | None, period: int | None, status: str,
             read: int, loaded: int, quarantined: int, message: str, started: datetime) -> FileOutcome:
        message = scrub(message)
        self.conn.execute(
            "insert into audit.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, path.name, str(path), checksum, self.extract.name, _period_date(period), read, loaded,
             quarantined, status, message, started, datetime.now()],
        )
        return FileOutcome(path.name, self.extract.name, period, status, read, loaded, quarantined, message, load_id)

    def _reject(self, load_id: int, path: Path, checksum: str | None, period: int | None, reason: str,
                started: datetime, read: int = 0, quarantined: int = 0, with_quarantine: bool = False,
                extra: list[tuple[int, str, str, str]] = (), line: int | None = None,
                column: str | None = None) -> FileOutcome:
        """Log the file as rejected. Its bad rows (with_quarantine) and one row for the file
        itself go to audit.quarantine, so every rejection is there with its reason; the file's
        rows stay in the landing file, whose checksum the load log keeps."""
        self.conn.execute("begin transaction")
        try:
            if with_quarantine:
                self._insert_quarantine(load_id, path, period, extra)
            self.conn.execute("insert into audit.quarantine values (?, ?, ?, ?, ?, ?, null, ?)",
                              [load_id, self.extract.name, _period_date(period), path.name, line, column,
                               scrub(f"file rejected: {reason}")])
            out = self._log(load_id, path, checksum, period, REJECTED, read, 0, quarantined,
                            f"{path.name}: rejected: {reason}", started)
            self.conn.execute("commit")
        except Exception:
            self.conn.execute("rollback")
            raise
        return out

    def _insert_quarantine(self, load_id: int, path: Path, period: int | None,
                           extra: list[tuple[int, str, str, str]]) -> int:
        """Quarantine every bad value of _typed (and `extra` rows); returns the count."""
        head = [load_id, self.extract.name, _period_date(period), path.name]
        n = self.conn.execute(
            f"""insert into audit.quarantine
                select ?, ?, ?, ?, q.* from ({_quarantine_select(self.extract)}) q""", head).fetchone()[0]
        if extra:
            self.conn.executemany("insert into audit.quarantine values (?, ?, ?, ?, ?, ?, ?, ?)",
                                  [head + [line, col, scrub(value), scrub(reason)]
                                   for line, col, value, reason in extra])
        return n + len(extra)

    def load_file(self, path: Path) -> FileOutcome:
        started = datetime.now()
        conn = self.conn
        load_id = conn.execute("select nextval('audit.load_id_seq')").fetchone()[0]
        data = path.read_bytes()
        checksum = hashlib.sha256(data).hexdigest()
        m = FILE_NAME_RE.fullmatch(path.name)
        if not m or m["extract"].lower() != self.extract.name or not 1 <= int(m["period"]) % 100 <= 12:
            return self._reject(load_id, path, checksum, None,
                                f"the file name must be {self.extract.name}_YYYYMM.csv", started)
        period = int(m["period"])
        if period > current_period():
            return self._reject(load_id, path, checksum, period,
                                f"period {period} (from the file name) is after the current month "
                                f"{current_period()}; rule: {FUTURE_PERIOD_RULE}", started)
        previous = conn.execute(
            """select checksum, load_id from audit.load_log
               where extract = ? and period = ? and status in ('loaded', 'replaced')
               order by load_id desc limit 1""",
            [self.extract.name, _period_date(period)],
        ).fetchone()
        if previous and previous[0] == checksum and period not in self.force_periods:
            return self._log(load_id, path, checksum, period, SKIPPED, 0, 0, 0,
                             f"same checksum as load {previous[1]}: nothing to do", started)
        try:
            prep = _prepare(self.extract, path, data, self.workdir)
            _read_source(conn, self.extract, prep)
        except _Rejected as exc:
            return self._reject(load_id, path, checksum, period, str(exc), started, line=exc.line,
                                column=exc.column)
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return self._reject(load_id, path, checksum, period, f"unreadable CSV: {first}", started)
        return self._load_prepared(load_id, path, checksum, period, prep, previous, started)

    def _load_prepared(self, load_id: int, path: Path, checksum: str, period: int, prep: _Prepared,
                       previous: tuple | None, started: datetime) -> FileOutcome:
        conn, extract = self.conn, self.extract
        n_rows = conn.execute("select count(*) from _src").fetchone()[0]
        n_rejects = conn.execute("select count(*) from _rejects").fetchone()[0]
        line_sql, exact = _line_numbers(conn, prep, n_rows, n_rejects)
        notes = list(prep.notes)
        if not exact:
            notes.append("line numbers are approximate (blank lines or quoted line breaks)")
        if n_rows + n_rejects == 0:
            notes.append("header only: no data rows")
        pnr = next((c for c in extract.columns if c.kind == "personnummer"), None)
        if pnr:
            _person_map(conn, pnr.name, period, self.pseudonyms)
        _text_guard(conn, extract, period)
        units_known = True
        if any(c.kind == "org_unit" for c in extract.columns):
            conn.execute("create or replace temp table _units as "
                         "select distinct kostnadsstalle from raw.org_units where period = ?", [period])
            units_known = conn.execute("select count(*) from _units").fetchone()[0] > 0
        _build_typed(conn, extract, period, line_sql, units_known)
        rows_read = n_rows + n_rejects

        # Insert first and count: the contract checks run once, in the insert. A file that
        # turns out to be rejected is rolled back before anything of it is committed.
        cols = [n for n, _t in extract.raw_columns()]
        selected = [f'"{n}"' for n in cols[:-3]] + [str(load_id), sql_string(path.name), "_line"]
        conn.execute("begin transaction")
        try:
            deleted = conn.execute(f"delete from {extract.table} where period = ?", [period]).fetchone()[0]
            loaded = conn.execute(
                f"""insert into {extract.table} ({', '.join(f'"{n}"' for n in cols)})
                    select {', '.join(selected)} from _typed where not _bad"""
            ).fetchone()[0]
            bad_rows = rows_read - loaded
            problems: list[str] = []
            extra: list[tuple[int, str, str, str]] = []
            if extract.name == "org_units":
                extra, problems = _org_unit_problems(conn, load_id)
                if rows_read == 0:
                    problems = ["the snapshot has no units"]
            share = bad_rows / rows_read if rows_read else 0.0
            if share > self.max_bad_share:
                problems.insert(0, f"{bad_rows} of {rows_read} rows ({share:.1%}) break the contract, more than "
                                   f"the allowed {self.max_bad_share:.1%}; nothing of the file was loaded")
            if problems:
                conn.execute("rollback")
            else:
                n_problems = self._insert_quarantine(load_id, path, period, []) if bad_rows else 0
                status = REPLACED if previous or deleted else LOADED
                summary = f"{loaded} rows loaded"
                if bad_rows:
                    summary += f", {bad_rows} rows quarantined ({n_problems} problems)"
                if status == REPLACED:
                    summary += f"; replaced {deleted} rows of period {period}" + (
                        f" from load {previous[1]}" if previous else "")
                out = self._log(load_id, path, checksum, period, status, rows_read, loaded, bad_rows,
                                "; ".join([summary] + notes), started)
                conn.execute("commit")
                return out
        except Exception:
            conn.execute("rollback")
            raise
        extra_lines = {e[0] for e in extra}
        bad_lines = {r[0] for r in conn.execute("select _line from _typed where _bad").fetchall()}
        return self._reject(load_id, path, checksum, period, "; ".join(problems + notes), started,
                            read=rows_read, quarantined=len(bad_lines | extra_lines) + n_rejects,
                            with_quarantine=True, extra=extra)


def landing_files(extract_name: str, landing_dir: Path) -> list[Path]:
    """The extract's CSV files in period order (files with other names sort last)."""
    folder = Path(landing_dir) / extract_name

    def order(p: Path) -> tuple[bool, int, str]:
        m = FILE_NAME_RE.fullmatch(p.name)
        return (m is None, int(m["period"]) if m else 0, p.name)

    return sorted((p for p in folder.glob("*") if p.is_file() and p.suffix.lower() == ".csv"), key=order)


def load_extract(conn: duckdb.DuckDBPyConnection, extract_name: str, landing_dir: Path, *, key: bytes,
                 max_bad_share: float | None = None, force_periods: set[int] | None = None,
                 pseudonyms: Pseudonymizer | None = None) -> list[FileOutcome]:
    """Load every new or changed file of one extract; see the module docstring for the rules.

    `max_bad_share` is a fraction (0.05 = 5 %), by default quarantine_max_bad_share_pct from
    seeds/parameters.csv. `force_periods` (YYYYMM) re-loads those months even when unchanged.
    """
    extract = EXTRACTS[extract_name]
    ensure_warehouse(conn)
    for seed in {c.code_seed for c in extract.columns if c.code_seed}:
        conn.execute(f"create or replace temp table _seed_{seed} as select unnest(?::varchar[]) as code",
                     [seed_codes(seed)])
    share = max_bad_share_parameter() if max_bad_share is None else max_bad_share
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="hrkpi-ingest-") as tmp:
        loader = _Loader(conn, extract, key=key, max_bad_share=share, force_periods=set(force_periods or ()),
                         pseudonyms=pseudonyms or Pseudonymizer(key), workdir=Path(tmp))
        for path in landing_files(extract_name, landing_dir):
            outcomes.append(loader.load_file(path))
            for f in Path(tmp).iterdir():
                f.unlink()
    conn.execute("drop view if exists _typed")
    conn.execute("drop view if exists _converted")
    for t in ("_src", "_pnr", "_pnr_like", "_units", "_lines", "_rejects", "_rejects_scan", "_reject_rows"):
        conn.execute(f"drop table if exists {t}")
    return outcomes
