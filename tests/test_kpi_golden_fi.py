"""The Finnish profile on its own golden fixture (tests/fixtures/golden_fi): henkilötunnus,
Finnish and Swedish headers and codes mixed across files, through the real loader and the
real `dbt build` with HRKPI_PROFILE=FI; every expected figure is derived by hand in
tests/fixtures/golden_fi/EXPECTED.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import duckdb
import pytest

from warehouse_builds import REPO, dbt_build, kpi_row_problems, load_landing, query

GOLDEN_FI = REPO / "tests" / "fixtures" / "golden_fi"
# Any henkilötunnus delivered in the fixture, as the landing files spell it.
HETU = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])")


@pytest.fixture(scope="module")
def golden_fi_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list]]:
    root = tmp_path_factory.mktemp("golden_fi")
    db = root / "warehouse.duckdb"
    outcomes = load_landing(db, GOLDEN_FI / "landing", profile="FI")
    dbt_build(db, root, profile="FI")
    yield db, outcomes


def delivered_ids() -> set[str]:
    found = set()
    for path in (GOLDEN_FI / "landing").glob("*/*.csv"):
        found.update(m.upper() for m in HETU.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_file_loads_without_quarantine(golden_fi_db):
    _, outcomes = golden_fi_db
    assert len(outcomes) == 14
    bad = [(o.file, o.status, o.message) for o in outcomes if o.status != "loaded" or o.rows_quarantined]
    assert bad == []
    # P13's temporary henkilötunnus is accepted and said so, in each file that has it.
    noted = sorted(o.file for o in outcomes if "temporary henkilötunnus" in o.message)
    assert noted == ["employees_202511.csv", "employees_202512.csv", "payroll_202511.csv", "payroll_202512.csv"]


def test_every_hand_computed_kpi_row_matches(golden_fi_db):
    db, _ = golden_fi_db
    problems, n = kpi_row_problems(db, GOLDEN_FI / "expected_kpis.csv")
    assert not problems, f"{len(problems)} of {n} expected rows differ:\n" + "\n".join(problems)


def test_the_profile_publishes_the_finnish_catalogue(golden_fi_db):
    db, _ = golden_fi_db
    ids = {r["kpi_id"] for r in query(db, "select kpi_id from marts.kpi_catalogue")}
    assert {"person_years_htv", "sick_days_per_htv", "agency_cost_eur", "exit_turnover_fi_pct"} <= ids
    assert "agency_cost_sek" not in ids and "agency_cost_share_pct" not in ids
    assert len(ids) == 25 + 9
    published = {r["kpi_id"] for r in query(db, "select distinct kpi_id from marts.kpi_values")}
    assert published <= ids and "agency_cost_sek" not in published
    names = {r["kpi_id"]: r["name_fi"] for r in query(db, "select kpi_id, name_fi from marts.kpi_catalogue")}
    assert names["person_years_htv"] == "Henkilötyövuodet (HTV2)"


def test_the_same_person_has_one_pseudonym_across_header_languages(golden_fi_db):
    db, _ = golden_fi_db
    # P01 is in employees_202511 (Finnish headers) and employees_202512 (Swedish headers).
    rows = query(db, """select period, count(distinct person_key) as n from raw.employees
                        where anstallningsnummer = '1001' group by period order by period""")
    assert [r["n"] for r in rows] == [1, 1]
    assert query(db, "select count(distinct person_key) as n from raw.employees where anstallningsnummer = '1001'")[0]["n"] == 1


def test_no_henkilotunnus_anywhere_in_the_warehouse(golden_fi_db):
    db, _ = golden_fi_db
    known = delivered_ids()
    assert len(known) == 14
    conn = duckdb.connect(str(db), read_only=True)
    try:
        columns = conn.execute("""select table_schema, table_name, column_name from information_schema.columns
                                  where data_type = 'VARCHAR'""").fetchall()
        leaking = []
        for schema, table, column in columns:
            for (v,) in conn.execute(f'select distinct "{column}" from "{schema}"."{table}"').fetchall():
                text = (v or "").upper()
                # Whole, without the sign, or in lower case: every spelling.
                if any(k in text or (k[:6] + k[7:]) in text for k in known):
                    leaking.append(f"{schema}.{table}.{column}")
                    break
    finally:
        conn.close()
    assert len(columns) > 50
    assert leaking == []
