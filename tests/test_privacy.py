"""Privacy by construction: no personnummer in the published file, Dagster's event log or
dbt's log; the pseudonym key is required outside demo mode; check-data re-verifies."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest

from dagster_project import config as hrkpi_config
from conftest import GOLDEN_FI_LANDING, GOLDEN_LANDING

# A full personnummer or samordningsnummer in any of the four delivered formats, and in the
# spellings people type: an en or em dash, a minus sign, an ordinary or non-breaking space.
PNR = re.compile("(?<!\\d)(?:\\d{2})?\\d{6}[-+\u2010-\u2015\u2212 \u00a0\u202f\u2009]?\\d{4}(?!\\d)")


def golden_personnummer() -> set[str]:
    """Every personnummer delivered in the golden fixture, digits only."""
    found = set()
    for path in GOLDEN_LANDING.glob("*/*.csv"):
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig") if raw[:3] == b"\xef\xbb\xbf" else raw.decode("cp1252")
        found.update(re.sub(r"\D", "", m)[-10:] for m in PNR.findall(text))
    return found


def leaks(text: str, known: set[str]) -> list[str]:
    return [m for m in PNR.findall(text) if re.sub(r"\D", "", m)[-10:] in known]


def test_fixture_really_holds_personnummer():
    # Otherwise the scans below could not fail.
    assert len(golden_personnummer()) >= 30


@pytest.mark.parametrize("store", ["dashboard", "audit"])
def test_no_personnummer_in_any_text_column_of_the_published_stores(published_golden_db, store):
    # The audit store holds the pseudonymised microdata as well: raw, staging, intermediate.
    path = published_golden_db if store == "dashboard" else hrkpi_config.default_audit_db(published_golden_db)
    conn = duckdb.connect(str(path), read_only=True)
    try:
        assert len(text_columns(conn)) > (50 if store == "dashboard" else 150)
        assert columns_with_personnummer(conn, golden_personnummer()) == []
    finally:
        conn.close()


def text_columns(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return conn.execute(
        """select table_schema, table_name, column_name from information_schema.columns
           where data_type in ('VARCHAR', 'JSON') and table_schema not in ('information_schema', 'pg_catalog')"""
    ).fetchall()


def columns_with_personnummer(conn: duckdb.DuckDBPyConnection, known: set[str]) -> list[str]:
    """schema.table.column of every text column holding one of the `known` personnummer."""
    found = []
    for schema, table, column in text_columns(conn):
        values = conn.execute(f'select distinct cast("{column}" as varchar) from "{schema}"."{table}"').fetchall()
        if any(v and leaks(v, known) for (v,) in values):
            found.append(f"{schema}.{table}.{column}")
    return found


def test_no_personnummer_in_dagster_or_dbt_logs(golden_run):
    known = golden_personnummer()
    _, result = golden_run
    messages = "\n".join(str(e.message or "") + str(e.event_specific_data or "") for e in result.all_events)
    assert "raw__employees" in messages
    assert not leaks(messages, known)
    dbt_log = hrkpi_config.DBT_PROJECT_DIR / "logs" / "dbt.log"
    if dbt_log.exists():
        assert not leaks(dbt_log.read_text(encoding="utf-8", errors="replace"), known)


def test_pseudonym_key_is_required_outside_demo_mode(monkeypatch):
    monkeypatch.setenv(hrkpi_config.ENV_DEMO, "0")
    monkeypatch.delenv(hrkpi_config.ENV_PSEUDONYM_KEY, raising=False)
    with pytest.raises(hrkpi_config.ConfigError, match="HRKPI_PSEUDONYM_KEY is not set"):
        hrkpi_config.pseudonym_key()
    monkeypatch.setenv(hrkpi_config.ENV_PSEUDONYM_KEY, "a-24-character-secretkey")
    with pytest.raises(hrkpi_config.ConfigError, match="shorter than 32"):
        hrkpi_config.pseudonym_key()
    monkeypatch.setenv(hrkpi_config.ENV_PSEUDONYM_KEY, hrkpi_config.DEMO_PSEUDONYM_KEY)
    with pytest.raises(hrkpi_config.ConfigError, match="public demo key"):
        hrkpi_config.pseudonym_key()
    monkeypatch.setenv(hrkpi_config.ENV_PSEUDONYM_KEY, "a-long-enough-secret-key-of-32-chars")
    assert hrkpi_config.pseudonym_key() == b"a-long-enough-secret-key-of-32-chars"
    # Demo mode keeps the 16-character floor.
    monkeypatch.setenv(hrkpi_config.ENV_DEMO, "1")
    monkeypatch.setenv(hrkpi_config.ENV_PSEUDONYM_KEY, "short")
    with pytest.raises(hrkpi_config.ConfigError, match="shorter than 16"):
        hrkpi_config.pseudonym_key()


def test_refresh_command_says_clearly_when_the_key_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv(hrkpi_config.ENV_DEMO, "0")
    monkeypatch.delenv(hrkpi_config.ENV_PSEUDONYM_KEY, raising=False)
    monkeypatch.setenv(hrkpi_config.ENV_LANDING, str(GOLDEN_LANDING))
    monkeypatch.setenv(hrkpi_config.ENV_BUILD_DB, str(tmp_path / "b.duckdb"))
    monkeypatch.setenv(hrkpi_config.ENV_PUBLISHED_DB, str(tmp_path / "p.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    proc = subprocess.run([sys.executable, "-m", "dagster_project.refresh"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "HRKPI_PSEUDONYM_KEY" in proc.stderr + proc.stdout
    assert not (tmp_path / "p.duckdb").exists()


def test_check_data_passes_on_a_clean_publish(published_golden_db, monkeypatch):
    monkeypatch.setenv(hrkpi_config.ENV_PUBLISHED_DB, str(published_golden_db))
    monkeypatch.setenv(hrkpi_config.ENV_LANDING, str(GOLDEN_LANDING))
    proc = subprocess.run([sys.executable, "-m", "dagster_project.check_data"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "checksums: OK" in proc.stdout and "suppression: OK" in proc.stdout and "dbt tests: OK" in proc.stdout


def test_check_data_reports_a_file_changed_since_its_load(published_golden_db, tmp_path, monkeypatch):
    import shutil

    landing = tmp_path / "landing"
    shutil.copytree(GOLDEN_LANDING, landing)
    target = next(landing.glob("agency_costs/*.csv"))
    target.write_bytes(target.read_bytes() + b"\r\n")
    monkeypatch.setenv(hrkpi_config.ENV_PUBLISHED_DB, str(published_golden_db))
    monkeypatch.setenv(hrkpi_config.ENV_LANDING, str(landing))
    proc = subprocess.run([sys.executable, "-m", "dagster_project.check_data"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"{target.name}: changed since it was loaded" in proc.stdout


# --- the Finnish profile: henkilötunnus in every spelling ----------------------------------------

HETU_IN_FILES = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])")


def golden_henkilotunnus() -> set[str]:
    found = set()
    for path in GOLDEN_FI_LANDING.glob("*/*.csv"):
        found.update(m.upper() for m in HETU_IN_FILES.findall(path.read_text(encoding="utf-8")))
    return found


def hetu_leaks(text: str, known: set[str]) -> list[str]:
    """Known ids in `text`, whole or without the century sign, in any case."""
    upper = text.upper()
    return [k for k in known if k in upper or (k[:6] + k[7:]) in upper]


def test_fi_refresh_leaves_no_henkilotunnus_in_the_published_file_or_the_logs(golden_fi_run):
    known = golden_henkilotunnus()
    assert len(known) == 14 and hetu_leaks("x " + next(iter(known)).lower(), known)
    s, result = golden_fi_run
    assert result.success
    messages = "\n".join(str(e.message or "") + str(e.event_specific_data or "") for e in result.all_events)
    assert "temporary henkilötunnus" in messages  # the load notes reach the event log, masked
    assert hetu_leaks(messages, known) == []
    conn = duckdb.connect(str(s.published_db), read_only=True)
    try:
        # dbt ran under the profile too: KT's indicators are published.
        assert conn.execute("select count(*) from marts.kpi_values where kpi_id = 'person_years_htv'").fetchone()[0]
        leaking = [f"{schema}.{table}.{column}" for schema, table, column in text_columns(conn)
                   if any(v and hetu_leaks(v, known) for (v,) in conn.execute(
                       f'select distinct cast("{column}" as varchar) from "{schema}"."{table}"').fetchall())]
    finally:
        conn.close()
    assert leaking == []
    dbt_log = hrkpi_config.DBT_PROJECT_DIR / "logs" / "dbt.log"
    if dbt_log.exists():
        assert hetu_leaks(dbt_log.read_text(encoding="utf-8", errors="replace"), known) == []


def test_a_personnummer_in_a_file_name_is_masked_in_every_place_the_name_goes(tmp_path):
    """A delivery named after a person (19710823–4829, with an en dash, a valid Luhn digit):
    rejected by its name, and the number is in neither the load log, the quarantine, the
    refresh's output nor anything Dagster stores (event log database, compute logs)."""
    import os
    import shutil

    landing = tmp_path / "landing"
    shutil.copytree(GOLDEN_LANDING, landing)
    bad = landing / "employees" / "employees_202601 19710823\u20134829.csv"
    shutil.copy(landing / "employees" / "employees_202601.csv", bad)
    home = tmp_path / "dagster_home"
    env = {**os.environ, "HRKPI_LANDING_DIR": str(landing), "HRKPI_BUILD_DB": str(tmp_path / "build.duckdb"),
           "HRKPI_PUBLISHED_DB": str(tmp_path / "published" / "hr_kpi.duckdb"), "HRKPI_DEMO": "1",
           "DAGSTER_HOME": str(home), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run([sys.executable, "-m", "dagster_project.refresh"], env=env, cwd=hrkpi_config.REPO_ROOT,
                          capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "employees_202601 19710823-****.csv" in proc.stderr, proc.stderr
    number = re.compile("(19)?710823[^0-9]{0,3}4829")
    assert not number.search(output)
    conn = duckdb.connect(str(tmp_path / "build.duckdb"), read_only=True)
    try:
        names = conn.execute("select file_name || ' ' || file_path || ' ' || coalesce(message, '') "
                             "from audit.load_log where status = 'rejected'").fetchall()
        quarantined = conn.execute("select string_agg(cast(columns(*) as varchar), ' ') "
                                   "from audit.quarantine").fetchall()
    finally:
        conn.close()
    assert names and all("19710823-****" in n for (n,) in names), names
    assert not any(number.search(str(row)) for row in names + quarantined)
    stored = [p for p in home.rglob("*") if p.is_file()]
    assert stored, "Dagster stored nothing?"
    for path in stored:
        assert not number.search(path.read_bytes().decode("utf-8", errors="replace")), path
        assert not number.search(str(path)), path
