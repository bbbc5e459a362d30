"""Henkilötunnus: century signs, check characters, dates, temporary codes, masking, detection.

Check characters computed by hand: DDMMYYZZZ as an integer mod 31, indexed into
0123456789ABCDEFHJKLMNPRSTUVWXY (A=10 ... F=15, H=16, J=17, K=18, L=19, M=20, N=21, P=22,
R=23, S=24, T=25, U=26, V=27, W=28, X=29, Y=30). E.g. 131052308 = 31 x 4227493 + 25 -> 'T'.
"""

from __future__ import annotations

from datetime import date

import pytest

from dagster_project import henkilotunnus as hetu
from dagster_project.henkilotunnus import InvalidHenkilotunnus

# (code, birth date, legal gender); the check character is the same for every century sign.
VALID = [
    ("131052-308T", date(1952, 10, 13), "K"),  # 131052308 mod 31 = 25 -> T; 308 even
    ("010180-1232", date(1980, 1, 1), "M"),    # 010180123 mod 31 = 2
    ("010101A123N", date(2001, 1, 1), "M"),    # 010101123 mod 31 = 21 -> N
    ("311299+999E", date(1899, 12, 31), "M"),  # 311299999 mod 31 = 14 -> E; temporary
    ("290200A4561", date(2000, 2, 29), "K"),   # 2000 is a leap year; 290200456 mod 31 = 1
    ("150675-0117", date(1975, 6, 15), "M"),   # 150675011 mod 31 = 7
    ("010100A002H", date(2000, 1, 1), "K"),    # 010100002 mod 31 = 16 -> H; lowest number
    ("120870-233S", date(1970, 8, 12), "M"),   # 120870233 mod 31 = 24 -> S
]


@pytest.mark.parametrize("code,born,gender", VALID)
def test_valid_codes_give_birth_date_and_legal_gender(code, born, gender):
    h = hetu.parse(code)
    assert h.birth_date == born
    assert h.birth_year == born.year
    assert h.legal_gender == gender
    assert h.normalised == code


@pytest.mark.parametrize("sign,century", [
    ("+", 1800),
    ("-", 1900), ("Y", 1900), ("X", 1900), ("W", 1900), ("V", 1900), ("U", 1900),
    ("A", 2000), ("B", 2000), ("C", 2000), ("D", 2000), ("E", 2000), ("F", 2000),
])
def test_every_century_sign(sign, century):
    # 241205124 mod 31 = 14 -> E, whatever the sign (the sign is not part of the check).
    h = hetu.parse(f"241205{sign}124E")
    assert h.birth_date == date(century + 5, 12, 24)
    assert h.legal_gender == "K"


def test_signs_and_letters_in_lower_case_and_surrounding_space_are_accepted():
    h = hetu.parse("  010101a123n ")
    assert h.normalised == "010101A123N"
    assert h.birth_year == 2001


def test_the_century_sign_is_part_of_the_identity():
    # The 2023 signs exist so two people can share date and individual number.
    assert hetu.parse("010101A123N").normalised != hetu.parse("010101B123N").normalised


@pytest.mark.parametrize("code", ["010101G123N", "010101Z123N", "010101*123N", "010101 123N"])
def test_unknown_century_signs_are_rejected(code):
    with pytest.raises(InvalidHenkilotunnus, match="format"):
        hetu.parse(code)


@pytest.mark.parametrize("code,digits", [
    ("300280-1230", "300280123"),   # 30 February
    ("290201A1230", "290201123"),   # 2001 is not a leap year
    ("290200-1230", "290200123"),   # 1900 is not a leap year
    ("011380-1230", "011380123"),   # month 13
    ("000180-1230", "000180123"),   # day 0
])
def test_impossible_dates_are_rejected(code, digits):
    code = code[:-1] + hetu.check_character(digits)  # so only the date is wrong
    with pytest.raises(InvalidHenkilotunnus, match="not a valid date"):
        hetu.parse(code)


@pytest.mark.parametrize("code", ["131052-308U", "131052-3080", "010180-1233", "010101A123M"])
def test_a_wrong_check_character_is_rejected(code):
    with pytest.raises(InvalidHenkilotunnus, match="check character is wrong"):
        hetu.parse(code)


@pytest.mark.parametrize("code", ["010180-123G", "010180-123I", "010180-123O", "010180-123Q", "010180-123Z"])
def test_letters_never_used_as_check_characters_are_rejected(code):
    with pytest.raises(InvalidHenkilotunnus):
        hetu.parse(code)


def test_individual_numbers_000_and_001_are_rejected():
    for number in ("000", "001"):
        digits = f"010180{number}"
        with pytest.raises(InvalidHenkilotunnus, match="not issued"):
            hetu.parse(f"010180-{number}{hetu.check_character(digits)}")


def test_temporary_codes_are_valid_and_flagged():
    # 010150902 mod 31 = 14 -> E; 010120903 mod 31 = 23 -> R.
    h = hetu.parse("010150-902E")
    assert h.temporary and h.legal_gender == "K" and h.birth_year == 1950
    assert hetu.parse("010120A903R").temporary
    assert hetu.parse("010120A903R").legal_gender == "M"
    assert not hetu.parse("131052-308T").temporary
    assert not hetu.parse("150675-0117").temporary  # 011 < 900


@pytest.mark.parametrize("value", ["", "131052308T", "131052-308", "13105-2308T", "131052-308TT", "19521013-308T"])
def test_other_formats_are_rejected(value):
    with pytest.raises(InvalidHenkilotunnus, match="format"):
        hetu.parse(value)


def test_messages_never_hold_the_code():
    for code, _, _ in VALID:
        bad = code[:-1] + ("0" if code[-1] != "0" else "1")
        with pytest.raises(InvalidHenkilotunnus) as exc:
            hetu.parse(bad)
        assert code[7:10] not in str(exc.value) and code[:6] not in str(exc.value)


@pytest.mark.parametrize("value,masked", [
    ("010180-1232", "010180-****"),
    ("010101A123N", "010101-****"),
    ("010101a123n", "010101-****"),
    ("311299+999E", "311299-****"),
    ("010180-123G", "010180-****"),  # invalid: masked all the same
    (" 010180Y1232 ", "010180-****"),
])
def test_mask(value, masked):
    assert hetu.mask(value) == masked
    assert hetu.parse("010180-1232").masked == "010180-****"


def test_scrub_masks_codes_inside_text_in_every_spelling():
    text = "Anmäld av 010180-1232, vittne 010101a123n och 241205B124E; kund 010120A903R."
    assert hetu.scrub(text) == "Anmäld av 010180-****, vittne 010101-**** och 241205-****; kund 010120-****."
    # Dates and amounts are not ids.
    assert hetu.scrub("2025-12-01 belopp 1234,50") == "2025-12-01 belopp 1234,50"


def test_scrub_sql_is_the_same_rule_in_duckdb():
    import duckdb

    text = "Anmäld av 010180-1232, vittne 010101a123n och 241205B124E."
    conn = duckdb.connect()
    try:
        got = conn.execute(f"select {hetu.scrub_sql('v')} from (select ?::varchar as v)", [text]).fetchone()[0]
    finally:
        conn.close()
    assert got == hetu.scrub(text)


def test_find_in_text_returns_only_valid_codes():
    text = "ok 010180-1232, wrong check 010180-1233, id:241205b124e, part of 9010180-1232 no."
    assert hetu.find_in_text(text) == ["010180-1232", "241205b124e"]


def test_the_loaders_scrub_masks_both_national_ids():
    from dagster_project.parsing import scrub, scrub_sql
    import duckdb

    text = "pnr 19850101-1234 och 850101-1234, hetu 010101A123N och 131052-308T"
    assert scrub(text) == "pnr 19850101-**** och 850101-****, hetu 010101-**** och 131052-****"
    conn = duckdb.connect()
    try:
        assert conn.execute(f"select {scrub_sql('v')} from (select ?::varchar v)", [text]).fetchone()[0] == scrub(text)
    finally:
        conn.close()


def test_pseudonymizer_under_the_fi_profile():
    import hashlib
    import hmac

    from dagster_project.pseudonym import Pseudonymizer, pseudonymise

    key = b"test-key-0123456789abcdef"
    p = Pseudonymizer(key, person_id="henkilotunnus")
    a = p.fields("010101A123N", 202512)
    # The same keyed HMAC as a personnummer, over the upper-case code.
    assert a.person_key == hmac.new(key, b"010101A123N", hashlib.sha256).hexdigest()
    assert a.person_key == pseudonymise("010101A123N", key)
    assert (a.birth_year, a.legal_gender, a.masked, a.error, a.temporary) == (2001, "M", "010101-****", None, False)
    # Spelling does not matter; the century sign does.
    assert p.fields(" 010101a123n", 202601).person_key == a.person_key
    assert p.fields("010101B123N", 202512).person_key != a.person_key
    temp = p.fields("010150-902E", 202512)
    assert temp.temporary and temp.person_key and temp.legal_gender == "K"
    bad = p.fields("010101A123M", 202512)
    assert bad.person_key is None and bad.masked == "010101-****" and "check character" in bad.error
    # Under FI a Swedish personnummer is not an id, and the reverse.
    assert p.fields("19850101-1234", 202512).error
    assert Pseudonymizer(key, person_id="personnummer").fields("010101A123N", 202512).error
