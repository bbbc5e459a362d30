"""The dbt project's shape: the published interface, its documentation and the catalogue
agree with the design, and dbt parses it without warnings."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DBT_DIR = REPO / "dbt"
CATALOGUE_DOC = Path("/work/shared/design/kpi-catalogue.md")
STRATEGY_AREAS = {
    "Kompetens och utveckling", "Coachande och inkluderande ledarskap", "Sunt och tryggt arbete",
    "Delaktighet och lagspel", "Lön och villkor",
}
BREAKDOWNS = {"total", "gender", "age_group", "employment_type", "profession_group", "reason"}
KPI_VALUES_COLUMNS = [
    "kpi_id", "period", "window", "org_unit_code", "breakdown", "breakdown_value", "numerator",
    "denominator", "value", "population_n", "suppressed", "target_value", "target_direction", "status",
]


def read_seed(name: str) -> list[dict]:
    with open(REPO / "seeds" / f"{name}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """`dbt parse` into a temporary target: the manifest and dbt's output."""
    root = tmp_path_factory.mktemp("dbt-parse")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "parse", "--no-partial-parse",
         "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
         "--target-path", str(root / "target"), "--log-path", str(root / "logs")],
        env={**os.environ, "HRKPI_BUILD_DB": str(root / "parse.duckdb")},
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((root / "target" / "manifest.json").read_text(encoding="utf-8"))
    return manifest, result.stdout + result.stderr


def test_parse_is_warning_free(parsed):
    _, output = parsed
    assert "[WARNING]" not in output, output


def test_catalogue_seed_has_every_kpi_of_the_design_once():
    rows = read_seed("kpi_catalogue")
    ids = [r["kpi_id"] for r in rows]
    assert len(ids) == len(set(ids)) == 27
    if CATALOGUE_DOC.exists():
        documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", CATALOGUE_DOC.read_text(encoding="utf-8"), re.M))
        assert documented == set(ids)
    for r in rows:
        assert r["strategy_area"] in STRATEGY_AREAS, r["kpi_id"]
        assert r["direction"] in ("higher_is_better", "lower_is_better"), r["kpi_id"]
        assert set(r["breakdowns"].split("|")) <= BREAKDOWNS and r["breakdowns"].startswith("total"), r["kpi_id"]
        assert r["name_sv"] and r["name_en"] and r["definition"] and r["definition_en"], r["kpi_id"]
    scales = {r["kpi_id"]: float(r["scale"]) for r in rows}
    assert all(scales[k] == 100 for k in ids if k.endswith("_pct"))
    assert scales["lost_time_accident_rate"] == 1_000_000
    # Only exit turnover is broken down by reason (docs/definitions.md).
    assert [r["kpi_id"] for r in rows if "reason" in r["breakdowns"].split("|")] == ["exit_turnover_pct"]
    # Headcount, FTE, costs and incident counts are never suppressed.
    never = {"headcount", "fte", "agency_cost_sek", "agency_cost_share_pct", "agency_fte",
             "work_accidents", "incidents", "incident_to_accident_ratio", "lost_time_accident_rate"}
    assert {r["kpi_id"] for r in rows if r["suppress_small_groups"] == "false"} == never


def test_every_kpi_has_a_fact_model():
    sql = "\n".join(p.read_text(encoding="utf-8")
                    for p in (DBT_DIR / "models" / "intermediate").glob("int_kpi_facts_*.sql"))
    missing = [r["kpi_id"] for r in read_seed("kpi_catalogue") if f"'{r['kpi_id']}'" not in sql]
    assert missing == []


def test_targets_name_known_kpis_and_directions():
    kpis = {r["kpi_id"] for r in read_seed("kpi_catalogue")}
    for t in read_seed("kpi_targets"):
        assert t["kpi_id"] in kpis
        assert t["direction"] in ("max", "min")
        float(t["target_value"])


def test_marts_enforce_documented_contracts(parsed):
    manifest, _ = parsed
    marts = {n["alias"]: n for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["fqn"][1] == "marts"}
    assert set(marts) == {"kpi_values", "kpi_catalogue", "dim_org_unit", "sick_leave_statutory"}
    for name, node in marts.items():
        assert node["config"]["contract"]["enforced"], name
        assert node["description"].strip(), name
        for col, spec in node["columns"].items():
            assert spec.get("data_type"), f"{name}.{col} has no data_type"
            assert spec.get("description", "").strip(), f"{name}.{col} has no description"
    assert list(marts["kpi_values"]["columns"]) == KPI_VALUES_COLUMNS


def test_every_kpi_family_has_a_unit_test(parsed):
    manifest, _ = parsed
    tested = {n["model"] for n in manifest.get("unit_tests", {}).values()}
    for model in ("int_kpi_facts_workforce", "int_kpi_facts_costs", "int_kpi_facts_survey",
                  "int_kpi_facts_pay", "int_absence_rows", "int_kpi_facts_long_spell_adjustments",
                  "int_kpi_month_rollup", "int_kpi_window_sums", "int_kpi_window_figures",
                  "int_kpi_windowed", "int_kpi_cells", "int_kpi_suppressed", "int_kpi_targets",
                  "kpi_values"):
        assert model in tested, model


def test_dashboard_exposure_depends_on_the_marts(parsed):
    manifest, _ = parsed
    exposures = list(manifest["exposures"].values())
    assert [e["type"] for e in exposures] == ["dashboard"]
    assert exposures[0]["owner"]["name"] == "HR"
    depends = {d.split(".")[-1] for d in exposures[0]["depends_on"]["nodes"]}
    assert depends == {"kpi_values", "mart_kpi_catalogue", "dim_org_unit", "sick_leave_statutory"}


def test_no_parameter_literal_in_sql():
    """Parameters live in seeds/parameters.csv: the demo values must not appear in models."""
    sql = "\n".join(p.read_text(encoding="utf-8") for p in (DBT_DIR / "models").rglob("*.sql"))
    for literal in ("165", "40.15", "39.8", "<= 10", "< 5"):
        assert literal not in sql, literal
