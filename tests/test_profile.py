"""The organisation profile (HRKPI_PROFILE) and the Finnish side of the contracts: headers,
code aliases. Swedish behaviour is the default and stays as it was."""

from __future__ import annotations

import csv

import pytest

from dagster_project import config as hrkpi_config
from dagster_project.contracts import EXTRACTS, code_aliases
from dagster_project.ingest.rules import seed_codes
from dagster_project.parsing import normalise_header


def test_profile_defaults_to_se_and_accepts_fi(monkeypatch):
    monkeypatch.delenv(hrkpi_config.ENV_PROFILE, raising=False)
    assert hrkpi_config.settings().profile.code == "SE"
    assert hrkpi_config.settings().profile.person_id == "personnummer"
    monkeypatch.setenv(hrkpi_config.ENV_PROFILE, " fi ")
    s = hrkpi_config.settings()
    assert (s.profile.code, s.profile.person_id, s.profile.currency) == ("FI", "henkilotunnus", "EUR")
    assert s.as_env()[hrkpi_config.ENV_PROFILE] == "FI"


def test_a_finnish_county_has_its_own_folders_and_time_zone(monkeypatch):
    for var in (hrkpi_config.ENV_LANDING, hrkpi_config.ENV_BUILD_DB, hrkpi_config.ENV_PUBLISHED_DB, "HRKPI_TIMEZONE"):
        monkeypatch.delenv(var, raising=False)
    data = hrkpi_config.REPO_ROOT / "data"
    monkeypatch.delenv(hrkpi_config.ENV_PROFILE, raising=False)
    se = hrkpi_config.settings()
    assert (se.landing_dir, se.build_db, se.published_db) == (
        data / "landing", data / "build" / "warehouse.duckdb", data / "published" / "hr_kpi.duckdb")
    monkeypatch.setenv(hrkpi_config.ENV_PROFILE, "FI")
    fi = hrkpi_config.settings()
    assert (fi.landing_dir, fi.build_db, fi.published_db) == (
        data / "landing-fi", data / "build-fi" / "warehouse.duckdb", data / "published-fi" / "hr_kpi.duckdb")
    from streamlit_app import times
    assert times.timezone().key == "Europe/Helsinki"
    monkeypatch.setenv("HRKPI_TIMEZONE", "Europe/Stockholm")  # an explicit zone wins
    assert times.timezone().key == "Europe/Stockholm"


def test_an_unknown_profile_is_an_error_not_a_fallback(monkeypatch):
    monkeypatch.setenv(hrkpi_config.ENV_PROFILE, "NO")
    with pytest.raises(hrkpi_config.ConfigError, match="HRKPI_PROFILE='NO' is not a known organisation profile"):
        hrkpi_config.settings()


def test_every_column_has_a_finnish_header_and_no_header_is_ambiguous():
    for e in EXTRACTS.values():
        keys = [normalise_header(h) for c in e.columns for h in c.headers]
        keys += [normalise_header(h) for h in e.dropped_headers]
        assert len(keys) == len(set(keys)), e.name
        assert all(c.header_fi for c in e.columns), e.name
    assert EXTRACTS["absence"].column("franvaroorsak").headers == ("Frånvaroorsak", "Poissaolon syy")
    assert EXTRACTS["employees"].column("personnummer").header_fi == "Henkilötunnus"
    assert EXTRACTS["employees"].column("kostnadsstalle").header_fi == "Kustannuspaikka"


def test_finnish_free_text_headers_are_dropped_like_the_swedish_ones():
    dropped = {normalise_header(h) for h in EXTRACTS["incidents"].dropped_headers}
    assert {"kuvaus", "tapahtuman kuvaus", "kommentti"} <= dropped


def test_every_code_alias_maps_onto_a_valid_code_of_its_column():
    aliases = code_aliases(hrkpi_config.SEEDS_DIR)
    columns = {c.name: c for e in EXTRACTS.values() for c in e.columns}
    assert set(aliases) == {"kon", "anstallningsform", "handelse", "orsak", "franvaroorsak", "typ", "yrkesgrupp"}
    for column, mapping in aliases.items():
        c = columns[column]
        valid = set(c.allowed) if c.allowed else set(seed_codes(c.code_seed))
        for alias, code in mapping.items():
            assert code in valid, (column, alias, code)
            # An alias never shadows a real code of the same column.
            assert alias not in valid, (column, alias)
    assert aliases["franvaroorsak"]["SAI"] == "SJK"
    assert aliases["anstallningsform"]["MÄÄR"] == "VI"


def test_code_aliases_seed_has_no_duplicate_alias_per_column():
    with (hrkpi_config.SEEDS_DIR / "code_aliases.csv").open(encoding="utf-8") as f:
        rows = [(r["column_name"], r["alias"].upper()) for r in csv.DictReader(f)]
    assert len(rows) == len(set(rows))


def test_the_refresh_process_never_reuses_another_profiles_id_rules():
    # One process may refresh a Swedish and then a Finnish organisation (the test session
    # does): the raw assets' shared pseudonymizer follows the profile.
    from dagster_project.raw_assets import _pseudonymizer

    key = b"test-key-0123456789abcdef"
    assert _pseudonymizer(key, "personnummer").person_id == "personnummer"
    assert _pseudonymizer(key, "henkilotunnus").person_id == "henkilotunnus"
    assert _pseudonymizer(key, "henkilotunnus").fields("010101A123N", 202512).error is None
