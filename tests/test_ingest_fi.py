"""The loader under the Finnish profile: henkilötunnus at load, Finnish headers and codes,
temporary ids, and that no full id survives in the raw tables, the quarantine or the log."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

from dagster_project.ingest import load_extract
from dagster_project.pseudonym import Pseudonymizer
from test_ingest import conn, write  # noqa: F401  (conn is a fixture)

KEY = b"test-key-0123456789abcdef"
# Valid codes, check characters by hand (tests/test_henkilotunnus.py): 131052308 mod 31 = 25
# -> T; 010180123 -> 2; 010101123 -> 21 = N; 241205124 -> 14 = E; 150675011 -> 7;
# 120870233 -> 24 = S; temporary 010150902 -> 14 = E.
H_1952_K = "131052-308T"
H_1980_M = "010180-1232"
H_2001_M = "010101A123N"
H_2005_K = "241205B124E"
H_1975_M = "150675X0117"
H_1970_M = "120870W233S"
H_TEMP_K = "010150-902E"
ALL = (H_1952_K, H_1980_M, H_2001_M, H_2005_K, H_1975_M, H_1970_M, H_TEMP_K)
INVALID = ("131052-308U", "300280-1230", "19521013-3081")


def leaks(text: str) -> list[str]:
    """The delivered ids (valid or not) found in `text` in any case, whole or without the
    sign: what must never be stored or shown. (A shape scan would hit the hex pseudonyms.)"""
    upper = text.upper()
    return [i for i in ALL + INVALID
            if i.upper() in upper or (i[:6] + i[7:]).upper() in upper]

ORG_FI = """Kausi;Kustannuspaikka;Nimi;Yläyksikkö;Taso
202501;R1;Hyvinvointialue;;1
202501;E1000;Päivystys;R1;4
"""
EMP_FI = ("Kausi;Henkilötunnus;Henkilönumero;Sukupuoli;Kustannuspaikka;Ammattikoodi;Palvelussuhteen laji;"
          "Osa-aikaprosentti;Säännöllinen työaika;Kuukausipalkka;Esihenkilö;Palvelussuhteen alkupäivä")


def load(conn, extract: str, landing: Path, person_id: str = "henkilotunnus"):
    # Any share of bad rows loads the rest: these files are small on purpose.
    return load_extract(conn, extract, landing, key=KEY, max_bad_share=1.0,
                        pseudonyms=Pseudonymizer(KEY, person_id=person_id))


def load_employees(conn, tmp_path: Path, rows: list[str], header: str = EMP_FI, person_id: str = "henkilotunnus"):
    landing = tmp_path / "landing"
    write(landing, "org_units", 202501, ORG_FI)
    write(landing, "employees", 202501, header + "\n" + "\n".join(rows) + "\n")
    (org,) = load(conn, "org_units", landing, person_id)
    assert org.status == "loaded", org.message
    (out,) = load(conn, "employees", landing, person_id)
    return out


def every_text(conn) -> str:
    """Every text value of every table the loader wrote (raw and audit)."""
    parts = []
    for schema, table, column in conn.execute(
            """select table_schema, table_name, column_name from information_schema.columns
               where data_type = 'VARCHAR' and table_schema in ('raw', 'audit')""").fetchall():
        parts += [str(v) for (v,) in conn.execute(f'select "{column}" from "{schema}"."{table}"').fetchall()]
    return "\n".join(parts)


def test_the_leak_scan_can_fail():
    assert leaks(f"a {H_1952_K.lower()} b 1310523085") == [H_1952_K]


def test_finnish_headers_codes_and_every_century_sign(conn, tmp_path):
    rows = [
        f"202501;{H_1952_K};1;N;E1000;2221;VAK;100;160;3500,00;E;2010-01-01",
        f"202501;{H_1980_M};2;;E1000;2221;MÄÄR;80;128;3100,00;K;2020-01-01",
        f"202501;{H_2001_M.lower()};3;;E1000;5321;vak;100;160;2900,00;e;2024-05-01",
        f"202501;{H_2005_K};4;;E1000;5321;TUNTI;;;;;2024-06-01",
        f"202501;{H_1975_M};5;M;E1000;2212;VAK;100;160;7000,00;Kyllä;2000-01-01",
        f"202501;{H_1970_M};6;;E1000;2212;TV;100;160;7100,00;N;2001-01-01",
    ]
    out = load_employees(conn, tmp_path, rows)
    assert (out.status, out.rows_loaded, out.rows_quarantined) == ("loaded", 6, 0), out.message
    got = conn.execute("""select anstallningsnummer, birth_year, legal_gender, kon, anstallningsform, chef
                          from raw.employees order by anstallningsnummer""").fetchall()
    assert got == [
        ("1", 1952, "K", "K", "TV", False),   # Sukupuoli N (nainen) -> K
        ("2", 1980, "M", None, "VI", True),   # MÄÄR -> VI, Esihenkilö K (kyllä) -> true
        ("3", 2001, "M", None, "TV", False),  # lower case code and id
        ("4", 2005, "K", None, "TIM", None),  # sign B (2000s)
        ("5", 1975, "M", "M", "TV", True),    # sign X (1900s)
        ("6", 1970, "M", None, "TV", False),  # sign W; a Swedish code is accepted as well
    ]
    keys = dict(conn.execute("select anstallningsnummer, person_key from raw.employees").fetchall())
    assert keys["3"] == hmac.new(KEY, H_2001_M.encode(), hashlib.sha256).hexdigest()
    assert leaks(every_text(conn)) == []


def test_swedish_and_finnish_headers_mix_in_one_file(conn, tmp_path):
    header = EMP_FI.replace("Sukupuoli", "Kön").replace("Kustannuspaikka", "Kostnadsställe")
    out = load_employees(conn, tmp_path, [f"202501;{H_1952_K};1;K;E1000;2221;TV;100;160;3500;N;2010-01-01"], header)
    assert out.status == "loaded" and out.rows_loaded == 1, out.message


def test_a_column_under_both_its_headers_is_rejected(conn, tmp_path):
    header = EMP_FI + ";Kön"
    out = load_employees(conn, tmp_path, [f"202501;{H_1952_K};1;K;E1000;2221;TV;100;160;3500;N;2010-01-01;K"], header)
    assert out.status == "rejected"
    # Named as delivered: first in Finnish, then again in Swedish.
    assert "column 'Sukupuoli' appears twice in the header, also as 'Kön' (line 1)" in out.message


def test_invalid_ids_are_quarantined_masked_with_the_finnish_rule(conn, tmp_path):
    rows = [
        f"202501;{H_1952_K};1;;E1000;2221;VAK;100;160;3500;E;2010-01-01",
        "202501;131052-308U;2;;E1000;2221;VAK;100;160;3500;E;2010-01-01",   # wrong check character
        "202501;300280-1230;3;;E1000;2221;VAK;100;160;3500;E;2010-01-01",   # 30 February
        "202501;19521013-3081;4;;E1000;2221;VAK;100;160;3500;E;2010-01-01",  # a personnummer: not under FI
    ] + [f"202501;{h};{10 + i};;E1000;2221;VAK;100;160;3500;E;2010-01-01" for i, h in enumerate(ALL[1:6])]
    out = load_employees(conn, tmp_path, rows)
    assert out.rows_loaded == 6 and out.rows_quarantined == 3, out.message
    q = conn.execute('select line, "column", value, reason from audit.quarantine order by line').fetchall()
    # The column is named by the header the file delivered (EMP_FI: Henkilötunnus).
    assert [(line, col, value) for line, col, value, _ in q] == [
        (3, "Henkilötunnus", "131052-****"),
        (4, "Henkilötunnus", "300280-****"),
        (5, "Henkilötunnus", "19521013-****"),
    ]
    assert q[0][3].startswith("the check character is wrong; rule: henkilötunnus DDMMYYCZZZQ")
    assert q[1][3].startswith("the date part is not a valid date; rule: henkilötunnus")
    assert leaks(every_text(conn)) == []


def test_temporary_ids_are_accepted_with_a_note(conn, tmp_path):
    rows = [f"202501;{H_TEMP_K};1;;E1000;2221;VAK;100;160;3500;E;2010-01-01",
            f"202501;{H_1952_K};2;;E1000;2221;VAK;100;160;3500;E;2010-01-01"]
    out = load_employees(conn, tmp_path, rows)
    assert out.status == "loaded" and out.rows_loaded == 2
    assert "1 rows with a temporary henkilötunnus (individual number 900-999): accepted" in out.message
    assert conn.execute("select birth_year, legal_gender from raw.employees where anstallningsnummer = '1'").fetchone() \
        == (1950, "K")
    assert leaks(every_text(conn)) == []


@pytest.mark.parametrize("person_id", ["henkilotunnus", "personnummer"])
def test_a_henkilotunnus_in_a_text_column_is_never_stored_under_either_profile(conn, tmp_path, person_id):
    pid = H_1980_M if person_id == "henkilotunnus" else "19850101-1236"
    rows = [f"202501;{pid};nr {H_2001_M.lower()};;E1000;2221;TV;100;160;3500;N;2010-01-01",
            f"202501;{pid};7;;E1000;2221;TV;100;160;3500;N;2010-01-01"]
    out = load_employees(conn, tmp_path, rows, person_id=person_id)
    assert out.rows_quarantined == 1, out.message
    (line, col, value, reason) = conn.execute('select line, "column", value, reason from audit.quarantine').fetchone()
    assert (line, col, value) == (2, "Henkilönumero", "nr 010101-****")
    assert reason.startswith("holds a henkilötunnus, which must never be stored")
    assert leaks(every_text(conn)) == []


def test_finnish_absence_and_event_codes_map_onto_the_seeds(conn, tmp_path):
    landing = tmp_path / "landing"
    write(landing, "org_units", 202501, ORG_FI)
    write(landing, "absence", 202501,
          "Kausi;Henkilötunnus;Poissaolon syy;Poissaolotapauksen tunnus;Poissaolotapauksen alkupäivä;"
          "Alkupäivä;Loppupäivä;Laajuus;Poissaolotunnit\n"
          f"202501;{H_1952_K};SAI;S1;2025-01-02;2025-01-02;2025-01-03;100;16\n"
          f"202501;{H_1952_K};TTAP;S2;2025-01-10;2025-01-10;2025-01-10;50;4\n"
          f"202501;{H_1952_K};VL;S3;2025-01-20;2025-01-20;2025-01-24;100;40\n")
    write(landing, "employment_events", 202501,
          "Kausi;Tapahtumapäivä;Henkilötunnus;Tapahtuma;Palvelussuhteen laji;Kustannuspaikka;"
          "Päättymisen syy;Keskustelu käyty\n"
          f"202501;2025-01-05;{H_1980_M};ALKU;VAK;E1000;;K\n"
          f"202501;2025-01-31;{H_1970_M};LOPPU;VAK;E1000;ELÄKE;E\n")
    for extract in ("org_units", "absence", "employment_events"):
        for out in load(conn, extract, landing):
            assert out.status == "loaded" and out.rows_quarantined == 0, out.message
    assert conn.execute("select franvaroorsak from raw.absence order by arende_id").fetchall() == \
        [("SJK",), ("ASK",), ("SEM",)]
    assert conn.execute("select handelse, anstallningsform, orsak, samtal_genomfort from raw.employment_events "
                        "order by handelsedatum").fetchall() == [("NY", "TV", None, True), ("AVG", "TV", "PENS", False)]


PAY_FI = "Kausi;Henkilötunnus;Kustannuspaikka;Palkkalaji;Määrä;Summa;Kohdistuskausi"


def test_quarantine_names_the_finnish_headers_and_the_rules_say_euro(conn, tmp_path):
    landing = tmp_path / "landing"
    write(landing, "org_units", 202501, ORG_FI)
    rows = [f"202501;{H_1952_K};E1000;1100;;3500,00;202501",
            f"202501;{H_1952_K};E1000;1100;;abc;202501",        # not an amount
            f"202501;{H_1952_K};E1000;1100;;10,00;202502",      # refers to a later month
            f"202501;{H_1952_K};E9999;1100;;20,00;202501"]      # no such unit
    write(landing, "payroll", 202501, PAY_FI + "\n" + "\n".join(rows) + "\n")
    load(conn, "org_units", landing)
    (out,) = load(conn, "payroll", landing)
    assert out.rows_loaded == 1 and out.rows_quarantined == 3, out.message
    q = conn.execute('select line, "column", value, reason from audit.quarantine order by line').fetchall()
    assert q == [
        (3, "Summa", "abc", "not a decimal number; rule: EUR, may be negative"),
        (4, "Kohdistuskausi", "202502", "Kohdistuskausi must not be after Kausi"),
        (5, "Kustannuspaikka", "E9999",
         "unknown Kustannuspaikka, not in the org_units snapshot of 202501; rule: must exist in org_units for the period"),
    ]


def test_the_salary_floor_is_in_euro_and_names_the_delivered_header(conn, tmp_path):
    # 3 500 € is an ordinary salary (below the kronor floor of 10 000); 500 € is not.
    rows = [f"202501;{H_1952_K};1;;E1000;2221;VAK;100;160;3500;E;2010-01-01",
            f"202501;{H_1980_M};2;;E1000;2221;VAK;100;160;500;E;2010-01-01"]
    out = load_employees(conn, tmp_path, rows)
    assert out.rows_loaded == 2, out.message
    warnings = conn.execute('select line, "column", value, warning from audit.plausibility_warnings').fetchall()
    assert warnings == [(3, "Kuukausipalkka", "500",
                         "monthly salary below 900 EUR (seeds/parameters.csv plausibility_min_monthly_salary_eur)")]
