"""The dashboard in suomi and under the FI profile: Finnish number formats and labels, and
the overview and the henkilöstöraportti page on the file the real pipeline publishes from the
Finnish golden fixture (figures from tests/fixtures/golden_fi/EXPECTED.md)."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dagster_project import config as hrkpi_config
from streamlit_app import export, fmt, fmt_fi
from test_dashboard import APP, NB, no_errors, tiles

import pandas as pd


def test_finnish_numbers_units_and_months():
    assert fmt.format_number(1234567.891, 0, "fi") == f"1{NB}234{NB}568"
    assert fmt.format_value(1800, "eur", lang="fi") == f"1{NB}800{NB}€"
    assert fmt.format_value(12.14, "days", 1, "fi") == f"12,1{NB}pv"
    assert fmt.format_value(1.8539, "person_years", 2, "fi") == f"1,85{NB}htv"
    assert fmt.format_change(0.4, "percent", 1, "fi") == f"+0,4{NB}%-yks."
    assert fmt.format_month(dt.date(2025, 12, 1), "fi") == "joulukuu 2025"
    assert fmt.format_value(None, "percent", suppressed=True, lang="fi") == "Piilotettu"
    # Swedish is unchanged by the Finnish tables.
    assert fmt.format_month(dt.date(2025, 12, 1), "sv") == "dec 2025"
    assert fmt.format_value(1000, "sek", lang="sv") == f"1{NB}000{NB}kr"


def test_every_label_has_a_finnish_text():
    assert [k for k, v in fmt.TEXT.items() if isinstance(v, dict) and "fi" not in v] == []
    assert [k for k, v in fmt.BREAKDOWN_VALUE_LABELS.items() if "fi" not in v] == []
    assert set(fmt_fi.STRATEGY_AREAS_FI) == set(fmt.STRATEGY_AREAS)
    assert fmt.t("page_overview", "fi") == "Yleiskuva"
    assert fmt.area_label("Sunt och tryggt arbete", "fi") == "Terveellinen ja turvallinen työ"


def test_definitions_labels_and_profession_groups_have_finnish_texts():
    import csv

    from hrkpi_config import SEEDS_DIR
    from streamlit_app import ui

    with open(SEEDS_DIR / "kpi_catalogue.csv", encoding="utf-8") as fh:
        catalogue = list(csv.DictReader(fh))
    for r in catalogue:
        assert r["definition_fi"] and r["definition_fi"] != r["definition"], r["kpi_id"]
        # A label is empty in Finnish exactly where it is empty in Swedish.
        for part in ("numerator", "denominator"):
            assert bool(r[f"{part}_label_fi"]) == bool(r[f"{part}_label_sv"]), (r["kpi_id"], part)
    with open(SEEDS_DIR / "profession_groups.csv", encoding="utf-8") as fh:
        groups = {r["profession_group"]: r for r in csv.DictReader(fh)}
    assert groups["nurse"]["name_fi"] == "Sairaanhoitajat ja kätilöt"
    assert all(g["name_fi"] and g["name_fi"] != g["name_sv"] for g in groups.values())
    # Under FI the Swedish and English salary labels name euro, not kronor.
    assert ui._in_currency("Kvinnors medellön (kr)", "EUR") == "Kvinnors medellön (€)"
    assert ui._in_currency("Women's mean salary (SEK)", "EUR") == "Women's mean salary (EUR)"
    assert ui._in_currency("Kvinnors medellön (kr)", "SEK") == "Kvinnors medellön (kr)"


def test_finnish_csv_uses_semicolon_and_decimal_comma():
    data = export.to_csv_bytes(pd.DataFrame({"a": [1.5]}), "fi").decode("utf-8-sig")
    assert data.splitlines() == ["a", "1,5"]


@pytest.fixture
def fi_app(golden_fi_run, monkeypatch):
    s, result = golden_fi_run
    assert result.success
    monkeypatch.setenv(hrkpi_config.ENV_PROFILE, "FI")
    monkeypatch.setenv(hrkpi_config.ENV_PUBLISHED_DB, str(s.published_db))
    st.cache_data.clear()

    def run(**query) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        for k, v in query.items():
            at.query_params[k] = v
        return at.run()

    yield run
    st.cache_data.clear()


def test_overview_in_suomi_on_the_finnish_county(fi_app):
    at = fi_app(lang="fi", month="2025-12", window="year")
    no_errors(at)
    shown = tiles(at)
    assert shown["Henkilötyövuodet (HTV2)"][0] == f"1,9{NB}htv"  # 1.8539, one decimal
    assert shown["Sairauspoissaolopäivät / HTV"][0] == f"12,1{NB}pv"
    assert shown["Lähtövaihtuvuus"][0] == f"20,0{NB}%"
    assert shown["Vuokratyövoiman kustannukset (euroa)"][0] == f"1{NB}800{NB}€"
    assert shown["Työtapaturmataajuus (tapaturmat / milj. tehtyä työtuntia)"][0] == f"655,5"
    assert not any("kruunua" in name for name in shown)
    assert "Yleiskuva" in [h.value for h in at.title]


def test_henkilostoraportti_page(fi_app):
    at = fi_app(lang="fi", month="2025-12")
    no_errors(at)
    at.switch_page("views/henkilostoraportti.py").run()
    no_errors(at)
    assert [h.value for h in at.title] == ["Henkilöstöraportti"]
    table = at.dataframe[0].value
    rows = dict(zip(table.iloc[:, 0], table.iloc[:, 1]))
    assert table.columns[1] == "2025"
    assert rows["Henkilöstömäärä kauden lopussa"] == "12"
    assert rows["Henkilöstömäärä: Vakinainen"] == "10"
    assert rows["Henkilöstömäärä: Määräaikainen"] == "1"
    assert rows["Henkilöstömäärä: Tuntipalkkainen"] == "1"
    assert rows["Henkilötyövuodet (HTV2)"] == f"1,9{NB}htv"
    assert rows["Sairauspoissaolopäivät / HTV"] == f"12,1{NB}pv"
    assert rows["Työtapaturmat"] == "2"
    assert rows["Tulovaihtuvuus"] == f"10,0{NB}%"
    assert rows["Lähtövaihtuvuus"] == f"20,0{NB}%"
    assert rows["Vuokratyövoiman kustannukset (euroa)"] == f"1{NB}800{NB}€"
    assert rows["Vuokratyövoiman kustannukset, % omista henkilöstökustannuksista"] == f"2,1{NB}%"
    # The copy-ready block holds the same table, tab-separated.
    assert "Lähtövaihtuvuus\t20,0" in at.code[0].value


def test_definitions_page_in_suomi_shows_the_finnish_definitions(fi_app):
    at = fi_app(lang="fi", month="2025-12")
    no_errors(at)
    at.switch_page("views/definitions.py").run()
    no_errors(at)
    text = "\n".join(m.value for m in at.markdown)
    assert "Palvelussuhteen palkalliset kalenteripäivät / vuoden päivät" in text  # person_years_htv
    assert "**Osoittaja:** Sairauspoissaolopäivät" in text  # sick_days_per_htv's numerator
    assert "Betalda anställningsdagar" not in text and "Sjukfrånvarodagar" not in text
