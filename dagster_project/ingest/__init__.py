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

Modules, one job each: `files` (reading a file: encodings, header, rows as text, line
numbers), `rules` (the contract's rules as SQL and the quarantine select), `person_ids`
(personnummer to pseudonyms; personnummer in text), `org_tree` (the org_units hierarchy),
`loader` (which files, in what order, one transaction per file) and `scratch` (the temp
relations of one load, dropped when it ends).
"""

from dagster_project.ingest.loader import (
    LOADED,
    REJECTED,
    REPLACED,
    SKIPPED,
    FileOutcome,
    current_period,
    ensure_warehouse,
    landing_files,
    load_extract,
    max_bad_share_parameter,
)

__all__ = [
    "LOADED", "REJECTED", "REPLACED", "SKIPPED", "FileOutcome", "current_period", "ensure_warehouse",
    "landing_files", "load_extract", "max_bad_share_parameter",
]
