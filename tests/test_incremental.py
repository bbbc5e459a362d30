"""An incremental refresh equals a full rebuild of the same landing folder.

Build the golden fixture, correct one month (2025-12) of three extracts (a payroll amount,
an absence row's hours, an entry interview) and shorten a January spell so that it no longer
turns long (which changes windows that hold its earlier months), load the corrections and refresh with the
periods dagster_project.refresh_scope derives from audit.load_log; then build the corrected
landing from scratch in another folder. Every published row must match bit for bit
(EXCEPT ALL both ways), and the refresh must have rebuilt less than every period.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import GOLDEN_LANDING
from dagster_project.refresh_scope import refresh_scope
from demo_data import generate
from warehouse_builds import PUBLISHED_FIGURES, dbt_build, dbt_command, differences, load_landing, query

CORRECTIONS = {  # file -> (text, corrected text): one changed value each
    "payroll/payroll_202512.csv": ("42000,00;202512", "43500,00;202512"),
    "absence/absence_202512.csv": ("2025-12-31;100;160", "2025-12-31;100;150"),
    "employment_events/employment_events_202512.csv": ("NY;VI;1212;;J", "NY;VI;1212;;N"),
    # A register row: 100 % -> 80 % and 160 -> 128 ordinary hours (FTE, sick-leave base).
    "employees/employees_202512.csv": ("202512;19800704-2321;A1002;K;1111;2221;TV;100;160;",
                                       "202512;19800704-2321;A1002;K;1111;2221;TV;80;128;"),
    # Spell S-0004 (from 2025-11-21) now ends on day 51 instead of reaching day 60 in January:
    # it no longer turns long, so its November and December hours leave January's windows.
    "absence/absence_202601.csv": ("2025-11-21;2026-01-01;2026-01-31;50;62", "2025-11-21;2026-01-01;2026-01-10;50;20"),
}
NO_UNIT_TESTS = ("--exclude", "resource_type:unit_test")


def correct(landing: Path) -> None:
    for name, (text, corrected) in CORRECTIONS.items():
        path = landing / name
        data = path.read_bytes()
        assert data.count(text.encode()) >= 1, (name, text)
        path.write_bytes(data.replace(text.encode(), corrected.encode(), 1))


@pytest.fixture(scope="module")
def builds(golden_run, tmp_path_factory: pytest.TempPathFactory):
    # The golden refresh's landing and build database are the state before the correction
    # (loaded with the same key as load_landing's, its dbt build recorded as successful).
    s, result = golden_run
    assert result.success, "the refresh of the golden fixture failed"
    inc = tmp_path_factory.mktemp("incremental")
    landing = inc / "landing"
    shutil.copytree(GOLDEN_LANDING, landing)
    db = inc / "warehouse.duckdb"
    shutil.copy(s.build_db, db)
    before = inc / "before.duckdb"
    shutil.copy(db, before)

    correct(landing)
    load_landing(db, landing)
    conn = duckdb.connect(str(db))
    try:
        scope = refresh_scope(conn)
    finally:
        conn.close()
    assert scope is not None
    dbt_build(db, inc, *NO_UNIT_TESTS, "--vars", json.dumps(scope.dbt_vars()))

    full = tmp_path_factory.mktemp("full")
    shutil.copytree(landing, full / "landing")
    full_db = full / "warehouse.duckdb"
    load_landing(full_db, full / "landing")
    dbt_build(full_db, full, *NO_UNIT_TESTS)
    return db, full_db, scope, before


def test_refresh_rebuilds_only_the_affected_periods(builds):
    _, _, scope, _ = builds
    # From the first corrected month (2025-12), not back to the start of its spells
    # (2025-10-01): a spell's earlier months reach later windows only through adjustments keyed
    # by the window's end. Forward 12 months after the last corrected month (2026-01).
    assert scope.first == dt.date(2025, 12, 1)
    assert scope.last == dt.date(2027, 1, 1)


@pytest.mark.parametrize("table", PUBLISHED_FIGURES)
def test_incremental_refresh_equals_full_rebuild(builds, table):
    inc_db, full_db, _, _ = builds
    only_inc, only_full, sample = differences(inc_db, full_db, table)
    assert (only_inc, only_full) == (0, 0), f"{table}: {only_inc} rows only incremental, {only_full} only full: {sample}"


# The facts kept by period below the KPI models (docs/incremental.md).
PERIOD_KEPT_FACTS = ("intermediate.int_payroll_lines", "intermediate.int_kpi_facts_workforce",
                     "intermediate.int_kpi_facts_costs", "intermediate.int_kpi_facts_health",
                     "intermediate.int_kpi_facts_pay")


# The windows' candidate rows and sums, whose rows (not only figures) must match too: a grid
# row of a month depends on the roll-up of that month and the 11 before it only.
WINDOW_ROWS = ("intermediate.int_kpi_window_grid", "intermediate.int_kpi_window_sums")


@pytest.mark.parametrize("table", PERIOD_KEPT_FACTS + WINDOW_ROWS)
def test_incremental_facts_equal_a_full_rebuild(builds, table):
    inc_db, full_db, _, _ = builds
    only_inc, only_full, sample = differences(inc_db, full_db, table)
    assert (only_inc, only_full) == (0, 0), f"{table}: {only_inc} rows only incremental, {only_full} only full: {sample}"


def incremental_models(build_db: Path) -> dict[str, str]:
    """Every incremental model of the build next to `build_db` (its manifest) -> its unique_key."""
    manifest = json.loads((build_db.parent / "target" / "manifest.json").read_text())
    return {f"{n['schema']}.{n['alias']}": n["config"]["unique_key"] for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n["config"]["materialized"] == "incremental"}


def test_a_rebuilt_period_with_no_rows_left_keeps_none_of_its_old_ones(builds, tmp_path: Path):
    """dbt's delete+insert deletes only the periods its new rows hold: a period whose last
    rows a correction removed would keep them. Every incremental model deletes each rebuilt
    period first (refreshed_keys, macros/refresh_periods.sql). December 2026 is inside the
    refresh's months but after the last loaded one, so (but for the people counts) it gets no
    new row."""
    inc_db, _, scope, _ = builds
    db = tmp_path / "stale.duckdb"
    shutil.copy(inc_db, db)
    models = incremental_models(inc_db)
    assert set(PERIOD_KEPT_FACTS) | {"marts.kpi_values", "intermediate.int_kpi_population"} <= set(models)
    stale, kept = dt.date(2026, 12, 1), dt.date(2025, 11, 1)
    assert scope.first <= stale <= scope.last and not scope.first <= kept <= scope.last
    conn = duckdb.connect(str(db))
    try:
        for table, key in models.items():
            for period in (stale, kept):
                conn.execute(f"""insert into {table} by name
                                 (select * replace ({key_value(key)} as {key}) from {table} limit 1)""",
                             [period])
    finally:
        conn.close()
    dbt_command("run", db, tmp_path, "--select", *(m.split(".")[1] for m in models),
                "--vars", json.dumps(scope.dbt_vars()))
    # What the refresh itself wrote there: nothing, but the people counts' months after the
    # last loaded one (int_kpi_population ends its runs there).
    written = query_counts(inc_db, models, stale)
    assert written == {t: 0 if t != "intermediate.int_kpi_population" else written[t] for t in models}
    assert query_counts(db, models, stale) == written
    # The periods outside the refresh are kept as they were, the planted row with them.
    assert query_counts(db, models, kept) == {t: n + 1 for t, n in query_counts(inc_db, models, kept).items()}


def key_value(key: str) -> str:
    """The month date parameter $1 as the value of an incremental model's key (macros/periods.sql
    month_no, restated here so the test checks the macro rather than reuses it)."""
    return {"period": "cast($1 as date)",
            "month_no": "year(cast($1 as date)) * 12 + month(cast($1 as date)) - 1"}[key]


def query_counts(db: Path, models: dict[str, str], period: dt.date) -> dict[str, int]:
    return {t: query(db, f"select count(*) as n from {t} where {key} = {key_value(key)}",
                     [period])[0]["n"]
            for t, key in models.items()}


def test_the_correction_changed_published_figures_inside_the_scope_only(builds):
    """Guards the test itself: the correction must change published figures (else the
    equality above would prove nothing), and only in the periods the scope rebuilt."""
    inc_db, _, scope, before = builds
    conn = duckdb.connect()
    try:
        conn.execute(f"attach '{before}' as b (read_only)")
        conn.execute(f"attach '{inc_db}' as a (read_only)")
        changed = conn.execute("""
            select distinct period from (
                select * from a.marts.kpi_values except all select * from b.marts.kpi_values)
            order by period""").fetchall()
        fte_changed = conn.execute("""
            select count(*) from (
                select * from a.marts.kpi_values except all select * from b.marts.kpi_values)
            where kpi_id = 'fte' and period = date '2025-12-01' and "window" = 'month'""").fetchone()[0]
        long_share_changed = conn.execute("""
            select count(*) from (
                select * from a.marts.kpi_values except all select * from b.marts.kpi_values)
            where kpi_id = 'sick_leave_long_share_pct' and period = date '2026-01-01'
              and "window" = 'rolling_12m'""").fetchone()[0]
    finally:
        conn.close()
    periods = [p for (p,) in changed]
    assert periods, "the corrections changed no published figure"
    assert long_share_changed, "the shortened spell did not change January's long-term share"
    assert fte_changed, "the register correction did not change December's FTE"
    assert all(scope.first <= p <= scope.last for p in periods), periods


def test_the_rebuilt_rows_work_tables_are_gone_after_the_refresh(builds):
    """An incremental model stages its rebuilt periods in a work table of the database file
    (dbt/macros/adapters/duckdb_incremental.sql), not in memory; none may outlive the build,
    or the publish would ship it."""
    inc_db, _, _, _ = builds
    conn = duckdb.connect(str(inc_db), read_only=True)
    try:
        left = conn.execute("""select schema_name || '.' || table_name from duckdb_tables()
                               where table_name like '%__dbt_rebuilt%' or temporary""").fetchall()
    finally:
        conn.close()
    assert left == []


def _duplicate_a_kpi_row(db: Path, period: dt.date) -> None:
    conn = duckdb.connect(str(db))
    try:
        inserted = conn.execute(
            "insert into marts.kpi_values select * from marts.kpi_values where period = ? limit 1",
            [period]).fetchone()[0]
    finally:
        conn.close()
    assert inserted == 1, period


def test_an_incremental_refresh_tests_the_periods_it_rebuilt(builds, tmp_path: Path):
    """The data tests of the period-keyed KPI models check the refreshed periods only
    (dbt/macros/test_scope.sql): a duplicate KPI row in a period the refresh kept is not
    looked at by the grain test, one in a rebuilt period fails it, and a plain `dbt test`
    (every period) finds the kept one too."""
    inc_db, _, scope, _ = builds
    refresh = ("--vars", json.dumps(scope.dbt_vars()))
    grain = ("--select", "kpi_values,test_name:unique_combination")

    kept = tmp_path / "kept.duckdb"
    shutil.copy(inc_db, kept)
    _duplicate_a_kpi_row(kept, dt.date(2025, 11, 1))
    assert dbt_command("test", kept, tmp_path / "kept", *grain, *refresh, check=False).returncode == 0
    assert dbt_command("test", kept, tmp_path / "all", *grain, check=False).returncode != 0

    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(inc_db, rebuilt)
    _duplicate_a_kpi_row(rebuilt, scope.first)
    assert dbt_command("test", rebuilt, tmp_path / "rebuilt", *grain, *refresh, check=False).returncode != 0


@pytest.mark.parametrize("name, text, corrected, first, last", [
    # Hours alone: spell S-0004 keeps its dates, so November rebuilds its own 12 months, not
    # up to 12 months after the spell's last month (January) as every spell running into a
    # month did before.
    ("absence/absence_202511.csv", "2025-11-21;2025-11-30;100;50", "2025-11-21;2025-11-30;100;40",
     dt.date(2025, 11, 1), dt.date(2026, 11, 1)),
    # A date: the spell may now turn long in another month, so every window up to 12 months
    # after its last month (January) is rebuilt.
    ("absence/absence_202511.csv", "2025-11-21;2025-11-30;100;50", "2025-11-21;2025-11-25;100;25",
     dt.date(2025, 11, 1), dt.date(2027, 1, 1)),
    # Both retroactive lines (Avser period 202512) removed from January's payroll: no line
    # left names December, but the removed ones changed it.
    ("payroll/payroll_202601.csv", "202601;198007042321;1111;1310;5;1000,00;202512\r\n", "",
     dt.date(2025, 12, 1), dt.date(2027, 1, 1)),
])
def test_a_replacement_reaches_what_its_changed_rows_reached(golden_run, tmp_path: Path, name, text, corrected,
                                                               first, last):
    s, result = golden_run
    assert result.success
    landing = tmp_path / "landing"
    shutil.copytree(GOLDEN_LANDING, landing)
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(s.build_db, db)
    path = landing / name
    data = path.read_bytes()
    assert text.encode() in data, (name, text)
    data = data.replace(text.encode(), corrected.encode(), 1)
    if name.startswith("payroll"):
        data = data.replace(b"202601;200103675930;1111;1110;16,5;2970,00;202512\r\n", b"", 1)
        assert b";202512\r\n" not in data
    path.write_bytes(data)
    load_landing(db, landing)
    conn = duckdb.connect(str(db), read_only=True)
    try:
        scope = refresh_scope(conn)
    finally:
        conn.close()
    assert (scope.first, scope.last) == (first, last)


def test_population_steps_of_a_refresh_equal_a_full_build_from_a_year_back(tmp_path: Path):
    """int_kpi_population rebuilds the steps of the refreshed months from the members and
    the hierarchy of the 12 months before them (a rolling window counts 12 months of
    presence). On 18 synthetic months, a refresh from month 15 on reads months 3 on only:
    its steps must equal a full build's, row for row, while the steps before it are kept."""
    landing = tmp_path / "landing"
    generate(landing, employees=150, months=18, end_period=202606, seed=3, progress=False)
    db = tmp_path / "warehouse.duckdb"
    load_landing(db, landing)
    dbt_command("seed", db, tmp_path / "full")
    dbt_command("run", db, tmp_path / "full", "--select", "+int_kpi_population")
    full = tmp_path / "full.duckdb"
    shutil.copy(db, full)
    refresh = {"refresh_from": "2026-03-01", "refresh_to": "2027-03-01"}
    first_no = 2026 * 12 + 2
    # Marks: a kept month's row must survive the refresh, a rebuilt month's altered step
    # must be put right by it.
    conn = duckdb.connect(str(db))
    try:
        conn.execute("""insert into intermediate.int_kpi_population (population_basis, month_no, step)
                        values ('kept mark', ?, 0)""", [first_no - 1])
        altered = conn.execute("""update intermediate.int_kpi_population set step = step + 1000
                                  where month_no = ? and step <> 0""", [first_no]).fetchone()[0]
    finally:
        conn.close()
    assert altered > 0
    dbt_command("run", db, tmp_path / "inc", "--select", "int_population_members", "int_kpi_population",
                "--vars", json.dumps(refresh))
    conn = duckdb.connect(str(db))
    try:
        kept = conn.execute(
            "delete from intermediate.int_kpi_population where population_basis = 'kept mark'").fetchone()[0]
    finally:
        conn.close()
    assert kept == 1, "the refresh rebuilt a month before refresh_from"
    only_inc, only_full, sample = differences(db, full, "intermediate.int_kpi_population")
    assert (only_inc, only_full) == (0, 0), sample
