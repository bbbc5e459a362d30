"""Parsing rules for real extracts: encodings, headers, values, personnummer, masking."""

from __future__ import annotations

import random
import re
from datetime import date

import duckdb
import pytest

from dagster_project.contracts import EXTRACTS, RAW_TYPES
from dagster_project.parsing import (
    FileFormatError,
    InvalidPersonnummer,
    detect_encoding,
    display_name,
    holds_personnummer,
    mask_personnummer,
    normalise_header,
    parse_personnummer,
    scrub,
    scrub_sql,
    sql_formula_like,
    split_header,
    sql_bool,
    sql_date,
    sql_decimal,
    sql_integer,
    sql_period,
)
from dagster_project.pseudonym import Pseudonymizer, pseudonymise

FULL_PNR = re.compile(r"\b(\d{6}|\d{8})[-+]?\d{4}\b")
JAN_2025 = date(2025, 1, 31)
KEY = b"test-key-0123456789abcdef"


def sql_value(expr_fn, value):
    conn = duckdb.connect()
    try:
        return conn.execute(f"select {expr_fn('v')} from (select ?::varchar as v)", [value]).fetchone()[0]
    finally:
        conn.close()


# --- encodings and headers -----------------------------------------------------------------------

def test_encoding_is_detected_from_the_bytes():
    assert detect_encoding("Kön;Nivå\n".encode("utf-8")) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + "Kön\n".encode("utf-8")) == "utf-8-sig"
    assert detect_encoding("Kön;Nivå\n".encode("cp1252")) == "cp1252"
    # ASCII is valid UTF-8: never assumed to be anything else.
    assert detect_encoding(b"Period;Typ\n") == "utf-8"


def test_bytes_that_are_neither_utf8_nor_cp1252_are_an_error():
    # 0x81 is undefined in Windows-1252 and invalid as a UTF-8 start byte.
    with pytest.raises(FileFormatError, match="neither UTF-8 nor Windows-1252"):
        detect_encoding(b"Period;\x81\n")


def test_mixed_encodings_utf16_and_nul_bytes_are_errors_with_the_offending_byte():
    utf8 = "Benämning\n".encode("utf-8")  # 'ä' is the pair c3 a4
    with pytest.raises(FileFormatError, match="mixed encodings") as exc:
        detect_encoding(utf8 + "Östra\n".encode("cp1252"))
    assert exc.value.offset == len(utf8)  # the cp1252 'Ö' (0xd6)
    with pytest.raises(FileFormatError, match="mixed encodings"):
        detect_encoding(b"\xef\xbb\xbf" + "Östra\n".encode("cp1252"))  # a BOM says UTF-8
    with pytest.raises(FileFormatError, match="UTF-16"):
        detect_encoding("Period;Typ\n".encode("utf-16"))
    with pytest.raises(FileFormatError, match="NUL bytes") as exc:
        detect_encoding(b"Period;Typ\n2025\x0001;X\n")
    assert exc.value.offset == 15


@pytest.mark.parametrize("value, formula", [
    ("=HYPERLINK(\"http://x.example\",\"klicka\")", True),
    ("=1+1", True),
    ("+HYPERLINK(\"http://x.example\")", True),
    ("@SUM(A1:A9)", True),
    ("-cmd|' /C calc'!A0", True),
    ("\t=1+1", True),  # a leading tab or CR is no protection
    ("\r@SUM(A1)", True),
    # Legitimate values that only look odd: no function call, no pipe.
    ("@Work Bemanning AB", False),
    ("- vakant", False),
    ("-Hem och Omsorg", False),
    ("+46 70 123 45 67", False),
    ("A1001", False),
    ("Region Exempel (test)", False),
    ("Sjukhuset = Akuten", False),  # '=' inside, not first
    # A leading number does not make the rest harmless: the spreadsheet computes it all.
    ("-1+HYPERLINK(\"http://x.example\")", True),
    ("+1+1", True),
    ("- 2*3", True),
    ("-5", False),  # a signed number is a number
    ("+46 70 123 45 67 Bemanning", False),
])
def test_formula_shape_flags_what_a_spreadsheet_would_run(value, formula):
    assert sql_value(sql_formula_like, value) is formula


def test_headers_match_case_insensitively_and_trimmed_including_swedish_letters():
    assert normalise_header("  KOSTNADSSTÄLLE ") == normalise_header("Kostnadsställe")
    assert normalise_header("ÄRENDE  STARTDATUM") == normalise_header("Ärende startdatum")
    assert normalise_header("\ufeffPeriod") == "period"
    assert normalise_header("NIVÅ") == "nivå"


def test_header_with_another_delimiter_is_a_clear_error():
    assert split_header("Period; Typ ;Kön") == ["Period", "Typ", "Kön"]
    with pytest.raises(FileFormatError, match="delimiter must be ';'.*','"):
        split_header("Period,Personnummer,Kön")
    with pytest.raises(FileFormatError, match="tab"):
        split_header("Period\tPersonnummer")


# --- values (the SQL the loader runs) --------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("17429,50", 17429.5), ("17429.50", 17429.5), ("-7600", -7600), ("1 234,25", 1234.25),
    ("4,5", 4.5), (",5", 0.5), ("abc", None), ("1,234.50", None), ("12,3,4", None),
])
def test_decimal_comma_or_point(raw, expected):
    got = sql_value(sql_decimal, raw)
    assert (None if got is None else float(got)) == expected


@pytest.mark.parametrize("raw, expected", [
    ("2025-01-31", date(2025, 1, 31)), ("20250131", date(2025, 1, 31)), ("2024-02-29", date(2024, 2, 29)),
    ("2025-02-30", None), ("20250230", None), ("2025-2-3", None), ("31/01/2025", None), ("2025-13-01", None),
])
def test_dates_in_both_formats_and_impossible_dates_rejected(raw, expected):
    assert sql_value(sql_date, raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("J", True), ("j", True), ("Ja", True), ("1", True), ("N", False), ("Nej", False), ("NEJ", False),
    ("0", False), ("x", None), ("Yes", None),
])
def test_booleans(raw, expected):
    assert sql_value(sql_bool, raw) == expected


def test_periods_and_integers():
    assert sql_value(sql_period, "202501") == 202501
    assert sql_value(sql_period, "202513") is None
    assert sql_value(sql_period, "2025-01") is None
    assert sql_value(sql_integer, "-3") == -3
    assert sql_value(sql_integer, "3,5") is None


# --- personnummer ----------------------------------------------------------------------------------

def test_all_four_formats_give_the_same_number():
    # 850101-123 has Luhn check digit 6 (2*8=16->7, 5, 0, 1, 0, 1, 2, 2, 6: sum 24).
    for raw in ("19850101-1236", "198501011236", "850101-1236", " 8501011236 "):
        p = parse_personnummer(raw, JAN_2025)
        assert p.normalised == "198501011236"
        assert p.birth_year == 1985
        assert p.legal_gender == "M"  # second-to-last digit 3 is odd
        assert not p.coordination


def test_plus_means_100_or_older():
    # 180101-123 has check digit 8.
    assert parse_personnummer("180101-1238", JAN_2025).birth_year == 2018
    assert parse_personnummer("180101+1238", JAN_2025).birth_year == 1918
    assert parse_personnummer("180101+1238", JAN_2025).normalised == "191801011238"


def test_samordningsnummer_day_plus_60_is_accepted():
    # 850161-123 has check digit 3.
    p = parse_personnummer("19850161-1233", JAN_2025)
    assert p.coordination
    assert p.birth_date == date(1985, 1, 1)
    assert p.normalised == "198501611233"
    assert parse_personnummer("850161-1233", JAN_2025).normalised == "198501611233"


def test_gender_from_second_to_last_digit():
    assert parse_personnummer("900215-2347", JAN_2025).legal_gender == "K"  # 4 is even
    assert parse_personnummer("800101-1231", JAN_2025).legal_gender == "M"  # 3 is odd


@pytest.mark.parametrize("raw, reason", [
    ("19850101-1237", "Luhn"),
    ("19850230-1230", "not a valid date"),  # Luhn passes (check digit 0), 30 February does not exist
    ("1985010-1236", "format"),
    ("abc", "format"),
    ("19850101+1236", "'\\+' is only used"),
])
def test_invalid_personnummer_rejected_without_showing_the_number(raw, reason):
    with pytest.raises(InvalidPersonnummer, match=reason) as exc:
        parse_personnummer(raw, JAN_2025)
    assert "1236" not in str(exc.value) and "1237" not in str(exc.value)


@pytest.mark.parametrize("raw", ["19850101\u20131236", "19850101\u20141236", "850101 1236", "850101\u00a01236"])
def test_a_retyped_hyphen_is_still_a_hyphen(raw):
    # Autocorrect's en dash, an em dash, a space: the same person as 19850101-1236.
    assert parse_personnummer(raw, JAN_2025).normalised == "198501011236"


@pytest.mark.parametrize("text, holds", [
    ("Konsult 19850101\u20131236 AB", True),
    ("Anna 850101\u00a01236", True),
    ("A-850101 1236-x", True),
    ("nr198501011236", True),
    ("19850101\u20131237", False),  # Luhn digit wrong: an invoice number, not a person
    ("F-2024010112345", False),  # part of a longer digit run
    ("19850230-1230", False),  # no such date
])
def test_personnummer_found_in_longer_text_in_any_spelling_luhn_checked(text, holds):
    assert holds_personnummer(text, JAN_2025) is holds


def test_file_names_are_shown_masked_and_on_one_line():
    assert display_name("employees_19850101\u20131236.csv") == "employees_19850101-****.csv"
    forged = "x.csv\nRefresh succeeded: published\x1b[0m"
    assert display_name(forged) == "x.csv\\nRefresh succeeded: published\\x1b[0m"
    assert "\n" not in display_name(forged)


def test_masking():
    assert mask_personnummer("19850101-1236") == "19850101-****"
    assert mask_personnummer("198501011236") == "19850101-****"
    assert mask_personnummer("850101-1237") == "850101-****"
    assert mask_personnummer("85-01-01 12 36") == "**-**-** ** **"


def test_scrub_masks_every_personnummer_shape_in_python_and_sql():
    text = ("rad 7: 19850101-1236, 8501011236 och 850101+1236 samt 198501011236; belopp 35000; "
            "19850101\u20131236 850101\u2014123 6 850101\u00a01236 850101 1236")
    scrubbed = scrub(text)
    assert scrubbed == ("rad 7: 19850101-****, 850101-**** och 850101-**** samt 19850101-****; belopp 35000; "
                        "19850101-**** 850101\u2014123 6 850101-**** 850101-****")
    assert not FULL_PNR.search(scrubbed)
    conn = duckdb.connect()
    assert conn.execute(f"select {scrub_sql('?')}", [text]).fetchone()[0] == scrubbed
    conn.close()


# --- pseudonyms ------------------------------------------------------------------------------------

def test_pseudonym_is_keyed_hmac_sha256_of_the_12_digit_number():
    # Expected value from an independent implementation:
    # printf '%s' 198501011236 | openssl dgst -sha256 -hmac 'test-key-0123456789abcdef'
    assert pseudonymise("198501011236", KEY) == "017cd3142c33b1c84aefe3a01b60470fee43fcbb2fe74d6371a0603a36cfd141"
    assert pseudonymise("198501011236", b"another-key-0123456789") != pseudonymise("198501011236", KEY)


def test_pseudonymizer_gives_every_format_the_same_key_and_masks_failures():
    p = Pseudonymizer(KEY)
    keys = {p.fields(raw, 202501).person_key for raw in ("19850101-1236", "850101-1236", "8501011236")}
    assert keys == {"017cd3142c33b1c84aefe3a01b60470fee43fcbb2fe74d6371a0603a36cfd141"}
    bad = p.fields("19850101-1237", 202501)
    assert bad.person_key is None and bad.masked == "19850101-****" and "Luhn" in bad.error


# --- the row rules: Python and SQL say the same ---------------------------------------------------

def _sample(kind: str, rnd: random.Random):
    if rnd.random() < 0.2:
        return None
    return {
        "period": rnd.choice([202412, 202501, 202502]),
        "date": rnd.choice([date(2024, 12, 31), date(2025, 1, 1), date(2025, 1, 15), date(2025, 2, 1)]),
        "integer": rnd.choice([0, 1, 2, 3, 5, 10]),
        "decimal": rnd.choice([0, 50, 100]),
        "code": rnd.choice(["TV", "VI", "TIM", "NY", "AVG", "BYTE", "EGEN"]),
    }.get(kind, "x")


@pytest.mark.parametrize("extract", [e for e in EXTRACTS.values() if e.row_rules], ids=lambda e: e.name)
def test_row_rule_sql_agrees_with_python(extract):
    rnd = random.Random(4)
    conn = duckdb.connect()
    cols = [c for c in extract.columns if c.kind != "personnummer"]
    for _ in range(300):
        row = {c.name: _sample(c.kind, rnd) for c in cols}
        if extract.name == "survey" and rnd.random() < 0.5 and all(row.get(f"svar_{i}") is not None
                                                                    for i in range(1, 6)):
            row["svarande"] = sum(row[f"svar_{i}"] for i in range(1, 6))
        select = ", ".join(f"?::{RAW_TYPES[c.kind]} as {c.name}" for c in cols)
        for rule in extract.row_rules:
            fails_sql = conn.execute(f"select not coalesce(({rule.sql}), true) from (select {select})",
                                     [row[c.name] for c in cols]).fetchone()[0]
            assert fails_sql == (not rule.check(row)), (rule.rule, row)
    conn.close()
