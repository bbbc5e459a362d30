"""The bad-input corpus (tests/bad_input/cases.csv): every malformed or hostile file through the
real loader into a real DuckDB build database, and a few through the real refresh command.

For each file the manifest says, worked out by hand, what must happen: rejected whole, or
loaded with rows quarantined (or loaded, for the valid controls), the rows read, loaded and
quarantined, and the line, column and rule the quarantine names. Beyond that every case checks
that nothing is lost (rows read = rows loaded + rows quarantined; a rejected file keeps its
reason in audit.quarantine and its bytes, unchanged, in the landing folder under the checksum
the load log holds) and that no personnummer reaches the database or a message.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from conftest import GOLDEN_LANDING, TESTS_DIR
from dagster_project.contracts import EXTRACT_ORDER
from dagster_project.ingest import load_extract
from dagster_project.parsing import display_name, luhn_ok
from test_privacy import PNR, columns_with_personnummer, golden_personnummer, leaks

CORPUS = TESTS_DIR / "bad_input"
KEY = b"test-key-0123456789abcdef"
GENERATED_10MB = "GENERATED_10MB_LINE"
with open(CORPUS / "cases.csv", encoding="utf-8", newline="") as _fh:
    CASES = list(csv.DictReader(_fh))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ten_mb_line() -> bytes:
    """The golden January register with a 10 MB Anställningsnummer on line 6: generated, so the
    repository does not carry a 10 MB file."""
    lines = (GOLDEN_LANDING / "employees" / "employees_202601.csv").read_bytes().split(b"\n")
    fields = lines[5].split(b";")
    fields[2] = b"X" * 10_000_000
    lines[5] = b";".join(fields)
    return b"\n".join(lines)


def case_bytes(case: dict) -> bytes:
    if case["file"] == GENERATED_10MB:
        return ten_mb_line()
    return (CORPUS / "files" / f"{case['file']}.csv").read_bytes()


def case_personnummer(case: dict) -> set[str]:
    """The personnummer a case carries in any spelling, in its bytes or its landing name (digits
    only, Luhn-valid: a number failing the check is not one), beside the golden fixture's."""
    text = case_bytes(case).decode("utf-8", errors="replace") + " " + case["landing_name"]
    digits = {re.sub(r"\D", "", m)[-10:] for m in PNR.findall(text)}
    return golden_personnummer() | {d for d in digits if luhn_ok(d)}


def optional_int(text: str) -> int | None:
    return int(text) if text else None


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    """A build database holding the golden org_units of the corpus' months (202512, 202601),
    loaded once; each case works on its own copy."""
    root = tmp_path_factory.mktemp("bad_input_base")
    (root / "landing" / "org_units").mkdir(parents=True)
    for period in (202512, 202601):
        shutil.copy(GOLDEN_LANDING / "org_units" / f"org_units_{period}.csv", root / "landing" / "org_units")
    db = root / "warehouse.duckdb"
    conn = duckdb.connect(str(db))
    try:
        assert [o.status for o in load_extract(conn, "org_units", root / "landing", key=KEY)] == ["loaded"] * 2
    finally:
        conn.close()
    return db


# --- the manifest ------------------------------------------------------------------------------------

def test_corpus_covers_every_extract_and_every_case_the_issue_lists():
    assert len(CASES) == 95
    assert {c["extract"] for c in CASES} == set(EXTRACT_ORDER)
    assert Counter(c["outcome"] for c in CASES) == {"quarantined": 54, "rejected": 23, "loaded": 18}
    problems = " | ".join(c["problem"].lower() for c in CASES)
    for listed in ("truncated file", "binary garbage", "wrong delimiter", "mixed encodings", "header only",
                   "duplicated header", "quoted semicolons", "10 mb line", "=hyperlink(", "2025-02-30",
                   "negative ordinarie timmar", "svarande 13 > inbjudna 12", "org-unit cycle",
                   "till before från", "a period in the future", "personnummer with letters",
                   # issue 15
                   "trailing empty line", "blank line between rows", "quoted leverantör with a line break",
                   "classic-mac cr line ends", "phantom rows of only delimiters", "three unquoted extra fields",
                   "en dash", "em dash", "non-breaking space", "ordinary space", "no separator",
                   "luhn digit is wrong", "in the file name", "-1+hyperlink(", "+1+1", "exact duplicate line",
                   "same employee and employment twice", "invoice line delivered twice"):
        assert listed in problems, listed
    files = {p.stem for p in (CORPUS / "files").glob("*.csv")}
    assert files == {c["file"] for c in CASES} - {GENERATED_10MB}
    # Small enough to keep in git; the 10 MB line is generated.
    assert max((CORPUS / "files" / f"{f}.csv").stat().st_size for f in files) < 10_000


# --- every file through the loader -------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file_gets_a_clear_outcome_and_nothing_is_lost(case: dict, base_db: Path, tmp_path: Path):
    data = case_bytes(case)
    extract, name = case["extract"], case["landing_name"]
    landing = tmp_path / "landing"
    (landing / extract).mkdir(parents=True)
    (landing / extract / name).write_bytes(data)
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(base_db, db)
    conn = duckdb.connect(str(db))
    try:
        # A user error never escapes as an exception: the loader returns an outcome.
        (o,) = load_extract(conn, extract, landing, key=KEY)
        # A name holding a personnummer is only ever stored and shown masked.
        name = display_name(name)
        assert o.file == name
        counts = (o.rows_read, o.rows_loaded, o.rows_quarantined)
        assert counts == (int(case["rows_read"]), int(case["rows_loaded"]), int(case["rows_quarantined"])), o.message
        table = f"raw.{extract}"
        stored = conn.execute(f"select count(*) from {table} where _load_id = ?", [o.load_id]).fetchone()[0]
        quarantine = conn.execute(
            """select line, "column", value, reason, file from audit.quarantine where load_id = ?
               order by line nulls first, "column" """, [o.load_id]).fetchall()
        assert all(q[4] == name for q in quarantine)
        row_lines = {q[0] for q in quarantine if q[0] is not None and not q[3].startswith("file rejected: ")}
        log = conn.execute("select status, checksum, rows_read, rows_loaded, rows_quarantined from audit.load_log "
                           "where load_id = ?", [o.load_id]).fetchone()
        assert log == (o.status, sha256(data), o.rows_read, o.rows_loaded, o.rows_quarantined)

        if case["outcome"] == "rejected":
            assert o.status == "rejected"
            assert o.message.startswith(f"{name}: rejected: ")
            assert stored == 0
            # The reason is in the quarantine too, once for the file.
            assert [q[3] for q in quarantine].count(f"file rejected: {o.message.split(': rejected: ', 1)[1]}") == 1
            # Nothing lost: the rows stay in the landing file, untouched, under the logged checksum.
            assert (landing / extract / case["landing_name"]).read_bytes() == data
            assert len(row_lines) == o.rows_quarantined
        else:
            assert o.status in ("loaded", "replaced"), o.message
            assert stored == o.rows_loaded
            assert o.rows_read == o.rows_loaded + o.rows_quarantined
            assert len(row_lines) == o.rows_quarantined
            if case["outcome"] == "loaded":
                assert quarantine == []
                assert case["rule"] in o.message
        if case["outcome"] != "loaded":
            # The entry that names the line, the column and the rule.
            expected = (optional_int(case["line"]), case["column"] or None)
            named = [q for q in quarantine if (q[0], q[1]) == expected and case["rule"] in q[3]]
            assert named, f"no quarantine row {expected} with '{case['rule']}': {quarantine}"

        if extract == "org_units" and o.status == "rejected":
            # The month's last good snapshot stays.
            assert conn.execute("select count(*) from raw.org_units where period = 202601").fetchone()[0] == 10

        known = case_personnummer(case)
        assert not leaks(o.message, known)
        assert not leaks(" ".join(map(str, quarantine)), known)
        log_text = conn.execute("select file_name || ' ' || file_path || ' ' || coalesce(message, '') "
                                "from audit.load_log where load_id = ?", [o.load_id]).fetchone()[0]
        assert not leaks(log_text, known), log_text
        assert columns_with_personnummer(conn, known) == []
    finally:
        conn.close()


# --- through the refresh command, after a good publish ------------------------------------------------

# Two refreshes: bad files of three extracts at once, then a broken org_units snapshot (which
# stops the extracts checked against it, so it gets a run of its own).
REFRESH_RUNS = (("employees_binary_png", "employees_future_period", "payroll_tab_delimited"), ("org_units_cycle",))


def test_refresh_command_rejects_bad_files_clearly_and_keeps_the_published_file(golden_run, tmp_path: Path):
    """The real `python -m dagster_project.refresh` with bad files added after a good publish:
    exit code 1, each file and its reason on stderr, no stack trace, and the published file
    byte-identical."""
    settings, result = golden_run
    assert result.success
    # Copies of the golden run's warehouse: its files already loaded (same checksums, skipped),
    # so only the bad files are new and no dbt build is needed to get there.
    landing = tmp_path / "landing"
    shutil.copytree(GOLDEN_LANDING, landing)
    build = tmp_path / "build" / "warehouse.duckdb"
    published = tmp_path / "published" / "hr_kpi.duckdb"
    build.parent.mkdir()
    published.parent.mkdir()
    shutil.copy(settings.build_db, build)
    shutil.copy(settings.published_db, published)
    before = sha256(published.read_bytes())
    env = {**os.environ, "HRKPI_LANDING_DIR": str(landing), "HRKPI_BUILD_DB": str(build),
           "HRKPI_PUBLISHED_DB": str(published), "HRKPI_DEMO": "1",
           "HRKPI_PSEUDONYM_KEY": KEY.decode(), "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    known = golden_personnummer()
    by_file = {c["file"]: c for c in CASES}
    for run in REFRESH_RUNS:
        originals = {}
        for file in run:
            case = by_file[file]
            target = landing / case["extract"] / case["landing_name"]
            originals[target] = target.read_bytes() if target.exists() else None
            target.write_bytes(case_bytes(case))
        proc = subprocess.run([sys.executable, "-m", "dagster_project.refresh"], env=env,
                              capture_output=True, text=True, timeout=600)
        # Put the good files back (or take the new ones away): a rejected file fails every refresh.
        for target, original in originals.items():
            if original is None:
                target.unlink()
            else:
                target.write_bytes(original)
        output = proc.stdout + proc.stderr
        assert proc.returncode == 1, output
        assert "Traceback" not in output and "Stack Trace" not in output, output
        assert "the published file was left unchanged" in proc.stderr
        for file in run:
            case = by_file[file]
            step = f"  step raw__{case['extract']}: "
            failure = next(line for line in proc.stderr.splitlines() if line.startswith(step))
            assert f"{case['landing_name']}: rejected: " in failure, failure
        assert not leaks(output, known)
        assert sha256(published.read_bytes()) == before, run
    conn = duckdb.connect(str(published), read_only=True)
    try:
        assert conn.execute("select count(*) from audit.publish_log").fetchone()[0] == 1
    finally:
        conn.close()
    conn = duckdb.connect(str(build), read_only=True)
    try:
        rejected = conn.execute("select file_name from audit.load_log where status = 'rejected' "
                                "order by file_name").fetchall()
        assert [r[0] for r in rejected] == ["employees_202601.csv", "employees_209912.csv", "org_units_202601.csv",
                                            "payroll_202601.csv"]
        # The good January snapshot the rejected one would have replaced is still there.
        assert conn.execute("select count(*) from raw.org_units where period = 202601").fetchone()[0] == 10
    finally:
        conn.close()
