"""The KPI marts on the golden fixture: every hand-computed value, roll-up arithmetic and
suppression that cannot be undone by subtraction.

The fixture's landing files go through the real refresh once for the session (the loader,
`dbt build` with seeds, models and tests, the publish); these tests read its build database.
Expected values come from tests/fixtures/golden/expected_kpis.csv and
expected_statutory.csv, computed by hand (tests/fixtures/golden/EXPECTED.md).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from warehouse_builds import REPO, close, dbt_command, kpi_row_problems, number, query, read_expected, truthy

GOLDEN = REPO / "tests" / "fixtures" / "golden"
EXPECTED_KPIS = GOLDEN / "expected_kpis.csv"
EXPECTED_STATUTORY = GOLDEN / "expected_statutory.csv"


@pytest.fixture(scope="module")
def golden_db(golden_run) -> Path:
    """The build database of the golden refresh (conftest.golden_run: the real loader, the
    whole dbt build with its tests, through Dagster), built once for the whole session."""
    s, result = golden_run
    assert result.success, "the refresh of the golden fixture failed"
    return s.build_db


def test_every_hand_computed_kpi_row_matches(golden_db: Path):
    problems, n = kpi_row_problems(golden_db, EXPECTED_KPIS)
    assert not problems, f"{len(problems)} of {n} expected rows differ:\n" + "\n".join(problems)


def test_every_catalogue_kpi_is_computed(golden_db: Path):
    """Every KPI of seeds/kpi_catalogue.csv has facts and a published figure on the golden
    build (shown, or suppressed: only a cell with a figure is suppressed).

    The catalogue alone gives each KPI a row for every unit (empty until facts arrive), so a
    row proves nothing: a KPI whose fact model lost it would still have its empty rows."""
    with open(REPO / "seeds" / "kpi_catalogue.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # The golden fixture is a Swedish region (HRKPI_PROFILE=SE): KT's Finnish indicators are
    # neither computed nor published for it.
    catalogue = {r["kpi_id"] for r in rows if "SE" in r["profiles"].split("|")}
    finnish_only = {r["kpi_id"] for r in rows if r["profiles"] == "FI"}
    with_facts = {r["kpi_id"] for r in query(golden_db, "select distinct kpi_id from intermediate.int_kpi_facts")}
    published = {r["kpi_id"] for r in query(golden_db, """
        select kpi_id from marts.kpi_values
        where (value is not null or suppressed) and breakdown = 'total'
        group by kpi_id""")}
    assert sorted(catalogue - with_facts) == []
    assert sorted(catalogue - published) == []
    assert sorted(finnish_only & published) == []


def test_statutory_table_matches_hand_computation(golden_db: Path):
    expected = read_expected(EXPECTED_STATUTORY)
    published = {(str(r["year"]), r["measure"], r["group_value"]): r
                 for r in query(golden_db, "select * from marts.sick_leave_statutory")}
    problems = []
    for e in expected:
        key = (e["year"].strip(), e["measure"].strip(), e["group_value"].strip())
        got = published.get(key)
        if got is None:
            problems.append(f"{key}: missing")
            continue
        for column, decimals in (("value_pct", 2), ("numerator_hours", 4), ("denominator_hours", 4)):
            if column in e and not close(got[column], number(e[column]), decimals):
                problems.append(f"{key}: {column} {got[column]} != expected {e[column]}")
        if "suppressed" in e and e["suppressed"].strip() and got["suppressed"] != truthy(e["suppressed"]):
            problems.append(f"{key}: suppressed {got['suppressed']} != expected {e['suppressed']}")
        if "population_n" in e and e["population_n"].strip() and got["population_n"] != int(float(e["population_n"])):
            problems.append(f"{key}: population_n {got['population_n']} != expected {e['population_n']}")
    assert not problems, "\n".join(problems)


def test_unit_figures_are_sums_over_children_never_averages(golden_db: Path):
    """Before suppression, a unit without staff of its own (levels 1-3 in the fixture) has the
    summed numerators and denominators of its children, and value = their ratio x scale.
    (The intermediate figures are exact decimals; compared here as doubles.)"""
    rows = query(golden_db, """
        with parents as (
            select p.kpi_id, p.period, p.window_name, p.org_unit_code, p.breakdown, p.breakdown_value,
                   p.numerator::double as numerator, p.denominator::double as denominator,
                   p.value, c.scale, c.value_formula
            from intermediate.int_kpi_windowed p
            join marts.kpi_catalogue c using (kpi_id)
            join marts.dim_org_unit d on d.period = p.period and d.org_unit_code = p.org_unit_code
            where d.level < 4
              and c.window_rule in ('sum', 'long_spell_share', 'latest_survey')
              and c.value_formula = 'ratio'
        ),
        children as (
            select w.kpi_id, w.period, w.window_name, d.parent_code as org_unit_code, w.breakdown,
                   w.breakdown_value, sum(w.numerator)::double as numerator,
                   sum(w.denominator)::double as denominator
            from intermediate.int_kpi_windowed w
            join marts.dim_org_unit d on d.period = w.period and d.org_unit_code = w.org_unit_code
            group by all
        )
        select p.*, c.numerator as child_numerator, c.denominator as child_denominator
        from parents p
        join children c using (kpi_id, period, window_name, org_unit_code, breakdown, breakdown_value)
    """)
    assert len(rows) > 100, "too few parent rows to check"
    checked_values = 0
    for r in rows:
        where = (r["kpi_id"], r["period"], r["window_name"], r["org_unit_code"], r["breakdown_value"])
        assert (r["numerator"] or 0) == pytest.approx(r["child_numerator"] or 0, abs=1e-6), where
        assert (r["denominator"] or 0) == pytest.approx(r["child_denominator"] or 0, abs=1e-6), where
        if r["child_denominator"]:
            assert r["value"] == pytest.approx(r["child_numerator"] / r["child_denominator"] * r["scale"]), where
            checked_values += 1
    assert checked_values > 50


def test_no_suppressed_cell_can_be_recovered_by_subtraction(golden_db: Path):
    # Within a breakdown: never exactly one suppressed value next to a shown total.
    lonely_in_breakdown = query(golden_db, """
        select b.kpi_id, b.period, b."window", b.org_unit_code, b.breakdown
        from marts.kpi_values b
        join marts.kpi_values t
          on t.kpi_id = b.kpi_id and t.period = b.period and t."window" = b."window"
         and t.org_unit_code = b.org_unit_code and t.breakdown = 'total' and not t.suppressed
        where b.breakdown <> 'total'
        group by all
        having count(*) filter (where b.suppressed) = 1
    """)
    assert lonely_in_breakdown == []
    # Across the hierarchy: a shown unit never has exactly one suppressed child.
    lonely_child = query(golden_db, """
        select k.kpi_id, k.period, k."window", d.parent_code, k.breakdown, k.breakdown_value
        from marts.kpi_values k
        join marts.dim_org_unit d on d.period = k.period and d.org_unit_code = k.org_unit_code
        join marts.kpi_values p
          on p.kpi_id = k.kpi_id and p.period = k.period and p."window" = k."window"
         and p.org_unit_code = d.parent_code and p.breakdown = k.breakdown
         and p.breakdown_value = k.breakdown_value and not p.suppressed
        group by all
        having count(*) filter (where k.suppressed) = 1
    """)
    assert lonely_child == []


def test_small_unit_is_hidden_together_with_a_sibling(golden_db: Path):
    """Mottagning 13 Rehab (1113) has two employees: its sick leave is suppressed, and so is
    at least one sibling under Medicinkliniken (1110), whose own figure stays shown."""
    rows = {r["org_unit_code"]: r for r in query(golden_db, """
        select org_unit_code, suppressed, value, numerator, denominator, population_n
        from marts.kpi_values
        where kpi_id = 'sick_leave_pct' and "window" = 'month' and breakdown = 'total'
          and period = date '2026-01-01' and org_unit_code in ('1110', '1111', '1112', '1113')
    """)}
    assert rows["1113"]["population_n"] == 2
    assert rows["1113"]["suppressed"] is True
    assert rows["1113"]["value"] is None and rows["1113"]["numerator"] is None
    assert rows["1110"]["suppressed"] is False
    assert rows["1111"]["suppressed"] or rows["1112"]["suppressed"]


def test_suppression_that_does_not_settle_within_its_bound_fails_the_build(golden_db: Path, tmp_path: Path):
    """The golden cells need two passes (the second hides nothing). With the bound
    suppression_max_passes at 1 the first pass still hides cells, so the build fails and says
    so, rather than publishing cells that subtraction could recover."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(golden_db, db)
    conn = duckdb.connect(str(db))
    try:
        conn.execute("update seeds.parameters set value = 1 where parameter = 'suppression_max_passes'")
    finally:
        conn.close()
    result = dbt_command("run", db, tmp_path, "--select", "int_kpi_suppressed", "--full-refresh", check=False)
    assert result.returncode != 0
    assert "Complementary suppression of int_kpi_suppressed did not settle: pass 1 still hid" in result.stdout
    assert "Raise suppression_max_passes in seeds/parameters.csv (now 1)" in result.stdout
