"""The loader against small hand-written extracts: every contract rule, the load log, the
quarantine, re-deliveries and the privacy guarantees."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dagster_project.audit import REQUIRED_MONTHLY
from dagster_project.contracts import EXTRACT_ORDER
from dagster_project.ingest import FileOutcome, current_period, ensure_warehouse, load_extract

FIXTURE_LANDING = Path(__file__).resolve().parent / "fixtures" / "ingest" / "landing"
KEY = b"test-key-0123456789abcdef"
FULL_PNR = re.compile(r"\b(\d{6}|\d{8})[-+]?\d{4}\b")

ORG = """Period;Kostnadsställe;Benämning;Överordnad;Nivå
202501;R1;Region Test;;1
202501;F10;Hälso- och sjukvård;R1;2
202501;E1000;Akutmottagning;F10;4
"""
EMP_HEADER = ("Period;Personnummer;Anställningsnummer;Kön;Kostnadsställe;Yrkeskod;Anställningsform;"
              "Sysselsättningsgrad;Ordinarie timmar;Månadslön;Chef;Anställningsdatum")
PAY_HEADER = "Period;Personnummer;Kostnadsställe;Löneart;Antal;Belopp;Avser period"
# Valid personnummer (Luhn digits worked out by hand): 850101-1236 (M), 900215-2347 (K),
# 800101-1231 (M); samordningsnummer 850161-1233.
P1, P2, P3, SAMO = "19850101-1236", "900215-2347", "800101-1231", "19850161-1233"


def write(landing: Path, extract: str, period: int, text: str, encoding: str = "utf-8") -> Path:
    path = landing / extract / f"{extract}_{period}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def conn():
    c = duckdb.connect()
    ensure_warehouse(c)
    yield c
    c.close()


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    land = tmp_path / "landing"
    write(land, "org_units", 202501, ORG)
    return land


def load(conn, extract: str, landing: Path, **kw) -> list[FileOutcome]:
    return load_extract(conn, extract, landing, key=KEY, **kw)


def load_with_units(conn, extract: str, landing: Path, **kw) -> FileOutcome:
    (org,) = load(conn, "org_units", landing)
    assert org.status == "loaded", org.message
    outcomes = load(conn, extract, landing, **kw)
    assert len(outcomes) == 1
    return outcomes[0]


def quarantine(conn) -> list[tuple]:
    return conn.execute('select line, "column", value, reason from audit.quarantine order by line, "column"').fetchall()


def emp_row(pnr: str = P1, unit: str = "E1000", period: str = "202501", prof: str = "2221", form: str = "TV",
            salary: str = "35000,50", start: str = "2015-03-01") -> str:
    return f"{period};{pnr};A{pnr[-4:]};;{unit};{prof};{form};100;168;{salary};N;{start}"


def employments(pnr: str, n: int) -> list[str]:
    """`n` rows of one person, each its own employment (identical rows would be duplicates)."""
    return [emp_row(pnr).replace(f";A{pnr[-4:]};", f";A{i:04d};") for i in range(n)]


def employees(*rows: str) -> str:
    return EMP_HEADER + "\n" + "\n".join(rows) + "\n"


# --- the fixture month: every extract loads -------------------------------------------------------

def test_all_eight_extracts_load_with_hand_checked_values(conn):
    counts = {}
    for name in EXTRACT_ORDER:
        (o,) = load(conn, name, FIXTURE_LANDING)
        assert o.status == "loaded", (name, o.message)
        counts[name] = o.rows_loaded
    assert counts == {"org_units": 5, "employees": 3, "payroll": 3, "absence": 2, "employment_events": 2,
                      "incidents": 2, "agency_costs": 2, "survey": 2}
    # Decimal comma and point, both date formats, J/N and Nej.
    rows = conn.execute(
        """select anstallningsnummer, birth_year, legal_gender, sysselsattningsgrad, ordinarie_timmar,
                  manadslon, chef, anstallningsdatum, kon, _source_line
           from raw.employees order by _source_line""").fetchall()
    assert [(r[0], r[1], r[2], float(r[3]) if r[3] is not None else None, r[4] and float(r[4]), float(r[5]),
             r[6], str(r[7]), r[8], r[9]) for r in rows] == [
        ("A1001", 1985, "M", 100.0, 168.0, 35000.5, False, "2015-03-01", "M", 2),
        ("A1002", 1990, "K", 75.5, 126.75, 31000.25, True, "2021-03-01", None, 3),
        ("A1003", 1985, "M", None, None, 0.0, False, "2024-01-01", None, 4),  # samordningsnummer
    ]
    assert float(conn.execute("select sum(belopp) from raw.payroll").fetchone()[0]) == 35000.50 + 23250.19 + 1200
    assert conn.execute("select avser_period from raw.payroll where loneart = '1310'").fetchone()[0] == 202412
    # Codes are upper-cased against the seed ('vab' delivered).
    assert conn.execute("select list(franvaroorsak order by arende_id) from raw.absence").fetchone()[0] == ["SJK", "VAB"]
    # The same person has the same pseudonym in every extract.
    assert conn.execute(
        """select count(distinct person_key) from (
               select person_key from raw.employees where anstallningsnummer = 'A1001'
               union all select person_key from raw.payroll where loneart = '1310'
               union all select person_key from raw.incidents where arendenummer = 'IA-1')""").fetchone()[0] == 1
    log = conn.execute("select count(*), count(distinct checksum) from audit.load_log where status = 'loaded'").fetchone()
    assert log == (8, 8)


def test_free_text_incident_column_is_never_stored(conn):
    for name in ("org_units", "incidents"):
        load(conn, name, FIXTURE_LANDING)
    (msg,) = conn.execute("select message from audit.load_log where extract = 'incidents'").fetchone()
    assert "dropped free-text columns (never stored): Beskrivning" in msg
    assert "beskrivning" not in {r[0].lower() for r in conn.execute(
        "select column_name from information_schema.columns where table_name = 'incidents'").fetchall()}
    for table, column in text_columns(conn):
        hits = conn.execute(f'select count(*) from {table} where "{column}" ilike \'%ryggskada%\' '
                            f'or "{column}" ilike \'%lyft av patient%\'').fetchone()[0]
        assert hits == 0, (table, column)


def text_columns(conn) -> list[tuple[str, str]]:
    return [(f'"{s}"."{t}"', c) for s, t, c in conn.execute(
        """select table_schema, table_name, column_name from information_schema.columns
           where data_type = 'VARCHAR' and table_schema not in ('information_schema', 'pg_catalog')
             and table_name not like '\\_%' escape '\\'""").fetchall()]


def test_privacy_scan_no_full_personnummer_anywhere(conn, tmp_path: Path):
    land = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, land)
    # Add a month with bad personnummer and a personnummer in a text column: all of it ends in
    # the quarantine or the load log, which must hold masked forms only.
    write(land, "org_units", 202502, ORG.replace("202501", "202502"))
    write(land, "employees", 202502, employees(
        emp_row(P1, period="202502"), emp_row("19850101-1237", period="202502"),
        f"202502;{P2};{P1};;E1000;2221;TV;100;168;1;N;2015-03-01",
        emp_row("85-01-01", period="202502")))
    write(land, "payroll", 202502, f"{PAY_HEADER}\n202502;8501011237;E1000;1100;;1;202502\n")
    for name in EXTRACT_ORDER:
        load(conn, name, land)
    assert conn.execute("select count(*) from audit.quarantine").fetchone()[0] >= 4
    found = []
    for table, column in text_columns(conn):
        for (value,) in conn.execute(f'select distinct "{column}" from {table} where "{column}" is not null').fetchall():
            if FULL_PNR.search(value):
                found.append((table, column, value))
    assert found == []
    masked = conn.execute("""select value from audit.quarantine where "column" = 'Personnummer'
                             order by line""").fetchall()
    assert ("19850101-****",) in masked


# --- encodings and headers -------------------------------------------------------------------------

def test_windows_1252_file_with_swedish_headers_in_upper_case(conn, tmp_path: Path):
    land = tmp_path / "landing"
    text = ("PERIOD;KOSTNADSSTÄLLE;BENÄMNING;ÖVERORDNAD;NIVÅ\r\n"
            "202501;R1;Region Östra Götaland;;1\r\n202501;F1;Förvaltning Söder;R1;2\r\n")
    write(land, "org_units", 202501, text, encoding="cp1252")
    assert "Ö".encode("cp1252") == b"\xd6"  # a single byte: not UTF-8
    (o,) = load(conn, "org_units", land)
    assert o.status == "loaded", o.message
    assert conn.execute("select list(benamning order by niva) from raw.org_units").fetchone()[0] == [
        "Region Östra Götaland", "Förvaltning Söder"]


def test_utf8_with_bom(conn, landing: Path):
    write(landing, "employees", 202501, "\ufeff" + employees(emp_row(P1)))
    assert (landing / "employees" / "employees_202501.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    o = load_with_units(conn, "employees", landing)
    assert (o.status, o.rows_loaded) == ("loaded", 1)
    assert conn.execute("select period from raw.employees").fetchone()[0] == 202501


def test_other_delimiter_rejects_the_file_naming_it(conn, landing: Path):
    write(landing, "employees", 202501, employees(emp_row(P1)).replace(";", ","))
    o = load_with_units(conn, "employees", landing)
    assert o.status == "rejected"
    assert o.message.startswith("employees_202501.csv: rejected: the delimiter must be ';'")


def test_missing_required_column_rejects_the_file_naming_the_column(conn, landing: Path):
    text = employees(emp_row(P1)).replace(";Yrkeskod", "").replace(";2221;", ";")
    write(landing, "employees", 202501, text)
    o = load_with_units(conn, "employees", landing)
    assert o.status == "rejected"
    assert "missing required column: Yrkeskod" in o.message
    assert conn.execute("select count(*) from raw.employees").fetchone()[0] == 0
    assert conn.execute("select status from audit.load_log where load_id = ?", [o.load_id]).fetchone()[0] == "rejected"


def test_extra_column_is_ignored_and_reported(conn, landing: Path):
    text = employees(emp_row(P1) + ";hemligt").replace("Anställningsdatum", "Anställningsdatum;Lokal notering")
    write(landing, "employees", 202501, text)
    o = load_with_units(conn, "employees", landing)
    assert (o.status, o.rows_loaded) == ("loaded", 1)
    assert "ignored unknown columns: Lokal notering" in o.message
    assert "lokal_notering" not in [r[0] for r in conn.execute("describe raw.employees").fetchall()]


def test_empty_file_is_rejected_and_header_only_loads_zero_rows(conn, landing: Path):
    write(landing, "employees", 202501, "")
    write(landing, "payroll", 202501, PAY_HEADER + "\n")
    o = load_with_units(conn, "employees", landing)
    assert o.status == "rejected" and "the file is empty (no header row)" in o.message
    (p,) = load(conn, "payroll", landing)
    assert (p.status, p.rows_read, p.rows_loaded) == ("loaded", 0, 0)
    assert "header only: no data rows" in p.message


# --- rows ------------------------------------------------------------------------------------------

def test_failed_luhn_is_quarantined_with_the_number_masked(conn, landing: Path):
    rows = [emp_row(P1)] + employments(P2, 19) + [emp_row("19850101-1237")]  # 1 bad of 21 < 5 %
    write(landing, "employees", 202501, employees(*rows))
    o = load_with_units(conn, "employees", landing)
    assert (o.status, o.rows_read, o.rows_loaded, o.rows_quarantined) == ("loaded", 21, 20, 1)
    assert quarantine(conn) == [(22, "Personnummer", "19850101-****",
                                 "the Luhn check digit is wrong; rule: personnummer or samordningsnummer with a "
                                 "valid Luhn check digit")]


def test_samordningsnummer_is_accepted(conn, landing: Path):
    write(landing, "employees", 202501, employees(emp_row(SAMO)))
    o = load_with_units(conn, "employees", landing)
    assert o.rows_loaded == 1
    assert conn.execute("select birth_year, legal_gender from raw.employees").fetchone() == (1985, "M")


def test_row_for_another_period_is_quarantined(conn, landing: Path):
    write(landing, "employees", 202501, employees(emp_row(P1), emp_row(P2, period="202412")))
    o = load_with_units(conn, "employees", landing, max_bad_share=0.5)
    assert (o.rows_loaded, o.rows_quarantined) == (1, 1)
    assert quarantine(conn) == [(3, "Period", "202412", "row is for period 202412, the file name says 202501; "
                                                        "rule: YYYYMM, equal to the period in the file name")]


def test_unknown_org_unit_and_unknown_code_are_quarantined_with_their_values(conn, landing: Path):
    write(landing, "employees", 202501, employees(emp_row(P1), emp_row(P2, unit="X999"), emp_row(P3, prof="0000"),
                                                  emp_row(P3, form="tim").replace(";A", ";B")))
    o = load_with_units(conn, "employees", landing, max_bad_share=0.5)
    assert (o.rows_loaded, o.rows_quarantined) == (2, 2)
    assert quarantine(conn) == [
        (3, "Kostnadsställe", "X999", "unknown Kostnadsställe, not in the org_units snapshot of 202501; "
                                      "rule: must exist in org_units for the period"),
        (4, "Yrkeskod", "0000", "unknown code, not in seeds/professions.csv; rule: must exist in seeds/professions.csv"),
    ]
    assert conn.execute("select anstallningsform from raw.employees where _source_line = 5").fetchone()[0] == "TIM"


def test_without_the_months_org_units_every_row_is_quarantined_and_the_file_rejected(conn, tmp_path: Path):
    land = tmp_path / "landing"
    write(land, "employees", 202501, employees(emp_row(P1)))
    (o,) = load(conn, "employees", land)
    assert o.status == "rejected"
    assert quarantine(conn)[0][3].startswith("unknown Kostnadsställe: no org_units snapshot is loaded for 202501")


def test_bad_values_and_row_rules(conn, landing: Path):
    text = ("Period;Personnummer;Frånvaroorsak;Ärende-ID;Ärende startdatum;Från datum;Till datum;Omfattning;"
            "Frånvarotimmar\n"
            f"202501;{P1};SJK;S1;2025-01-02;2025-01-03;2025-01-02;100;8\n"     # Till before Från
            f"202501;{P1};SJK;S2;20250101;20250101;20250230;0;8\n"             # bad date, extent 0
            f"202501;{P1};SJK;S3;2025-01-01;2025-02-01;2025-02-02;50;8,0\n")   # outside the period
    write(landing, "absence", 202501, text)
    o = load_with_units(conn, "absence", landing, max_bad_share=1.0)
    assert (o.status, o.rows_loaded, o.rows_quarantined) == ("loaded", 0, 3)
    assert [(line, col, val, reason.split(";")[0]) for line, col, val, reason in quarantine(conn)] == [
        (2, "Till datum", "2025-01-02", "Till datum must not be before Från datum"),
        (3, "Omfattning", "0", "out of range"),
        (3, "Till datum", "20250230", "not a valid date (YYYY-MM-DD or YYYYMMDD)"),
        (4, "Från datum", "2025-02-01", "Från datum must lie inside Period"),
        (4, "Till datum", "2025-02-02", "Till datum must lie inside Period"),
    ]


def test_too_many_bad_rows_rejects_the_whole_file_but_keeps_the_quarantine(conn, landing: Path):
    # The default limit is quarantine_max_bad_share_pct = 5 % from seeds/parameters.csv:
    # 1 bad row of 20 (5 %) is allowed, 2 of 20 (10 %) are not.
    good = employments(P1, 18)
    write(landing, "employees", 202501, employees(*good, emp_row(P2), emp_row(P3, unit="X1")))
    assert load_with_units(conn, "employees", landing).status == "loaded"
    write(landing, "employees", 202502, employees(*[r.replace("202501", "202502") for r in good],
                                                  emp_row(P2, unit="X1", period="202502"),
                                                  emp_row(P3, unit="X2", period="202502")))
    write(landing, "org_units", 202502, ORG.replace("202501", "202502"))
    load(conn, "org_units", landing)
    (o,) = [x for x in load(conn, "employees", landing) if x.period == 202502]
    assert (o.status, o.rows_read, o.rows_loaded, o.rows_quarantined) == ("rejected", 20, 0, 2)
    assert "2 of 20 rows (10.0%) break the contract, more than the allowed 5.0%" in o.message
    assert conn.execute("select count(*) from raw.employees where period = 202502").fetchone()[0] == 0
    assert conn.execute("select count(*) from raw.employees where period = 202501").fetchone()[0] == 19
    assert conn.execute("select list(value order by line) from audit.quarantine where load_id = ?",
                        [o.load_id]).fetchone()[0] == ["X1", "X2", None]
    # The last row is the file's own: the rejection and its reason, for the rows not quarantined.
    assert conn.execute("select reason from audit.quarantine where load_id = ? and line is null",
                        [o.load_id]).fetchone()[0].startswith("file rejected: 2 of 20 rows (10.0%)")
    log = conn.execute("select status, message from audit.load_log where load_id = ?", [o.load_id]).fetchone()
    assert log[0] == "rejected" and "more than the allowed 5.0%" in log[1]


def test_personnummer_in_a_text_column_is_quarantined(conn, landing: Path):
    write(landing, "employees", 202501, employees(emp_row(P1), f"202501;{P2};{P3};;E1000;2221;TV;100;168;1;N;"))
    o = load_with_units(conn, "employees", landing, max_bad_share=0.5)
    assert (o.rows_loaded, o.rows_quarantined) == (1, 1)
    assert quarantine(conn) == [(3, "Anställningsnummer", "800101-****",
                                 "holds a personnummer, which must never be stored; rule: employee number, required")]


def test_line_numbers_count_blank_lines_quoted_line_breaks_and_overlong_lines(conn, landing: Path):
    text = (EMP_HEADER + "\n" + emp_row(P1) + "\n\n"
            + emp_row(P2).replace("A2347", '"A\n2347"') + "\n"
            + emp_row(P3) + ";extra\n"
            + emp_row(P1, unit="X1").replace(";A", ";B") + "\n")
    write(landing, "employees", 202501, text)
    o = load_with_units(conn, "employees", landing, max_bad_share=1.0)
    assert (o.rows_read, o.rows_loaded, o.rows_quarantined) == (4, 2, 2)
    assert [(r[0], r[1]) for r in quarantine(conn)] == [(6, None), (7, "Kostnadsställe")]
    assert quarantine(conn)[0][3] == "the line has more fields than the header; rule: a line has no more fields than the header"
    assert conn.execute("select list(_source_line order by _source_line) from raw.employees").fetchone()[0] == [2, 4]


# --- re-deliveries ---------------------------------------------------------------------------------

def test_same_file_again_is_skipped(conn, landing: Path):
    write(landing, "employees", 202501, employees(emp_row(P1)))
    first = load_with_units(conn, "employees", landing)
    (second,) = load(conn, "employees", landing)
    assert (first.status, second.status, second.rows_loaded) == ("loaded", "skipped_duplicate", 0)
    assert f"same checksum as load {first.load_id}" in second.message
    assert conn.execute("select count(*) from raw.employees").fetchone()[0] == 1
    # A forced re-load of the month loads it again, replacing, not adding.
    (third,) = load(conn, "employees", landing, force_periods={202501})
    assert (third.status, third.rows_loaded) == ("replaced", 1)
    assert conn.execute("select count(*), min(_load_id) from raw.employees").fetchone() == (1, third.load_id)


def test_corrected_redelivery_replaces_the_period(conn, landing: Path):
    write(landing, "payroll", 202501, f"{PAY_HEADER}\n202501;{P1};E1000;1100;;35000;202501\n"
                                      f"202501;{P2};E1000;1100;;30000;202501\n")
    first = load_with_units(conn, "payroll", landing)
    assert float(conn.execute("select sum(belopp) from raw.payroll").fetchone()[0]) == 65000.0
    write(landing, "payroll", 202501, f"{PAY_HEADER}\n202501;{P1};E1000;1100;;35000;202501\n"
                                      f"202501;{P2};E1000;1100;;31000,50;202501\n"
                                      f"202501;{P2};E1000;1310;2;1500;202501\n")
    (second,) = load(conn, "payroll", landing)
    assert (second.status, second.rows_loaded) == ("replaced", 3)
    assert f"replaced 2 rows of period 202501 from load {first.load_id}" in second.message
    assert conn.execute("select count(*), sum(belopp)::double from raw.payroll").fetchone() == (3, 67500.5)
    assert conn.execute("select distinct _load_id from raw.payroll").fetchall() == [(second.load_id,)]


def test_rejected_file_is_tried_again_and_keeps_failing(conn, landing: Path):
    write(landing, "employees", 202501, "Period;Kostnadsställe\n202501;E1000\n")
    first = load_with_units(conn, "employees", landing)
    (second,) = load(conn, "employees", landing)
    assert (first.status, second.status) == ("rejected", "rejected")


# --- org_units -------------------------------------------------------------------------------------

def test_cycle_in_org_units_rejects_the_snapshot_naming_the_cycle(conn, tmp_path: Path):
    land = tmp_path / "landing"
    write(land, "org_units", 202501, ORG + "202501;A;Enhet A;C;4\n202501;B;Enhet B;A;4\n202501;C;Enhet C;B;4\n")
    (o,) = load(conn, "org_units", land)
    assert o.status == "rejected"
    assert "cycle in Överordnad: A -> C -> B -> A" in o.message
    assert conn.execute("select count(*) from raw.org_units").fetchone()[0] == 0
    assert [r[0] for r in quarantine(conn)] == [5, 6, 7, None]  # None: the file's rejection


def test_org_units_need_one_root_unique_codes_and_existing_parents(conn, tmp_path: Path):
    land = tmp_path / "landing"
    write(land, "org_units", 202501, ORG + "202501;R2;Annan region;;1\n202501;E1000;Dubblett;F10;4\n"
                                           "202501;E2;Enhet;SAKNAS;4\n")
    (o,) = load(conn, "org_units", land)
    assert o.status == "rejected"
    for part in ("duplicate Kostnadsställe: E1000", "more than one root unit: R1, R2",
                 "Överordnad SAKNAS of E2 is not in the snapshot"):
        assert part in o.message
    assert [(r[0], r[1]) for r in quarantine(conn)] == [(4, "Kostnadsställe"), (6, "Kostnadsställe"), (7, "Överordnad"),
                                                      (None, None)]


def test_undecodable_bytes_and_bad_file_names_reject_the_file(conn, landing: Path):
    path = landing / "employees" / "employees_202501.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(EMP_HEADER.encode("utf-8") + b"\n202501;\x81\n")
    (landing / "employees" / "employees_2025-02.csv").write_text(employees(emp_row(P1)), encoding="utf-8")
    load(conn, "org_units", landing)
    outcomes = load(conn, "employees", landing)
    assert [(o.file, o.status) for o in outcomes] == [("employees_202501.csv", "rejected"),
                                                      ("employees_2025-02.csv", "rejected")]
    assert "neither UTF-8 nor Windows-1252: byte 0x81" in outcomes[0].message
    assert "the file name must be employees_YYYYMM.csv" in outcomes[1].message


def test_a_file_for_a_month_after_the_current_one_is_rejected(conn, tmp_path: Path):
    assert current_period(date(2026, 12, 1)) == 202612
    assert current_period(date(2027, 1, 31)) == 202701
    this_month = current_period()
    year, month = divmod(this_month, 100)
    next_month = this_month + 1 if month < 12 else (year + 1) * 100 + 1
    land = tmp_path / "landing"
    write(land, "org_units", this_month, ORG.replace("202501", str(this_month)))
    write(land, "org_units", next_month, ORG.replace("202501", str(next_month)))
    now, future = load(conn, "org_units", land)
    assert (now.status, future.status) == ("loaded", "rejected")
    assert future.message == (f"org_units_{next_month}.csv: rejected: period {next_month} (from the file name) is "
                              f"after the current month {this_month}; rule: a file's period must not be after "
                              "the current month")
    assert conn.execute("select line, \"column\", reason from audit.quarantine").fetchall() == [
        (None, None, future.message.replace(f"org_units_{next_month}.csv: rejected: ", "file rejected: "))]


# --- what else lies in a landing folder (issue 15) ---------------------------------------------------

def outcome_of(outcomes: list[FileOutcome], name: str) -> FileOutcome:
    return next(o for o in outcomes if o.file == name)


def test_folders_and_dangling_links_named_like_a_csv_are_rejected_by_name_not_skipped(conn, landing: Path):
    load(conn, "org_units", landing)
    (landing / "employees" / "employees_202501.csv").mkdir(parents=True)
    (landing / "employees" / "employees_202502.csv").symlink_to(landing / "nowhere.csv")
    outcomes = load(conn, "employees", landing)
    assert [(o.file, o.status) for o in outcomes] == [("employees_202501.csv", "rejected"),
                                                      ("employees_202502.csv", "rejected")]
    assert "is a folder, not a file" in outcomes[0].message
    assert "symbolic link to a file that does not exist" in outcomes[1].message
    assert conn.execute("select count(*) from audit.load_log where status = 'rejected'").fetchone()[0] == 2


def test_a_link_out_of_the_landing_folder_is_refused_and_one_inside_it_is_read(conn, landing: Path, tmp_path: Path):
    load(conn, "org_units", landing)
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(employees(emp_row(P1)), encoding="utf-8")
    (landing / "employees").mkdir()
    (landing / "employees" / "employees_202501.csv").symlink_to(outside)
    (o,) = load(conn, "employees", landing)
    assert o.status == "rejected" and "symbolic link pointing outside the landing folder" in o.message
    assert conn.execute("select count(*) from raw.employees").fetchone()[0] == 0
    # Inside the landing folder a link is just another name for the file.
    inside = landing / "staging.csv.txt"
    inside.write_text(employees(emp_row(P1)), encoding="utf-8")
    (landing / "employees" / "employees_202501.csv").unlink()
    (landing / "employees" / "employees_202501.csv").symlink_to(inside)
    (o,) = load(conn, "employees", landing)
    assert (o.status, o.rows_loaded) == ("loaded", 1)


def test_office_lock_files_are_ignored_with_a_note(conn, landing: Path):
    write(landing, "employees", 202501, employees(emp_row(P1)))
    (landing / "employees" / "~$employees_202501.csv").write_bytes(b"\x00lock")
    (landing / "employees" / "._employees_202501.csv").write_bytes(b"\x00\x05\x16\x07")
    load(conn, "org_units", landing)
    outcomes = load(conn, "employees", landing)
    assert sorted((o.file, o.status) for o in outcomes) == [
        ("._employees_202501.csv", "ignored"), ("employees_202501.csv", "loaded"), ("~$employees_202501.csv", "ignored")]
    assert "an Excel lock file" in outcome_of(outcomes, "~$employees_202501.csv").message
    assert conn.execute("select list(file_name) from audit.load_log where extract = 'employees'").fetchone()[0] == [
        "employees_202501.csv"]


def test_two_files_for_one_month_are_an_error_naming_both(conn, landing: Path):
    load(conn, "org_units", landing)
    write(landing, "employees", 202501, employees(emp_row(P1)))
    (landing / "employees" / "Employees_202501.CSV").write_text(employees(emp_row(P2)), encoding="utf-8")
    outcomes = load(conn, "employees", landing)
    assert [o.status for o in outcomes] == ["rejected", "rejected"]
    for o in outcomes:
        assert "two files for the same extract and month" in o.message
        assert "Employees_202501.CSV" in o.message and "employees_202501.csv" in o.message
    assert conn.execute("select count(*) from raw.employees").fetchone()[0] == 0


def test_a_rejected_file_tried_again_does_not_repeat_its_quarantine_rows(conn, landing: Path):
    load(conn, "org_units", landing)
    write(landing, "employees", 202501, employees(emp_row(P1), emp_row(P2, unit="X1")))
    first = load(conn, "employees", landing)[0]
    counted = conn.execute("select count(*) from audit.quarantine").fetchone()[0]
    assert first.status == "rejected" and counted == 2  # the bad row and the file's own reason
    for _ in range(3):
        (again,) = load(conn, "employees", landing)
        assert again.status == "rejected"
        assert f"(as in load {first.load_id}, whose quarantine rows say why)" in again.message
    assert conn.execute("select count(*) from audit.quarantine").fetchone()[0] == counted
    assert conn.execute("select count(*) from audit.load_log where status = 'rejected'").fetchone()[0] == 4


def test_a_file_name_with_a_newline_is_stored_and_shown_escaped(conn, landing: Path):
    (landing / "employees").mkdir()
    forged = "employees_202501.csv\nRefresh succeeded: published x.csv"
    (landing / "employees" / forged).write_text(employees(emp_row(P1)), encoding="utf-8")
    (o,) = load(conn, "employees", landing)
    assert o.status == "rejected"
    assert "\n" not in o.message and o.file == "employees_202501.csv\\nRefresh succeeded: published x.csv"
    assert conn.execute("select file_name from audit.load_log").fetchone()[0] == o.file


def test_an_org_units_redelivery_dropping_a_unit_still_used_is_refused(conn, landing: Path):
    load(conn, "org_units", landing)
    write(landing, "employees", 202501, employees(emp_row(P1), emp_row(P2, unit="E1000")))
    (o,) = load(conn, "employees", landing)
    assert o.status == "loaded"
    # The new snapshot moves nobody but drops E1000, where both employees work.
    write(landing, "org_units", 202501, "\n".join(l for l in ORG.splitlines() if ";E1000;" not in l) + "\n")
    (org,) = load(conn, "org_units", landing)
    assert org.status == "rejected"
    assert "drops units that loaded employees rows of 202501 still use: E1000 (2 rows)" in org.message
    assert conn.execute("select count(*) from raw.org_units where period = 202501 and kostnadsstalle = 'E1000'"
                        ).fetchone()[0] == 1


def test_a_much_smaller_redelivery_is_held_until_the_month_is_reloaded_on_purpose(conn, landing: Path):
    load(conn, "org_units", landing)
    write(landing, "employees", 202501, employees(*employments(P1, 4)))
    assert load(conn, "employees", landing)[0].rows_loaded == 4
    # Header only: 0 rows would replace 4 (the limit is 50 %, seeds/parameters.csv).
    write(landing, "employees", 202501, EMP_HEADER + "\n")
    (held,) = load(conn, "employees", landing)
    assert held.status == "rejected"
    assert "held: this file would replace 4 loaded rows of 202501 with 0" in held.message
    assert "refresh --periods 202501" in held.message
    assert conn.execute("select count(*) from raw.employees").fetchone()[0] == 4
    # 2 of 4 is not fewer than half: a real correction, loaded.
    write(landing, "employees", 202501, employees(*employments(P1, 2)))
    assert load(conn, "employees", landing)[0].status == "replaced"
    # The override: re-loading the month on purpose accepts the header-only file.
    write(landing, "employees", 202501, EMP_HEADER + "\n")
    (forced,) = load(conn, "employees", landing, force_periods={202501})
    assert (forced.status, forced.rows_loaded) == ("replaced", 0)


def test_absence_hours_beyond_the_scheduled_hours_of_the_spell_are_warned_about(conn, landing: Path):
    # P1 works 168 h in January 2025 (31 days). A 10-day spell may hold 3 x 168 x 10/31 = 162.6 h;
    # a 1-day spell 16.3 h (less than 24 h); P2 is not in the register, so no rule applies.
    write(landing, "employees", 202501, employees(emp_row(P1)))
    assert load_with_units(conn, "employees", landing).status == "loaded"
    header = ("Period;Personnummer;Frånvaroorsak;Ärende-ID;Ärende startdatum;Från datum;Till datum;"
              "Omfattning;Frånvarotimmar")
    rows = [f"202501;{P1};SJK;S1;2025-01-01;2025-01-01;2025-01-10;100;80",    # plausible
            f"202501;{P1};SJK;S2;2025-01-13;2025-01-13;2025-01-22;100;170",   # > 162.6
            f"202501;{P1};SJK;S3;2025-01-27;2025-01-27;2025-01-27;100;16",    # <= 16.3
            f"202501;{P1};SJK;S4;2025-01-29;2025-01-29;2025-01-29;100;17,5",  # > 16.3
            f"202501;{P2};SJK;S5;2025-01-02;2025-01-02;2025-01-02;100;99"]    # no schedule: no rule
    write(landing, "absence", 202501, header + "\n" + "\n".join(rows) + "\n")
    (o,) = load(conn, "absence", landing)
    assert (o.status, o.rows_loaded) == ("loaded", 5), o.message
    assert "2 plausibility warnings" in o.message
    assert conn.execute('select line, "column", value, warning from audit.plausibility_warnings '
                        'order by line').fetchall() == [
        (3, "Frånvarotimmar", "170", "more absence hours than the spell can hold: at most 162.6 h over 10 day(s) "
         "(Ordinarie timmar 168.0 a month x 3, seeds/parameters.csv plausibility_absence_hours_factor)"),
        (5, "Frånvarotimmar", "17,5", "more absence hours than the spell can hold: at most 16.3 h over 1 day(s) "
         "(Ordinarie timmar 168.0 a month x 3, seeds/parameters.csv plausibility_absence_hours_factor)"),
    ]


def test_a_header_only_file_is_a_delivery_and_a_missing_one_keeps_the_month_incomplete(tmp_path: Path):
    # The fixture month with its exits delivered as a header-only file: complete. Without its
    # absence file: incomplete, naming absence. Optional extracts (the survey) never block.
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    events = next((landing / "employment_events").glob("*.csv"))
    events.write_text(events.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    for f in (landing / "survey").glob("*.csv"):
        f.unlink()
    c = duckdb.connect()
    ensure_warehouse(c)
    for name in EXTRACT_ORDER:
        for o in load(c, name, landing):
            assert o.status == "loaded", (name, o.message)
    assert c.execute("select extract, rows_loaded from raw.deliveries where extract = 'employment_events'"
                     ).fetchall() == [("employment_events", 0)]
    assert c.execute("select missing, complete from audit.period_completeness").fetchall() == [([], True)]
    c.execute("delete from raw.deliveries where extract = 'absence'")
    assert c.execute("select missing, complete from audit.period_completeness").fetchall() == [(["absence"], False)]
    assert REQUIRED_MONTHLY == ("org_units", "employees", "payroll", "absence", "employment_events")


def test_implausible_values_are_loaded_with_warnings_kept_in_the_audit_schema(conn, landing: Path):
    rows = [r.replace(";100;168;35000,50;", ";1;168;35000,50;") for r in employments(P1, 3)]
    rows[1] = rows[1].replace(";35000,50;", ";42,000;")  # 42 kr, or 42 000 with a thousands comma?
    rows[2] = rows[2].replace(";35000,50;", ";950;")
    write(landing, "employees", 202501, employees(*rows))
    o = load_with_units(conn, "employees", landing)
    assert (o.status, o.rows_loaded) == ("loaded", 3)
    assert "4 plausibility warnings (audit.plausibility_warnings)" in o.message
    assert conn.execute('select line, "column", value, warning from audit.plausibility_warnings '
                        'order by line nulls first, warning').fetchall() == [
        (None, "Sysselsättningsgrad", None,
         "every employment rate of the file is at most 1: a 0-1 scale delivered instead of 0-100?"),
        (3, "Månadslön", "42,000", "monthly salary below 10000 SEK (seeds/parameters.csv plausibility_min_monthly_salary)"),
        (3, "Månadslön", "42,000", "three decimals after a comma: read as 42.0000, a thousands separator meant?"),
        (4, "Månadslön", "950", "monthly salary below 10000 SEK (seeds/parameters.csv plausibility_min_monthly_salary)"),
    ]
