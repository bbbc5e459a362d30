"""The loader: which files to load, in what order, and one transaction per file writing its
rows, its quarantine rows and its load-log row. See the package docstring for the rules."""

from __future__ import annotations

import csv
import hashlib
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from dagster_project.audit import ensure_audit_tables, ensure_completeness_view
from dagster_project.config import SEEDS_DIR
from dagster_project.contracts import EXTRACTS, Extract
from dagster_project.ingest.files import FileRejected, PreparedFile, Source, line_numbers, prepare, read_source
from dagster_project.ingest.org_tree import BadValue, org_unit_problems
from dagster_project.ingest.person_ids import person_map, temporary_id_rows, text_guard
from dagster_project.ingest.reach import replaced_reach
from dagster_project.ingest.rules import References, build_typed, quarantine_select, seed_tables
from dagster_project.ingest.scratch import Scratch
from dagster_project.parsing import display_name, escape_controls, scrub, scrub_sql, sql_string
from dagster_project.pseudonym import Pseudonymizer
from hrkpi_config import PROFILES

LOADED, SKIPPED, REPLACED, REJECTED = "loaded", "skipped_duplicate", "replaced", "rejected"
IGNORED = "ignored"  # not a delivery (a lock file): reported, never loaded nor logged
# Files office tools leave beside the real ones: Excel's lock file of an open workbook and
# macOS's resource forks on a shared drive.
IGNORED_PREFIXES = {"~$": "an Excel lock file (the workbook is open somewhere)",
                    "._": "a macOS resource-fork file"}
DEFAULT_MAX_BAD_SHARE = 0.05
DEFAULT_REPLACEMENT_MIN_SHARE = 0.5
FILE_NAME_RE = re.compile(r"(?P<extract>[a-z_]+)_(?P<period>\d{6})\.csv", re.IGNORECASE)
FUTURE_PERIOD_RULE = "a file's period must not be after the current month"


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
    """Create the raw tables (one per extract) and the audit schema if they are missing."""
    conn.execute("create schema if not exists raw")
    for e in EXTRACTS.values():
        cols = ", ".join(f'"{n}" {t}' for n, t in e.raw_columns())
        conn.execute(f"create table if not exists {e.table} ({cols})")
    ensure_audit_tables(conn)
    _ensure_deliveries(conn)
    ensure_completeness_view(conn)


def _ensure_deliveries(conn: duckdb.DuckDBPyConnection) -> None:
    """raw.deliveries: the file each extract's month was last loaded from and its row count. A
    header-only file leaves no row in the extract's table but is a delivery all the same: it
    says the month has none (completeness, int_months)."""
    exists = conn.execute("select count(*) from information_schema.tables "
                          "where table_schema = 'raw' and table_name = 'deliveries'").fetchone()[0]
    conn.execute("""create table if not exists raw.deliveries (
                        extract varchar not null, period integer not null,
                        _load_id bigint not null, rows_loaded bigint not null)""")
    if not exists:  # a build database from before the table: its load log says the same
        conn.execute(
            """insert into raw.deliveries
               select extract, cast(strftime(period, '%Y%m') as integer), load_id, rows_loaded from (
                   select *, row_number() over (partition by extract, period order by finished_at desc) as rn
                   from audit.load_log where status in ('loaded', 'replaced') and period is not null)
               where rn = 1""")


# --- parameters and periods ---------------------------------------------------------------------

def _parameter(name: str, default: float, seeds_dir: Path = SEEDS_DIR) -> float:
    """A year-independent value from seeds/parameters.csv."""
    path = seeds_dir / "parameters.csv"
    if path.exists():
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("parameter") == name and row.get("value"):
                    return float(row["value"])
    return default


def _parameter_pct(name: str, default: float, seeds_dir: Path) -> float:
    """A year-independent percentage from seeds/parameters.csv, as a fraction."""
    return _parameter(name, default * 100, seeds_dir) / 100


def max_bad_share_parameter(seeds_dir: Path = SEEDS_DIR) -> float:
    """quarantine_max_bad_share_pct from seeds/parameters.csv, as a fraction."""
    return _parameter_pct("quarantine_max_bad_share_pct", DEFAULT_MAX_BAD_SHARE, seeds_dir)


def replacement_min_share_parameter(seeds_dir: Path = SEEDS_DIR) -> float:
    """replacement_min_rows_pct from seeds/parameters.csv, as a fraction."""
    return _parameter_pct("replacement_min_rows_pct", DEFAULT_REPLACEMENT_MIN_SHARE, seeds_dir)


def current_period(today: date | None = None) -> int:
    """This month as YYYYMM, by the machine's local date."""
    today = today or date.today()
    return today.year * 100 + today.month


def _period_date(period: int | None) -> date | None:
    return date(period // 100, period % 100, 1) if period else None


# --- one file ------------------------------------------------------------------------------------

class _Loader:
    """Loads the files of one extract; `seeds` are the extract's seed-code tables, `workdir`
    a folder for a file's transcoded copy while DuckDB reads it."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, extract: Extract, *, max_bad_share: float,
                 force_periods: set[int], pseudonyms: Pseudonymizer, seeds: dict[str, str],
                 workdir: Path) -> None:
        self.conn = conn
        self.extract = extract
        self.max_bad_share = max_bad_share
        self.force_periods = force_periods
        self.pseudonyms = pseudonyms
        # The profile whose person ids the pseudonymizer takes (HRKPI_PROFILE, or a test's
        # explicit choice) is the profile whose currency the amounts are in.
        self.currency = next(p.currency for p in PROFILES.values() if p.person_id == pseudonyms.person_id)
        self.seeds = seeds
        self.workdir = workdir

    def _log(self, load_id: int, path: Path, checksum: str | None, period: int | None, status: str,
             read: int, loaded: int, quarantined: int, message: str, started: datetime) -> FileOutcome:
        message = escape_controls(scrub(message))
        name = display_name(path.name)
        self.conn.execute(
            "insert into audit.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, name, display_name(str(path)), checksum, self.extract.name, _period_date(period), read, loaded,
             quarantined, status, message, started, datetime.now()],
        )
        return FileOutcome(name, self.extract.name, period, status, read, loaded, quarantined, message, load_id)

    def _reject(self, load_id: int, path: Path, checksum: str | None, period: int | None, reason: str,
                started: datetime, read: int = 0, quarantined: int = 0, bad_values: str | None = None,
                extra: list[BadValue] = (), line: int | None = None, column: str | None = None) -> FileOutcome:
        """Log the file as rejected. Its bad values (the `bad_values` select, and `extra`) and one
        row for the file itself go to audit.quarantine, so every rejection is there with its
        reason; the file's rows stay in the landing file, whose checksum the load log keeps."""
        message = f"{display_name(path.name)}: rejected: {reason}"
        # The same bytes rejected for the same reason before: its quarantine rows are there
        # already, and a retry on every refresh must not pile up copies of them.
        before = self.conn.execute(
            """select min(load_id) from audit.load_log where extract = ? and file_name = ? and checksum = ?
               and status = 'rejected' and (message = ? or starts_with(message, ? || ' (as in load '))""",
            [self.extract.name, display_name(path.name), checksum, escape_controls(scrub(message)),
             escape_controls(scrub(message))]).fetchone()[0] if checksum else None
        self.conn.execute("begin transaction")
        try:
            if before is not None:
                message += f" (as in load {before}, whose quarantine rows say why)"
            else:
                if bad_values is not None:
                    self._insert_quarantine(load_id, path, period, bad_values, extra)
                self.conn.execute("insert into audit.quarantine values (?, ?, ?, ?, ?, ?, null, ?)",
                                  [load_id, self.extract.name, _period_date(period), display_name(path.name), line,
                                   column, escape_controls(scrub(f"file rejected: {reason}"))])
            out = self._log(load_id, path, checksum, period, REJECTED, read, 0, quarantined, message, started)
            self.conn.execute("commit")
        except Exception:
            self.conn.execute("rollback")
            raise
        return out

    def _insert_quarantine(self, load_id: int, path: Path, period: int | None, bad_values: str,
                           extra: list[BadValue]) -> int:
        """Quarantine the rows of the `bad_values` select (and `extra` rows); returns the count."""
        head = [load_id, self.extract.name, _period_date(period), display_name(path.name)]
        n = self.conn.execute(
            f"""insert into audit.quarantine
                select ?, ?, ?, ?, q.* from ({bad_values}) q""", head).fetchone()[0]
        if extra:
            self.conn.executemany("insert into audit.quarantine values (?, ?, ?, ?, ?, ?, ?, ?)",
                                  [head + [line, col, scrub(value), scrub(reason)]
                                   for line, col, value, reason in extra])
        return n + len(extra)

    def load_file(self, path: Path, landing_dir: Path, twin: Path | None = None) -> FileOutcome:
        started = datetime.now()
        conn = self.conn
        load_id = conn.execute("select nextval('audit.load_id_seq')").fetchone()[0]
        problem = _not_a_landing_file(path, landing_dir)
        if problem:
            return self._reject(load_id, path, None, None, problem, started)
        try:
            data = path.read_bytes()
        except PermissionError:
            return self._reject(load_id, path, None, None, "cannot be read: permission denied; give the refresh's "
                                "user read access to the file, then run the refresh again", started)
        except FileNotFoundError:
            return self._reject(load_id, path, None, None, "the file vanished while the refresh ran (moved or "
                                "deleted); run the refresh again once the delivery is complete", started)
        except IsADirectoryError:
            return self._reject(load_id, path, None, None, "is a folder, not a file", started)
        checksum = hashlib.sha256(data).hexdigest()
        if twin is not None:
            return self._reject(load_id, path, checksum, None,
                                f"two files for the same extract and month: {display_name(path.name)} and "
                                f"{display_name(twin.name)}; keep one of them in the landing folder", started)
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
        with Scratch(conn) as scratch:
            try:
                prep = prepare(self.extract, path, data, self.workdir)
                try:
                    source = read_source(conn, scratch, self.extract, prep)
                finally:
                    if prep.csv_path != path:
                        prep.csv_path.unlink()
            except FileRejected as exc:
                return self._reject(load_id, path, checksum, period, str(exc), started, line=exc.line,
                                    column=exc.column)
            except duckdb.Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                return self._reject(load_id, path, checksum, period, f"unreadable CSV: {first}", started)
            return self._load_prepared(scratch, load_id, path, checksum, period, prep, source, previous, started)

    def _load_prepared(self, scratch: Scratch, load_id: int, path: Path, checksum: str, period: int,
                       prep: PreparedFile, source: Source, previous: tuple | None,
                       started: datetime) -> FileOutcome:
        conn, extract = self.conn, self.extract
        lines = line_numbers(conn, scratch, prep, source)
        notes = list(prep.notes)
        if not lines.exact:
            notes.append("line numbers are approximate (blank lines or quoted line breaks)")
        if lines.empty_rows:
            notes.append(f"ignored {lines.empty_rows} empty rows (only delimiters)")
        if source.n_rows + lines.n_rejects == 0:
            notes.append("header only: no data rows")
        pnr = next((c for c in extract.columns if c.kind == "personnummer"), None)
        pnr_map = person_map(conn, scratch, source.table, pnr.name, period, self.pseudonyms) if pnr else None
        temporary = temporary_id_rows(conn, source.table, pnr.name, pnr_map) if pnr else 0
        if temporary:
            notes.append(f"{temporary} rows with a temporary henkilötunnus (individual number 900-999): "
                         "accepted; the person gets a new pseudonym when the permanent id arrives")
        pnr_like = text_guard(conn, scratch, source.table, extract, period)
        units, units_known = None, True
        if any(c.kind == "org_unit" for c in extract.columns):
            units = scratch.table("units", "select distinct kostnadsstalle from raw.org_units where period = ?",
                                  [period])
            units_known = conn.execute(f"select count(*) from {units}").fetchone()[0] > 0
        refs = References(pnr_like=pnr_like, seeds=self.seeds, units=units, units_known=units_known, pnr=pnr_map,
                          table=extract.table,
                          # The contract's rules name personnummer; under FI the id is a henkilötunnus.
                          person_rule=self.pseudonyms.rule if self.pseudonyms.person_id != "personnummer" else None,
                          currency=self.currency, headers=prep.headers)
        typed = build_typed(conn, scratch, extract, period, source.table, lines, refs)
        bad_values = quarantine_select(extract, typed, lines.reject_rows, refs)
        rows_read = source.n_rows + lines.n_rejects

        # Insert first and count: the contract checks run once, in the insert. A file that
        # turns out to be rejected is rolled back before anything of it is committed.
        cols = [n for n, _t in extract.raw_columns()]
        selected = [f'"{n}"' for n in cols[:-3]] + [str(load_id), sql_string(display_name(path.name)), "_line"]
        conn.execute("begin transaction")
        try:
            # Asked before the old rows go: how far this replacement's changes reach (reach.py).
            reach = replaced_reach(conn, extract.name, period, typed) if previous else None
            deleted = conn.execute(f"delete from {extract.table} where period = ?", [period]).fetchone()[0]
            loaded = conn.execute(
                f"""insert into {extract.table} ({', '.join(f'"{n}"' for n in cols)})
                    select {', '.join(selected)} from {typed} where not _bad"""
            ).fetchone()[0]
            bad_rows = rows_read - loaded
            conn.execute("delete from raw.deliveries where extract = ? and period = ?", [extract.name, period])
            conn.execute("insert into raw.deliveries values (?, ?, ?, ?)", [extract.name, period, load_id, loaded])
            problems: list[str] = []
            extra: list[BadValue] = []
            if extract.name == "org_units":
                extra, problems = org_unit_problems(conn, load_id, prep.headers)
                if rows_read == 0:
                    problems = ["the snapshot has no units"]
                problems += _units_still_used(conn, period)
            if previous and period not in self.force_periods and deleted and \
                    loaded < deleted * replacement_min_share_parameter():
                # A header-only file or a fraction of the month replacing it is far more often a
                # broken export than a real change: held until someone says it is meant.
                problems.append(f"held: this file would replace {deleted} loaded rows of {period} with {loaded}, "
                                f"fewer than {replacement_min_share_parameter():.0%} of them (seeds/parameters.csv "
                                f"replacement_min_rows_pct); if that is right, re-load the month on purpose: "
                                f"refresh --periods {period}")
            share = bad_rows / rows_read if rows_read else 0.0
            if share > self.max_bad_share:
                problems.insert(0, f"{bad_rows} of {rows_read} rows ({share:.1%}) break the contract, more than "
                                   f"the allowed {self.max_bad_share:.1%}; nothing of the file was loaded")
            if problems:
                conn.execute("rollback")
            else:
                n_problems = self._insert_quarantine(load_id, path, period, bad_values, []) if bad_rows else 0
                warnings = plausibility_select(extract, typed, refs)
                n_warnings = conn.execute(
                    f"""insert into audit.plausibility_warnings select ?, ?, ?, ?, w.* from
                        (select l, c, {scrub_sql('v')}, m from ({warnings}) w0(l, c, v, m)) w""",
                    [load_id, extract.name, _period_date(period), display_name(path.name)]).fetchone()[0] \
                    if warnings else 0
                if n_warnings:
                    notes.append(f"{n_warnings} plausibility warnings (audit.plausibility_warnings)")
                status = REPLACED if previous or deleted else LOADED
                summary = f"{loaded} rows loaded"
                if bad_rows:
                    summary += f", {bad_rows} rows quarantined ({n_problems} problems)"
                if status == REPLACED:
                    summary += f"; replaced {deleted} rows of period {period}" + (
                        f" from load {previous[1]}" if previous else "")
                out = self._log(load_id, path, checksum, period, status, rows_read, loaded, bad_rows,
                                "; ".join([summary] + notes), started)
                if status == REPLACED and reach is not None:
                    conn.execute("insert into audit.load_reach values (?, ?, ?)", [load_id, *reach])
                conn.execute("commit")
                return out
        except Exception:
            conn.execute("rollback")
            raise
        extra_lines = {e[0] for e in extra}
        bad_lines = {r[0] for r in conn.execute(f"select _line from {typed} where _bad").fetchall()}
        return self._reject(load_id, path, checksum, period, "; ".join(problems + notes), started,
                            read=rows_read, quarantined=len(bad_lines | extra_lines) + lines.n_rejects,
                            bad_values=bad_values, extra=extra)


THREE_DECIMALS = "[+-]?[0-9]{1,3},[0-9]{3}"


# The salary floor of the plausibility warning, per currency: a monthly salary in kronor is
# about eleven times the same salary in euro.
SALARY_FLOOR_PARAMETERS = {"SEK": ("plausibility_min_monthly_salary", 10000.0),
                           "EUR": ("plausibility_min_monthly_salary_eur", 900.0)}


def plausibility_select(extract: Extract, typed: str, refs: References | None = None,
                        seeds_dir: Path = SEEDS_DIR) -> str | None:
    """(line, column as delivered, value, warning) for values that keep to the contract but look
    wrong; the rows are loaded and the warnings kept in audit.plausibility_warnings."""
    refs = refs or References(pnr_like="")
    parts = []
    for c in extract.columns:
        if c.kind == "decimal":
            # 42,000 is 42 under a decimal comma; a thousands separator was meant far more often.
            parts.append(f"""select _line, {sql_string(refs.header(c))}, "v__{c.name}",
                                 'three decimals after a comma: read as ' || "{c.name}" || ', a thousands '
                                 || 'separator meant?' from {typed}
                             where not _bad and regexp_full_match("v__{c.name}", '{THREE_DECIMALS}')""")
    if extract.name == "employees":
        parameter, default = SALARY_FLOOR_PARAMETERS[refs.currency]
        floor = _parameter(parameter, default, seeds_dir)
        salary, rate = refs.header(extract.column("manadslon")), refs.header(extract.column("sysselsattningsgrad"))
        parts.append(f"""select _line, {sql_string(salary)}, "v__manadslon", 'monthly salary below {floor:.0f} '
                             || '{refs.currency} (seeds/parameters.csv {parameter})'
                         from {typed} where not _bad and manadslon > 0 and manadslon < {floor}""")
        parts.append(f"""select null, {sql_string(rate)}, null, 'every employment rate of the file is at most 1: '
                             || 'a 0-1 scale delivered instead of 0-100?'
                         from {typed} where not _bad having count(sysselsattningsgrad) > 0
                             and max(sysselsattningsgrad) <= 1""")
    if extract.name == "absence":
        parts.append(_absence_beyond_schedule(typed, seeds_dir, refs.header(extract.column("franvarotimmar"))))
    return " union all ".join(parts) if parts else None


def _absence_beyond_schedule(typed: str, seeds_dir: Path, hours_header: str = "Frånvarotimmar") -> str:
    """Absence hours on a spell beyond what the person's scheduled hours (Ordinarie timmar of
    the month's register, already loaded) allow for the spell's days. Work is not spread evenly
    over calendar days (shifts, weekends), hence the factor; 24 hours a day is a hard ceiling."""
    factor = _parameter("plausibility_absence_hours_factor", 3.0, seeds_dir)
    days = "(date_diff('day', a.fran_datum, a.till_datum) + 1)"
    month_days = "day(last_day(a.fran_datum))"
    allowed = f"least(24.0 * {days}, {factor} * s.hours * {days} / {month_days})"
    return f"""select a._line, {sql_string(hours_header)}, a."v__franvarotimmar",
                   'more absence hours than the spell can hold: at most ' || round({allowed}, 1)
                   || ' h over ' || {days} || ' day(s) (Ordinarie timmar '
                   || cast(round(s.hours, 1) as double) || ' a month x '
                   || '{factor:g}, seeds/parameters.csv plausibility_absence_hours_factor)'
               from {typed} a
               join (select person_key, period, sum(ordinarie_timmar) as hours from raw.employees
                     group by person_key, period) s on s.person_key = a.person_key and s.period = a.period
               where not a._bad and a.franvarotimmar > {allowed}"""


def _units_still_used(conn: duckdb.DuckDBPyConnection, period: int) -> list[str]:
    """For a re-delivered org_units snapshot (already inserted, not committed): the units it
    drops that loaded rows of the same month still use. Their rows would silently leave every
    KPI, so the snapshot is refused until those extracts are delivered again without them."""
    out = []
    for e in EXTRACTS.values():
        for c in e.columns:
            if c.kind != "org_unit":
                continue
            rows = conn.execute(
                f"""select "{c.name}", count(*) from {e.table} where period = ? and "{c.name}" not in
                    (select kostnadsstalle from raw.org_units where period = ?) group by 1 order by 1""",
                [period, period]).fetchall()
            if rows:
                used = ", ".join(f"{code} ({n} rows)" for code, n in rows[:10])
                out.append(f"the snapshot drops units that loaded {e.name} rows of {period} still use: {used}; "
                           f"deliver {e.name} for {period} again without them first, or keep the units")
    return out


def _not_a_landing_file(path: Path, landing_dir: Path) -> str | None:
    """Why `path` cannot be read as a delivery (a folder, a dangling link, a link out of the
    landing folder), or None."""
    if path.is_symlink():
        if not path.exists():
            return "is a symbolic link to a file that does not exist; replace it with the file itself"
        try:
            path.resolve().relative_to(Path(landing_dir).resolve())
        except ValueError:
            return ("is a symbolic link pointing outside the landing folder, which is refused; copy the file "
                    "into the landing folder instead")
    if path.is_dir():
        return "is a folder, not a file; move it out of the landing folder"
    return None


def ignored_reason(path: Path) -> str | None:
    return next((why for prefix, why in IGNORED_PREFIXES.items() if path.name.startswith(prefix)), None)


def landing_files(extract_name: str, landing_dir: Path) -> list[Path]:
    """The extract's CSV entries in period order (files with other names sort last): files,
    and also folders and symbolic links named like a CSV, which the loader rejects by name
    rather than skip without a word."""
    folder = Path(landing_dir) / extract_name

    def order(p: Path) -> tuple[bool, int, str]:
        m = FILE_NAME_RE.fullmatch(p.name)
        return (m is None, int(m["period"]) if m else 0, p.name)

    return sorted((p for p in folder.glob("*") if p.suffix.lower() == ".csv"), key=order)


def load_extract(conn: duckdb.DuckDBPyConnection, extract_name: str, landing_dir: Path, *, key: bytes,
                 max_bad_share: float | None = None, force_periods: set[int] | None = None,
                 pseudonyms: Pseudonymizer | None = None) -> list[FileOutcome]:
    """Load every new or changed file of one extract; see the package docstring for the rules.

    `max_bad_share` is a fraction (0.05 = 5 %), by default quarantine_max_bad_share_pct from
    seeds/parameters.csv. `force_periods` (YYYYMM) re-loads those months even when unchanged.
    """
    extract = EXTRACTS[extract_name]
    ensure_warehouse(conn)
    share = max_bad_share_parameter() if max_bad_share is None else max_bad_share
    with Scratch(conn) as scratch, tempfile.TemporaryDirectory(prefix="hrkpi-ingest-") as workdir:
        loader = _Loader(conn, extract, max_bad_share=share, force_periods=set(force_periods or ()),
                         pseudonyms=pseudonyms or Pseudonymizer(key), seeds=seed_tables(conn, scratch, extract),
                         workdir=Path(workdir))
        outcomes = []
        paths = []
        for path in landing_files(extract_name, landing_dir):
            why = ignored_reason(path)
            if why:
                outcomes.append(FileOutcome(display_name(path.name), extract_name, None, IGNORED, 0, 0, 0,
                                            f"{display_name(path.name)}: ignored: {why}", 0))
            else:
                paths.append(path)
        # Two files for one month (names differing in case, say): which one is meant is not ours
        # to guess, so neither is loaded and each names the other.
        by_period: dict[int, list[Path]] = {}
        for path in paths:
            m = FILE_NAME_RE.fullmatch(path.name)
            if m and m["extract"].lower() == extract_name:
                by_period.setdefault(int(m["period"]), []).append(path)
        for path in paths:
            m = FILE_NAME_RE.fullmatch(path.name)
            group = by_period.get(int(m["period"]), []) if m else []
            others = [g for g in group if g != path]
            outcomes.append(loader.load_file(path, landing_dir, others[0] if others else None))
        return outcomes
