"""A small published file with the dashboard's interface tables and hand-written figures.

The dashboard only displays what the marts publish, so its own tests need figures whose
display is known in advance, independent of the pipeline. The numbers follow simple
patterns (month index i = 0 for Jan 2024 .. 14 for Mar 2025) so the expected tiles can be
computed by hand; the comments next to each KPI give them for Mar 2025. The real pipeline
on the golden fixture is tested in tests/test_dashboard.py as well.

    .venv/bin/python tests/dashboard_fixture.py /tmp/dev.duckdb          # small file
    .venv/bin/python tests/dashboard_fixture.py /tmp/big.duckdb --units 300 --months 48
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from dagster_project.audit import ensure_kpi_history
from dagster_project.ingest import ensure_warehouse

REPO = Path(__file__).resolve().parent.parent
# The tables are made as the project declares them: the marts by their enforced dbt contract,
# the seeds by their column types, the audit schema by the project's own DDL. A figure the
# fixture writes into a column the published file does not have fails the build.
MARTS_CONTRACT = REPO / "dbt" / "models" / "marts" / "_marts.yml"
SEEDS_CONFIG = REPO / "seeds" / "_seeds.yml"
PUBLISHED_NAME = {"mart_kpi_catalogue": "kpi_catalogue"}  # dbt model -> published table
MONTHS = 15  # Jan 2024 .. Mar 2025
FIRST = dt.date(2024, 1, 1)

ORG = [  # code, name, level, parent
    ("R", "Region Exempel", 1, None),
    ("F1", "Hälso- och sjukvård", 2, "R"),
    ("F2", "Regionservice", 2, "R"),
    ("V1", "Akutsjukvård", 3, "F1"),
    ("E1", "Akutmottagning", 4, "V1"),
    ("E2", "=Avdelning 12", 4, "V1"),  # a formula-like name: exports must neutralise it
]

CATALOGUE = [  # kpi_id, name_sv, name_en, area, unit, direction, decimals, sort_order
    ("headcount", "Antal anställda", "Headcount", "Kompetens och utveckling", "count", None, 0, 1),
    ("exit_turnover_voluntary_pct", "Avgångsomsättning, egen begäran", "Voluntary exit turnover",
     "Kompetens och utveckling", "percent", "max", 1, 2),
    ("agency_cost_sek", "Kostnad för bemanningspersonal", "Agency staff cost", "Kompetens och utveckling",
     "SEK", "max", 0, 3),
    ("agency_cost_share_pct", "Bemanningskostnad i % av egen personalkostnad", "Agency cost share",
     "Kompetens och utveckling", "percent", "max", 1, 4),
    ("leadership_index", "Ledarskapsindex", "Leadership index", "Coachande och inkluderande ledarskap",
     "index", "min", 1, 5),
    ("sick_leave_pct", "Sjukfrånvaro", "Sick leave", "Sunt och tryggt arbete", "percent", "max", 1, 6),
    ("healthy_presence_pct", "Frisknärvaro", "Healthy presence", "Sunt och tryggt arbete", "percent", "min", 1, 7),
    ("participation_index", "Delaktighetsindex", "Participation index", "Delaktighet och lagspel",
     "index", "min", 1, 8),
    ("gender_pay_ratio_pct", "Kvinnors lön i % av mäns", "Women's pay as % of men's", "Lön och villkor",
     "percent", "min", 1, 9),
]
TARGETS = {"exit_turnover_voluntary_pct": 4.0, "agency_cost_share_pct": 2.0, "leadership_index": 75.0,
           "sick_leave_pct": 5.0, "healthy_presence_pct": 40.0, "participation_index": 70.0,
           "gender_pay_ratio_pct": 95.0}
# An annual target is published for the rolling 12 months only (seeds/kpi_targets.csv
# target_window): the month and year-to-date rows have no target and no status.
TARGET_WINDOWS = {"exit_turnover_voluntary_pct": "rolling_12m"}
TOLERANCE_PCT = 10.0
NAMED = ("exit_turnover_voluntary_pct", "agency_cost_share_pct", "leadership_index", "sick_leave_pct",
         "participation_index")
NUMERATOR_LABELS = {"sick_leave_pct": ("Sjukfrånvarotimmar", "Sick-leave hours"),
                    "exit_turnover_voluntary_pct": ("Avgångar på egen begäran", "Own-request exits")}
DENOMINATOR_LABELS = {"sick_leave_pct": ("Ordinarie arbetstimmar", "Ordinary working hours"),
                      "exit_turnover_voluntary_pct": ("Medelantal tillsvidareanställda", "Mean permanent headcount")}
# Survey waves (staging.stg_survey): the leadership index is 68,0 from the spring survey of
# Jan 2024 and 72,5 from the autumn survey of Oct 2024.
WAVES = (("MU2024V", dt.date(2024, 1, 1)), ("MU2024H", dt.date(2024, 10, 1)))


def period(i: int) -> dt.date:
    y, m = divmod(FIRST.month - 1 + i, 12)
    return dt.date(FIRST.year + y, m + 1, 1)


def status(value: float | None, target: float | None, direction: str | None) -> str | None:
    if value is None or target is None:
        return None
    if direction == "max":
        return "green" if value <= target else "amber" if value <= target * (1 + TOLERANCE_PCT / 100) else "red"
    return "green" if value >= target else "amber" if value >= target * (1 - TOLERANCE_PCT / 100) else "red"


def _row(kpi, i, window, org, num, den, scale=100.0, pop=500, breakdown="total", bvalue="total",
         suppressed=False):
    direction = next(c[5] for c in CATALOGUE if c[0] == kpi)
    target = TARGETS.get(kpi) if TARGET_WINDOWS.get(kpi, window) == window else None
    if suppressed:
        value = num = den = None
    else:
        value = round(num / den * scale, 2) if den else num
    return {"kpi_id": kpi, "period": period(i), "window": window, "org_unit_code": org,
            "breakdown": breakdown, "breakdown_value": bvalue, "numerator": num, "denominator": den,
            "value": value, "population_n": pop, "suppressed": suppressed, "target_value": target,
            "target_direction": direction if target is not None else None,
            "status": None if suppressed else status(value, target, direction)}


# Sick leave hours by unit: R = F1 + F2, V1 = F1; E1 and E2 have 8 and 30 people: E1 is
# suppressed, E2 by complementary suppression.
SICK = {"R": (400, 8, 8000), "F1": (300, 6, 5000), "F2": (100, 2, 3000), "V1": (300, 6, 5000)}


def kpi_rows(months: int = MONTHS) -> list[dict]:
    rows: list[dict] = []
    for i in range(months):
        for org, _name, level, _parent in ORG:
            small = level == 4
            for window, shift in (("month", 0), ("rolling_12m", -40), ("year", -20)):
                # Mar 2025, R, month: 512 / 8000 = 6.4 %, target 5.0 max -> red; Mar 2024: 5.2 %.
                if org in SICK:
                    base, step, den = SICK[org]
                    rows.append(_row("sick_leave_pct", i, window, org, base + step * i + shift * den / 8000, den))
                else:
                    rows.append(_row("sick_leave_pct", i, window, org, None, None, pop=8 if org == "E1" else 30,
                                     suppressed=True))
                # Mar 2025, R: 1 014 (Mar 2024: 1 002, change +12); no target.
                hc = {"R": 1000 + i, "F1": 700, "F2": 300 + i, "V1": 700, "E1": 8, "E2": 30}[org]
                rows.append(_row("headcount", i, window, org, hc, 1, scale=1, pop=hc))
                # month 0.5 %, rolling 12 months 4.3 % (target 4.0 max, for 12 months only -> amber),
                # year 1.5 %.
                exits = {"month": 5, "rolling_12m": 43, "year": 15}[window]
                rows.append(_row("exit_turnover_voluntary_pct", i, window, org, exits, 1000,
                                 pop=None if small else 1000, suppressed=small))
                rows.append(_row("agency_cost_sek", i, window, org, 1234567 + 1000 * i, None, scale=1, pop=None))
                # 1.6 %, target 2.0 max -> green.
                rows.append(_row("agency_cost_share_pct", i, window, org, 16, 1000, pop=None))
                # 68.0 until the survey of Oct 2024, then 72.5; target 75 min -> amber.
                score = 72.5 if period(i) >= dt.date(2024, 10, 1) else 68.0
                # Akutmottagning has 3 respondents: below the survey minimum of 5.
                rows.append(_row("leadership_index", i, window, org, score * 200, 200, scale=1,
                                 pop=3 if org == "E1" else 200, suppressed=org == "E1"))
                # 61.0, target 70 min -> red (below 63).
                rows.append(_row("participation_index", i, window, org, 61.0 * 200, 200, scale=1, pop=200))
                # 93.8 %, target 95 min -> amber.
                rows.append(_row("gender_pay_ratio_pct", i, window, org, 36582.0, 39000.0, pop=600,
                                 suppressed=small))
                if window == "rolling_12m" and i >= 11:
                    # 44.0 %, target 40 min -> green; only the 12-month window exists.
                    rows.append(_row("healthy_presence_pct", i, window, org, 220, 500, pop=500, suppressed=small))
        # Breakdowns of the whole region's sick leave, month window.
        rows.append(_row("sick_leave_pct", i, "month", "R", 300 + 6 * i, 5000, breakdown="gender", bvalue="K"))
        rows.append(_row("sick_leave_pct", i, "month", "R", 100 + 2 * i, 3000, breakdown="gender", bvalue="M"))
        rows.append(_row("sick_leave_pct", i, "month", "R", None, None, pop=9, breakdown="age_group",
                         bvalue="<=29", suppressed=True))
        rows.append(_row("sick_leave_pct", i, "month", "R", None, None, pop=90, breakdown="age_group",
                         bvalue="30-49", suppressed=True))
        rows.append(_row("sick_leave_pct", i, "month", "R", 240, 6000, pop=400, breakdown="age_group",
                         bvalue=">=50"))
    return rows


_Y24 = (12, dt.date(2024, 1, 1), dt.date(2024, 12, 1))  # months covered, first and last month
_Y25 = (3, dt.date(2025, 1, 1), dt.date(2025, 3, 1))
STATUTORY = [  # year, measure, group_value, sick hours, ordinary hours, %, n, suppressed, coverage
    (2025, "total_sick_leave", "total", 330.0, 6000.0, 5.5, 310, False, *_Y25),
    (2024, "total_sick_leave", "total", 1200.0, 24000.0, 5.0, 300, False, *_Y24),
    (2024, "long_spell_share", "total", 480.0, 1200.0, 40.0, 300, False, *_Y24),
    (2024, "gender", "K", 900.0, 15000.0, 6.0, 200, False, *_Y24),
    (2024, "gender", "M", 300.0, 9000.0, 3.33, 100, False, *_Y24),
    (2024, "age_group", "<=29", None, None, None, 9, True, *_Y24),
    (2024, "age_group", "30-49", None, None, None, 150, True, *_Y24),
    (2024, "age_group", ">=50", 700.0, 12000.0, 5.83, 141, False, *_Y24),
]


# marts.staff_supply_outlook from Mar 2025 (year_offset k = 0..10, year 2025 + k). Region
# Exempel has 1 014 staff: 120 physicians, 400 nurses, 494 in administration. From k = 1:
# physicians 11 + k, nurses 15 + k, administration 14 + k, all 40 + 3k (k = 1: 43 of 1 014 =
# 4,2 %; physicians k = 10: 21 of 120 = 17,5 %). k = 0: 4 physicians are hidden, and the nurses
# (15, the smallest other group) with them, so the total of 40 cannot give the physicians away.
# Akutmottagning (8 staff) is hidden throughout.
SUPPLY_STAFF = {"total": 1014, "physician": 120, "nurse": 400, "administration": 494}
SUPPLY_START = {"total": 40, "physician": 11, "nurse": 15, "administration": 14}


def supply_rows() -> list[tuple]:
    rows = []
    for k in range(11):
        for group, staff in SUPPLY_STAFF.items():
            n = {"total": 40, "physician": 4, "nurse": 15, "administration": 21}[group] if k == 0 else \
                SUPPLY_START[group] + (3 * k if group == "total" else k)
            hidden = k == 0 and group in ("physician", "nurse")
            rows.append((period(14), "R", group, k, 2025 + k, staff, None if hidden else n,
                         None if hidden else round(100 * n / staff, 1), hidden))
        for group in ("total", "nurse"):
            rows.append((period(14), "E1", group, k, 2025 + k, 8, None, None, True))
    return rows


def build(path: Path, months: int = MONTHS, extra_units: int = 0) -> Path:
    """Write the file (replacing it) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    org = list(ORG)
    for n in range(extra_units):  # more enheter under F2, for timing at realistic size
        org.append((f"X{n:04d}", f"Enhet {n:04d}", 4, "F2"))
    conn = duckdb.connect(str(path))
    try:
        for schema in ("marts", "seeds"):
            conn.execute(f"create schema {schema}")
        _contract_tables(conn)
        kv = pd.DataFrame(kpi_rows(months))
        if extra_units:
            tpl = kv[(kv.org_unit_code == "F2")]
            kv = pd.concat([kv] + [tpl.assign(org_unit_code=code) for code, *_ in org[len(ORG):]])
        kv["period"] = pd.to_datetime(kv["period"])
        conn.register("kv", kv)
        conn.execute(
            """insert into marts.kpi_values by name select kpi_id, period::date as period, "window", org_unit_code,
               breakdown, breakdown_value, numerator::double as numerator, denominator::double as denominator,
               value::double as value, population_n::integer as population_n, suppressed,
               target_value::double as target_value, target_direction, status from kv"""
        )
        cat = pd.DataFrame(CATALOGUE, columns=["kpi_id", "name_sv", "name_en", "strategy_area", "unit",
                                               "direction", "decimals", "sort_order"])
        cat["definition"] = "Definition av " + cat["name_sv"] + "."
        cat["definition_en"] = "Definition of " + cat["name_en"] + "."
        # The catalogue seed's words: direction as lower/higher_is_better, sources as extract names.
        cat["direction"] = cat["direction"].map({"max": "lower_is_better", "min": "higher_is_better"})
        survey = cat["kpi_id"].isin(["leadership_index", "participation_index"])
        cat["source"] = survey.map({True: "survey", False: "absence, employees"})
        cat["population_basis"] = survey.map({True: "respondents", False: "register"})
        cat["breakdowns"] = "total|gender|age_group"
        cat["window_rule"] = survey.map({True: "latest_survey", False: "sum"})
        # The strategy's own indicators (seeds/kpi_catalogue.csv named_in_strategy).
        cat["named_in_strategy"] = cat["kpi_id"].isin(NAMED)
        cat["numerator_label_sv"] = cat["kpi_id"].map(lambda k: NUMERATOR_LABELS.get(k, ("", ""))[0])
        cat["numerator_label_en"] = cat["kpi_id"].map(lambda k: NUMERATOR_LABELS.get(k, ("", ""))[1])
        cat["denominator_label_sv"] = cat["kpi_id"].map(lambda k: DENOMINATOR_LABELS.get(k, ("", ""))[0])
        cat["denominator_label_en"] = cat["kpi_id"].map(lambda k: DENOMINATOR_LABELS.get(k, ("", ""))[1])
        conn.register("cat", cat)
        conn.execute("insert into marts.kpi_catalogue by name select * from cat")
        dim = [(period(i), code, name, level, parent) for i in range(months) for code, name, level, parent in org]
        conn.register("dim", pd.DataFrame(dim, columns=["period", "org_unit_code", "name", "level", "parent_code"]))
        names = {c: n for c, n, *_ in org}
        parents = {c: p for c, _, _, p in org}

        def path_of(code: str) -> str:
            chain = []
            while code:
                chain.append(names[code])
                code = parents[code]
            return " / ".join(reversed(chain))

        conn.create_function("path_of", path_of, ["VARCHAR"], "VARCHAR")
        conn.execute("""insert into marts.dim_org_unit by name select period::date as period, org_unit_code, name,
                        level::integer as level, parent_code, path_of(org_unit_code) as path from dim""")
        conn.executemany("insert into marts.sick_leave_statutory values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", STATUTORY)
        conn.executemany("insert into marts.staff_supply_outlook values (?, ?, ?, ?, ?, ?, ?, ?, ?)", supply_rows())
        conn.execute(f"""create table seeds.parameters as select * from read_csv('{REPO / "seeds" / "parameters.csv"}',
                         header = true, all_varchar = true)""")
        conn.execute("""create or replace table seeds.parameters as select parameter, try_cast(year as integer) as year,
                        value::double as value, unit, description from seeds.parameters""")
        conn.execute(f"""create table seeds.profession_groups as
                         select * from read_csv('{REPO / "seeds" / "profession_groups.csv"}', header = true)""")
        _targets(conn)
        # The project's own cited figures and ages, as the pipeline publishes them.
        for seed in ("national_references", "retirement_ages"):
            _seed(conn, seed)
        conn.execute("create schema staging")
        conn.execute("create table staging.stg_survey (survey_id varchar, period_month date, org_unit_code varchar)")
        conn.executemany("insert into staging.stg_survey values (?, ?, 'R')", [list(w) for w in WAVES])
        _audit(conn)
    finally:
        conn.close()
    return path


def _contract_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Empty marts tables with exactly the columns and types of their enforced contract."""
    for model in yaml.safe_load(MARTS_CONTRACT.read_text(encoding="utf-8"))["models"]:
        cols = ", ".join(f'"{c["name"]}" {c["data_type"]}' for c in model["columns"])
        conn.execute(f"create table marts.{PUBLISHED_NAME.get(model['name'], model['name'])} ({cols})")


def _targets(conn: duckdb.DuckDBPyConnection) -> None:
    """seeds.kpi_targets with the seed's column types, holding the fixture's TARGETS for the
    whole organisation (the same targets its KPI rows carry)."""
    seeds = {s["name"]: s for s in yaml.safe_load(SEEDS_CONFIG.read_text(encoding="utf-8"))["seeds"]}
    types = seeds["kpi_targets"]["config"]["column_types"]
    conn.execute(f"create table seeds.kpi_targets ({', '.join(f'{c} {t}' for c, t in types.items())})")
    direction = {c[0]: c[5] for c in CATALOGUE}
    conn.executemany(
        "insert into seeds.kpi_targets by name select ? as kpi_id, date '2020-01-01' as valid_from, "
        "? as target_value, ? as direction, ? as target_window",
        [[kpi, value, direction[kpi], TARGET_WINDOWS.get(kpi)] for kpi, value in TARGETS.items()])


def _seed(conn: duckdb.DuckDBPyConnection, name: str) -> None:
    """seeds.<name> from seeds/<name>.csv, with the column types of seeds/_seeds.yml."""
    seeds = {s["name"]: s for s in yaml.safe_load(SEEDS_CONFIG.read_text(encoding="utf-8"))["seeds"]}
    types = seeds[name]["config"]["column_types"]
    duck = {"string": "varchar"}
    conn.execute(f"create table seeds.{name} ({', '.join(f'{c} {duck.get(t, t)}' for c, t in types.items())})")
    conn.execute(f"insert into seeds.{name} select * from read_csv('{REPO / 'seeds' / f'{name}.csv'}', header = true, "
                 f"columns = {{{', '.join(repr(c) + ': ' + repr(duck.get(t, t)) for c, t in types.items())}}})")


def _audit(conn: duckdb.DuckDBPyConnection) -> None:
    # The loader's own DDL: empty raw tables, the audit tables and audit.period_completeness.
    ensure_warehouse(conn)
    loads = []
    load_id = 0
    for extract in ("employees", "absence"):
        for i in range(MONTHS):
            load_id += 1
            p = period(i)
            quarantined = 2 if (extract == "absence" and i == 14) else 0
            name = f"{extract}_{p:%Y%m}.csv"
            loads.append((load_id, name, f"/landing/{extract}/{name}", f"{load_id:064x}", extract, p, 100,
                          100 - quarantined, quarantined, "loaded", f"{100 - quarantined} rows loaded",
                          dt.datetime(2025, 4, 2, 6, 0), dt.datetime(2025, 4, 2, 6, 0, load_id % 60)))
    conn.executemany("insert into audit.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", loads)
    conn.executemany(
        "insert into audit.quarantine values (30, 'absence', date '2025-03-01', 'absence_202503.csv', ?, ?, ?, ?)",
        [(17, "Från datum", "2025-02-30", "not a valid date (YYYY-MM-DD)"),
         (42, "Personnummer", "19850101-****", "personnummer checksum is wrong")],
    )
    conn.execute(
        "insert into audit.publish_log (publish_id, run_id, published_at, status, published_file, source_files, "
        "test_summary, kpi_rows, kpi_rows_changed) values (1, '5f3a9c1e-7b2d-4e8a-9c61-0d2f4b8a7e13', "
        "timestamp '2025-04-02 06:15:00', 'published', 'hr_kpi.duckdb', ?, ?, 100, 100)",
        [json.dumps([]), json.dumps({"statuses": {"pass": 120, "warn": 1}, "failures": []})],
    )
    # The published figures' history (dagster_project/publish.py): every row from publish 1.
    ensure_kpi_history(conn)
    conn.execute("insert into audit.kpi_values_history select *, 1, null from marts.kpi_values")


# A second publish after a corrected absence file for Mar 2025: the whole region's sick leave,
# month window, rises in Feb 2025 from 504 to 544 h (6,3 -> 6,8 %) and in Mar 2025 from 512 to
# 560 h (6,4 -> 7,0 %) of 8 000 ordinary hours. Nothing else changes.
CORRECTED = {dt.date(2025, 2, 1): 544.0, dt.date(2025, 3, 1): 560.0}


def add_correction(path: Path) -> Path:
    """Publish 2 on top of the file `build` wrote: the corrected figures in marts.kpi_values,
    their history versioned as the publish does, and the publish's summary."""
    conn = duckdb.connect(str(path))
    try:
        for day, hours in CORRECTED.items():
            where = ("""kpi_id = 'sick_leave_pct' and org_unit_code = 'R' and "window" = 'month'
                        and breakdown = 'total' and period = ?""")
            conn.execute(f"update marts.kpi_values set numerator = ?, value = round(? / 8000 * 100, 2) where {where}",
                         [hours, hours, day])
            conn.execute(f"update audit.kpi_values_history set valid_to_publish_id = 2 where {where}", [day])
            conn.execute(f"insert into audit.kpi_values_history select *, 2, null from marts.kpi_values where {where}",
                         [day])
        summary = {"files": {"loaded": 0, "replaced": 1, "skipped": 29, "rejected": 0},
                   "loaded_files": [], "replaced_files": ["absence_202503.csv"], "rejected_files": [],
                   "periods_rebuilt": {"every_period": False, "first": "2025-02-01", "last": "2025-03-01"},
                   "kpi_rows_new": 0, "kpi_rows_revised": 2, "organisation_figures_changed": []}
        conn.execute(
            "insert into audit.publish_log (publish_id, run_id, published_at, status, published_file, source_files, "
            "test_summary, kpi_rows, kpi_rows_changed, summary) values (2, '9b1d7e40-2c3f-4a5b-8d6e-7f8091a2b3c4', "
            "timestamp '2025-04-09 06:30:00', 'published', 'hr_kpi.duckdb', ?, ?, 100, 2, ?)",
            [json.dumps([]), json.dumps({"statuses": {"pass": 121}, "failures": []}), json.dumps(summary)])
    finally:
        conn.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--months", type=int, default=MONTHS)
    parser.add_argument("--units", type=int, default=0, help="extra org units (timing at realistic size)")
    parser.add_argument("--corrected", action="store_true", help="add a second publish revising two figures")
    args = parser.parse_args()
    path = build(args.path, args.months, args.units)
    print(add_correction(path) if args.corrected else path)


if __name__ == "__main__":
    main()
