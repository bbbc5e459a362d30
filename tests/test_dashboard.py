"""The dashboard: formatting, export safety, and every page run with Streamlit's AppTest.

Page tests read a small published file written by tests/dashboard_fixture.py whose figures
are hand-computed (see the comments there), and the published file the real pipeline
builds from the golden fixture, compared with tests/fixtures/golden/expected_kpis.csv.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

import dashboard_fixture
from streamlit_app import charts, export, fmt

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "streamlit_app" / "app.py"
NB = "\u00a0"  # the Swedish thousands separator and the space before units
EXPECTED_GOLDEN = REPO / "tests" / "fixtures" / "golden" / "expected_kpis.csv"


# --- formatting ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1234567.891, 0, "sv", f"1{NB}234{NB}568"),
        (1234.5, 1, "sv", f"1{NB}234,5"),
        (0.05, 1, "sv", "0,1"),
        (-0.04, 1, "sv", "0,0"),  # never "-0,0"
        (-1234.25, 2, "sv", f"-1{NB}234,25"),
        (1234.5, 1, "en", "1,234.5"),
        (None, 1, "sv", ""),
        (float("nan"), 1, "sv", ""),
        (pd.NA, 0, "sv", ""),  # DuckDB's NULL integers arrive as pd.NA
    ],
)
def test_format_number(value, decimals, lang, expected) -> None:
    assert fmt.format_number(value, decimals, lang) == expected


def test_format_value_units_and_suppression() -> None:
    assert fmt.format_value(6.4, "percent") == f"6,4{NB}%"
    assert fmt.format_value(6.4, None, kpi_id="sick_leave_pct") == f"6,4{NB}%"
    assert fmt.format_value(1234567, "SEK") == f"1{NB}234{NB}567{NB}kr"
    assert fmt.format_value(1234567, "SEK", lang="en") == f"1,234,567{NB}SEK"
    assert fmt.format_value(1014, "count") == f"1{NB}014"
    assert fmt.format_value(1248567, "SEK", compact=True) == f"1,2{NB}mnkr"
    assert fmt.format_value(999999, "SEK", compact=True) == f"999{NB}999{NB}kr"
    assert fmt.format_change(-2.5e6, "SEK", compact=True) == f"-2,5{NB}mnkr"
    # Beside a value in millions the change is in millions too, not in kronor.
    assert fmt.format_change(-137_338, "SEK", compact=True, value=10.5e6) == f"-0,1{NB}mnkr"
    assert fmt.format_change(20_000, "SEK", compact=True, value=10.5e6) == f"+20{NB}000{NB}kr"
    assert fmt.format_change(-137_338, "SEK", compact=True, value=900_000) == f"-137{NB}338{NB}kr"
    assert fmt.format_value(72.5, "index") == "72,5"
    assert fmt.format_value(72.456, "index", decimals=2) == "72,46"
    # A suppressed figure is labelled, never shown as zero or blank.
    assert fmt.format_value(None, "percent", suppressed=True) == "Dold"
    assert fmt.format_value(0.0, "percent", suppressed=True, lang="en") == "Suppressed"
    assert fmt.format_value(None, "percent") == "–"


def test_format_change_in_percentage_points() -> None:
    assert fmt.format_change(1.2, "percent") == f"+1,2{NB}p.e."
    assert fmt.format_change(-0.35, "percent", decimals=2) == f"-0,35{NB}p.e."
    assert fmt.format_change(0.01, "percent") == f"±0,0{NB}p.e."
    assert fmt.format_change(12, "count") == "+12"
    assert fmt.format_change(1.2, "percent", lang="en") == f"+1.2{NB}pp"
    assert fmt.format_change(None, "percent") is None


def test_months_targets_and_labels() -> None:
    assert fmt.format_month(dt.date(2025, 3, 1)) == "mar 2025"
    assert fmt.format_month("2024-05-01", "en") == "May 2024"
    assert fmt.target_text(5.0, "max", "percent", 1) == f"Mål ≤ 5,0{NB}%"
    assert fmt.target_text(95, "min", "percent", 1, "en") == f"Target ≥ 95,0{NB}%".replace("95,0", "95.0")
    assert fmt.target_text(None, "min", "percent", 1) == "Mål: inget mål"
    assert fmt.status_label("amber") == "Gul"
    assert fmt.status_label(None, "en") == "No status"
    assert fmt.statutory_key("gender", "K") == "K"
    assert fmt.statutory_key("long_spell_share", "total") == "long"
    assert sorted([">=50", "M", "<=29", "K", "30-49"], key=fmt.breakdown_order) == ["K", "M", "<=29", "30-49", ">=50"]
    assert fmt.extract_label(" employees ") == "Personalregister"
    assert fmt.extract_label("employees", "en") == "employees"
    assert fmt.extract_label("not_an_extract") == "not_an_extract"


def test_dashboard_does_not_import_the_orchestrator() -> None:
    """The dashboard reads the published file only: it shares hrkpi_config with Dagster, never
    dagster_project (whose import pulls in Dagster and dbt). Page scripts are checked by their
    import statements, the modules they use by importing them in a fresh interpreter."""
    import ast
    import subprocess
    import sys

    orchestrator = {"dagster_project", "dagster", "dagster_dbt", "dbt"}
    for path in (REPO / "streamlit_app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not {n.split(".")[0] for n in names} & orchestrator, (path, names)
    modules = sorted("streamlit_app." + p.stem for p in (REPO / "streamlit_app").glob("*.py")
                     if p.stem not in ("app", "__init__"))
    code = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(orchestrator)!r}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


# --- export -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+46 8 123", "'+46 8 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Akutmottagning", "Akutmottagning"),
        ("a=b", "a=b"),
        ("", ""),
        (-0.4, -0.4),  # numbers stay numbers
        (None, None),
    ],
)
def test_neutralise_cell(cell, expected) -> None:
    assert export.neutralise_cell(cell) == expected


def test_csv_and_excel_exports_neutralise_text_and_keep_numbers() -> None:
    df = pd.DataFrame({"Enhet": ["=Avdelning 12", "Akutmottagning"], "Värde": [-0.4, 6.4], "Status": ["Dold", "Röd"]})
    csv = export.to_csv_bytes(df).decode("utf-8-sig")
    assert csv.splitlines() == ["Enhet;Värde;Status", "'=Avdelning 12;-0,4;Dold", "Akutmottagning;6,4;Röd"]
    book = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(df, "test")))
    sheet = book["test"]
    assert sheet["A2"].value == "'=Avdelning 12" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -0.4 and sheet["B2"].data_type == "n"
    assert df.loc[0, "Enhet"] == "=Avdelning 12"  # the frame on screen is not altered


def test_exports_carry_a_header_rounded_values_and_excel_formats() -> None:
    """An export says what it is of, and its numbers are the figures as shown."""
    from streamlit_app import tables, ui

    kpi = ui.Kpi(kpi_id="sick_leave_pct", name="Sjukfrånvaro", area="Sunt och tryggt arbete", unit="percent",
                 direction="max", decimals=1, definition="", source="", breakdowns="", is_survey=False,
                 numerator_label="Sjukfrånvarotimmar", denominator_label="Ordinarie arbetstimmar")
    rows = pd.DataFrame({"value": [6.4467, -0.040000000000000924], "suppressed": [False, False],
                         "target_value": [5.0, 5.0], "status": ["red", "green"], "numerator": [515.736, 0.0],
                         "denominator": [8000.0, 5000.0], "population_n": [500, 300]})
    df = tables.kpi_table(rows, kpi, "sv", "Månad", ["mar 2025", "apr 2025"], False)
    assert list(df.columns) == ["Månad", "Värde (procent)", "Mål (procent)", "Status", "Sjukfrånvarotimmar",
                                "Ordinarie arbetstimmar", "Antal personer"]
    header = [("Nyckeltal", "Sjukfrånvaro"), ("Organisation", "Region Exempel"), ("Månad", "alla månader"),
              ("Period", "Månad"), ("Publicering nr", "3"), ("Senast publicerad", "2025-04-02 08:15 CEST")]
    csv = export.to_csv_bytes(df, "sv", header).decode("utf-8-sig").splitlines()
    # 6,4467 % shows as 6,4 %; -0,04 as 0,0 (not -0,040000000000000924, nor -0,0); 515,736 h
    # keeps two decimals as on screen.
    assert csv[:7] == ["Nyckeltal;Sjukfrånvaro", "Organisation;Region Exempel", "Månad;alla månader", "Period;Månad",
                       "Publicering nr;3", "Senast publicerad;2025-04-02 08:15 CEST", ""]
    assert csv[7:] == ["Månad;Värde (procent);Mål (procent);Status;Sjukfrånvarotimmar;Ordinarie arbetstimmar;"
                       "Antal personer",
                       "mar 2025;6,4;5,0;Röd;515,74;8000;500", "apr 2025;0,0;5,0;Grön;0,0;5000;300"]
    book = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(df, "sjuk", header,
                                                                   tables.export_decimals(kpi, "sv"))))
    sheet = book["sjuk"]
    assert (sheet["A1"].value, sheet["B1"].value, sheet["A1"].font.b) == ("Nyckeltal", "Sjukfrånvaro", True)
    assert sheet["A8"].value == "Månad" and sheet["B9"].value == 6.4
    # One decimal for the percentages, as shown; whole hours as whole numbers.
    assert sheet["B9"].number_format == "#,##0.0" and sheet["B10"].value == 0.0
    assert sheet["F9"].number_format == "#,##0" and sheet["G9"].number_format == "#,##0"
    assert sheet["E9"].number_format == "#,##0.00"  # 515,74: two decimals like the screen
    # Columns wide enough for their names: "Ordinarie arbetstimmar" is 22 characters.
    assert sheet.column_dimensions["F"].width >= 22


def test_times_in_the_organisations_zone(monkeypatch) -> None:
    from streamlit_app import times

    # Stored naive, in UTC: 06:15 UTC on 2 April is 08:15 summer time in Stockholm, 22:42 UTC
    # on 1 December is 23:42 winter time.
    assert times.format_local(dt.datetime(2025, 4, 2, 6, 15)) == "2025-04-02 08:15 CEST"
    assert times.format_local(pd.Timestamp("2026-12-01 22:42:33")) == "2026-12-01 23:42 CET"
    monkeypatch.setenv("HRKPI_TIMEZONE", "Europe/Helsinki")
    assert times.format_local(dt.datetime(2025, 4, 2, 6, 15)) == "2025-04-02 09:15 EEST"
    monkeypatch.setenv("HRKPI_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValueError, match="HRKPI_TIMEZONE"):
        times.timezone()


# --- the app on the hand-written published file -------------------------------------------

@pytest.fixture(scope="module")
def dev_db(tmp_path_factory) -> Path:
    return dashboard_fixture.build(tmp_path_factory.mktemp("dashboard") / "hr_kpi.duckdb")


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def app(db: Path, monkeypatch, **query) -> AppTest:
    monkeypatch.setenv("HRKPI_PUBLISHED_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def tile_name(markdown: str) -> str | None:
    """The KPI name a tile writes first in bold ('**Sjukfrånvaro** :blue-badge[...]')."""
    m = re.match(r"\*\*(.+?)\*\*", markdown)
    return m.group(1) if m and not is_standing(markdown) else None


def is_standing(markdown: str) -> bool:
    """A line of the strategy summary: '**Area** :green-badge[2 gröna] ... · 2 av 4 mål nås'."""
    return markdown.startswith("**") and (" mål nås" in markdown or " targets met" in markdown
                                          or ":gray-badge[Inga mål]" in markdown)


def is_status_badge(markdown: str) -> bool:
    return bool(re.match(r":(green|orange|red|gray)-badge\[", markdown)) and ":small[" not in markdown


def tiles(at: AppTest) -> dict[str, tuple[str, str]]:
    """KPI name -> (value, change) of every tile: the metric's value, and the neutral change
    badge written under it ('+1,2 p.e.', '' when there is none)."""
    values = {m.label: m.value for m in at.metric}
    changes = {}
    name = None
    for m in at.markdown:
        if m.value.startswith("**") and tile_name(m.value) in values:
            name = tile_name(m.value)
            changes[name] = ""
        elif ":small[" in m.value and name is not None:
            changes[name] = re.sub(r":material/\w+: ", "", m.value.split("] :small[")[0].removeprefix(":gray-badge["))
    return {k: (v, changes.get(k, "")) for k, v in values.items()}


def change_words(at: AppTest) -> dict[str, str]:
    """KPI name -> the words beside its change ('sämre än mar 2024')."""
    out, name = {}, None
    for m in at.markdown:
        if m.value.startswith("**") and tile_name(m.value):
            name = tile_name(m.value)
        elif ":small[" in m.value and name is not None:
            out[name] = m.value.split(":small[")[1].rstrip("]")
    return out


def badges(at: AppTest) -> list[str]:
    """The tiles' status badges, in page order."""
    return [m.value for m in at.markdown if is_status_badge(m.value)]


def tile_badges(at: AppTest) -> dict[str, str]:
    """KPI name -> the status badge under it (each tile writes its name in bold, then the badge)."""
    out, name = {}, None
    for m in at.markdown:
        if m.value.startswith("**") and tile_name(m.value):
            name = tile_name(m.value)
        elif is_status_badge(m.value) and name is not None:
            out[name] = m.value
            name = None
    return out


def standing(at: AppTest) -> list[str]:
    """The strategy summary's lines, one per area."""
    return [m.value for m in at.markdown if is_standing(m.value)]


def test_overview_tiles_show_value_target_status_and_change(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    no_errors(at)
    shown = tiles(at)
    # Mar 2025, whole region, month: sick leave 512 / 8000 h = 6,4 %; Mar 2024 416 / 8000 = 5,2 %.
    assert shown["Sjukfrånvaro"] == (f"6,4{NB}%", f"+1,2{NB}p.e.")
    assert shown["Antal anställda"] == (f"1{NB}014", "+12")
    assert shown["Ledarskapsindex"] == ("72,5", "+4,5")
    assert shown["Kostnad för bemanningspersonal"] == (f"1,2{NB}mnkr", f"+12{NB}000{NB}kr")
    # Frisknärvaro exists only for 12-month windows: the tile says so instead of staying empty.
    assert shown["Frisknärvaro"][0] == f"44,0{NB}%"
    assert "Publiceras bara som rullande 12 mån." in [c.value for c in at.caption]
    # Traffic lights, in catalogue order: targets and status from the published rows.
    # Voluntary turnover's target is annual: the tile shows the rolling 12 months, 43 / 1000
    # = 4,3 % against a ceiling of 4,0 % (at most 4,4 % is amber), and says why.
    assert shown["Avgångsomsättning, egen begäran"] == (f"4,3{NB}%", f"±0,0{NB}p.e.")
    assert "Visas som rullande 12 mån: målet gäller den perioden." in [c.value for c in at.caption]
    # The strategy's own indicators first (area by area), then the other KPIs.
    assert badges(at) == [
        f":orange-badge[Gul] Mål ≤ 4,0{NB}%",
        f":green-badge[Grön] Mål ≤ 2,0{NB}%",
        ":orange-badge[Gul] Mål ≥ 75,0",
        f":red-badge[Röd] Mål ≤ 5,0{NB}%",
        ":red-badge[Röd] Mål ≥ 70,0",
        ":gray-badge[Inget mål]",
        ":gray-badge[Inget mål]",
        f":green-badge[Grön] Mål ≥ 40,0{NB}%",
        f":orange-badge[Gul] Mål ≥ 95,0{NB}%",
    ]
    assert [b.label for b in at.get("download_button")] == ["Ladda ner CSV", "Ladda ner Excel", "Styrelserapport (PDF)"]
    assert [h.value for h in at.subheader] == [
        "Strategins läge", "Kompetens och utveckling", "Coachande och inkluderande ledarskap",
        "Sunt och tryggt arbete", "Delaktighet och lagspel",
        "Kompetens och utveckling", "Sunt och tryggt arbete", "Lön och villkor"]
    assert [h.value for h in at.header] == ["Övriga nyckeltal"]


def test_overview_opens_with_where_each_strategy_area_stands(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    no_errors(at)
    # Counted from the tiles above: Kompetens has voluntary turnover amber and the agency
    # cost share green (headcount and agency cost have no target); Sunt: sick leave red,
    # healthy presence green; pay ratio 93,8 % against 95 -> amber.
    assert standing(at) == [
        "**Kompetens och utveckling** :green-badge[1 grön] :orange-badge[1 gul] · 1 av 2 mål nås",
        "**Coachande och inkluderande ledarskap** :orange-badge[1 gul] · 0 av 1 mål nås",
        "**Sunt och tryggt arbete** :green-badge[1 grön] :red-badge[1 röd] · 1 av 2 mål nås",
        "**Delaktighet och lagspel** :red-badge[1 röd] · 0 av 1 mål nås",
        "**Lön och villkor** :orange-badge[1 gul] · 0 av 1 mål nås",
    ]
    # The summary comes before the first tile, and the strategy's indicators are marked.
    first_tile = next(i for i, m in enumerate(at.markdown) if tile_name(m.value))
    assert max(i for i, m in enumerate(at.markdown) if is_standing(m.value)) < first_tile
    marked = [tile_name(m.value) for m in at.markdown if tile_name(m.value) and "badge[:material/flag: Strategin]" in m.value]
    assert marked == ["Avgångsomsättning, egen begäran", "Bemanningskostnad i % av egen personalkostnad",
                      "Ledarskapsindex", "Sjukfrånvaro", "Delaktighetsindex"]


def test_colours_mean_the_target_only(dev_db, monkeypatch) -> None:
    """Green, amber and red are the status badge's alone: lines and changes are neutral, and
    whether a change is for the better is said in words by the catalogue's direction."""
    at = app(dev_db, monkeypatch)
    no_errors(at)
    # st.metric colours its line like its delta; no tile passes a delta, so every line is grey.
    assert all(not m.proto.delta for m in at.metric)
    changes = [m.value for m in at.markdown if ":small[" in m.value]
    assert changes and all(c.startswith(":gray-badge[") for c in changes)
    words = change_words(at)
    # Sick leave rose 1,2 points and lower is better: worse, though its change is grey.
    assert words["Sjukfrånvaro"] == "sämre än mar 2024"
    assert words["Ledarskapsindex"] == "bättre än mar 2024"  # 68,0 -> 72,5, higher is better
    assert words["Kostnad för bemanningspersonal"] == "sämre än mar 2024"  # +12 000 kr, lower is better
    # Headcount has no direction in the fixture's catalogue: neither better nor worse.
    assert words["Antal anställda"] == "mot mar 2024"
    # A status badge only where a target applies; a KPI without one is grey, "Inget mål".
    by_tile = tile_badges(at)
    assert by_tile["Antal anställda"] == ":gray-badge[Inget mål]"
    assert by_tile["Sjukfrånvaro"].startswith(":red-badge[Röd]")


def test_org_drilldown_follows_on_every_page(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    at.selectbox(key="org_under_R").set_value("F1").run()
    no_errors(at)
    # Hälso- och sjukvård: (300 + 6 x 14) / 5000 = 7,68 % -> 7,7 %; Mar 2024 312 / 5000 = 6,24 %.
    assert tiles(at)["Sjukfrånvaro"] == (f"7,7{NB}%", f"+1,4{NB}p.e.")
    assert at.query_params["org"] == "F1"
    at.selectbox(key="org_under_F1").set_value("V1").run()
    at.selectbox(key="org_under_V1").set_value("E1").run()
    no_errors(at)
    assert tiles(at)["Sjukfrånvaro"][0] == "Dold"
    assert f":gray-badge[Dold] Mål ≤ 5,0{NB}%" in badges(at)
    captions = [c.value for c in at.caption]
    assert "Dold – färre än 11 personer, så att ingen enskild kan pekas ut." in captions
    assert tiles(at)["Ledarskapsindex"][0] == "Dold"
    assert "Dold – färre än 5 svarande i enkäten, för att skydda de svarande." in captions
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    assert "Akutmottagning" in at.caption[0].value
    assert at.selectbox(key="org_under_V1").value == "E1"


def test_suppressed_unit_from_a_link(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch, org="E2", month="2024-06")
    no_errors(at)
    shown = tiles(at)
    assert shown["Sjukfrånvaro"] == ("Dold", "")
    assert shown["Antal anställda"] == ("30", "")  # headcount is never suppressed
    assert "jun 2024" in at.caption[0].value and "=Avdelning 12" in at.caption[0].value


def test_window_switch(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    at.sidebar.radio[0].set_value("rolling_12m").run()
    no_errors(at)
    shown = tiles(at)
    # Rolling 12 months in the fixture: (512 - 40) / 8000 = 5,9 %; voluntary exits 43 / 1000 = 4,3 %.
    assert shown["Sjukfrånvaro"][0] == f"5,9{NB}%"
    assert shown["Avgångsomsättning, egen begäran"][0] == f"4,3{NB}%"
    assert f":orange-badge[Gul] Mål ≤ 4,0{NB}%" in badges(at)


def test_english_switch(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    at.sidebar.button_group[0].set_value("en").run()
    no_errors(at)
    shown = tiles(at)
    assert shown["Sick leave"] == (f"6.4{NB}%", f"+1.2{NB}pp")
    assert f":red-badge[Red] Target ≤ 5.0{NB}%" in badges(at)
    assert at.title[0].value == "Overview"


def test_kpi_page_trend_breakdown_and_ranking(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    at.button(key="trend_sick_leave_pct").click().run()
    no_errors(at)
    assert at.title[0].value == "Sjukfrånvaro"
    assert [(m.label, m.value) for m in at.metric] == [
        ("mar 2025", f"6,4{NB}%"), ("Mål", f"≤ 5,0{NB}%"), ("Status", "Röd"), ("Antal personer", "500")]
    # The status in colour and words, not a bare word.
    assert (at.metric[2].proto.delta, at.metric[2].proto.color) == ("målet nås inte", MetricProto.MetricColor.RED)
    series, breakdown, ranking = (d.value for d in at.dataframe)
    assert len(series) == 15
    # Numerator and denominator named by what they count (the catalogue's labels).
    assert list(series.columns) == ["Månad", "Värde", "Mål", "Status", "Sjukfrånvarotimmar", "Ordinarie arbetstimmar",
                                    "Antal personer"]
    assert series.iloc[2].tolist() == ["mar 2024", f"5,2{NB}%", f"5,0{NB}%", "Gul", "416", f"8{NB}000", "500"]
    # Gender first: women (300 + 84) / 5000 = 7,68 %, men (100 + 28) / 3000 = 4,27 %.
    assert breakdown.iloc[:, :2].values.tolist() == [["Kvinnor", f"7,7{NB}%"], ["Män", f"4,3{NB}%"]]
    # Children of the region, worst first, with their share of the region's 512 sick hours.
    assert ranking[["Enhet", "Värde", "Andel av sjukfrånvarotimmar"]].values.tolist() == [
        ["Hälso- och sjukvård", f"7,7{NB}%", f"75,0{NB}%"], ["Regionservice", f"4,3{NB}%", f"25,0{NB}%"]]
    at.segmented_control(key="breakdown_sick_leave_pct").set_value("age_group").run()
    breakdown = at.dataframe[1].value
    assert breakdown.iloc[:, :2].values.tolist() == [
        ["29 år och yngre", "Dold"], ["30–49 år", "Dold"], ["50 år och äldre", f"4,0{NB}%"]]


def test_kpi_page_ranking_of_suppressed_children(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch, org="V1", kpi="sick_leave_pct")
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    ranking = at.dataframe[-1].value
    assert ranking[["Enhet", "Värde", "Status", "Andel av sjukfrånvarotimmar"]].values.tolist() == [
        ["=Avdelning 12", "Dold", "Dold", "Dold"], ["Akutmottagning", "Dold", "Dold", "Dold"]]


def test_statutory_table_ready_to_copy(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    at.switch_page("views/statutory.py").run()
    no_errors(at)
    # 2025 has data to March only (months_covered 3): its column says so, in the copied
    # text too, and a warning says not to report it as a whole year. Measures 2025 lacks
    # show a dash.
    assert "Ofullständiga år: 2025 (jan–mar: 3 av 12 mån)." in at.warning[0].value
    assert at.code[0].value.splitlines() == [
        "Mått\t2025 (jan–mar: 3 av 12 mån)\t2024",
        f"Total sjukfrånvaro i % av ordinarie arbetstid\t5,5{NB}%\t5,0{NB}%",
        f"varav sjukfrånvaro 60 dagar eller mer, % av total sjukfrånvaro\t–\t40,0{NB}%",
        f"Kvinnor\t–\t6,0{NB}%",
        f"Män\t–\t3,3{NB}%",
        "29 år och yngre\t–\tDold",
        "30–49 år\t–\tDold",
        f"50 år och äldre\t–\t5,8{NB}%",
    ]


def test_definition_reachable_from_tile(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    at.button(key="def_sick_leave_pct").click().run()
    no_errors(at)
    assert at.title[0].value == "Definitioner"
    opened = [e for e in at.expander if e.proto.expanded]
    assert [e.label for e in opened] == ["Sjukfrånvaro"]
    text = " ".join(m.value for m in opened[0].markdown)
    for part in ("Definition av Sjukfrånvaro.", "**Enhet:** procent", "**Källa:** Frånvaro, Personalregister",
                 "**Riktning:** Lägre är bättre", "`sick_leave_pct`"):
        assert part in text


def test_data_status(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    at.switch_page("views/data_status.py").run()
    no_errors(at)
    assert [(m.label, m.value) for m in at.metric] == [
        ("Senast publicerad", "2025-04-02 08:15"), ("Körning", "5f3a9c1e"), ("Datatester", "120 godkända")]
    # Published 06:15 UTC is 08:15 summer time in Stockholm, and the zone is named.
    assert at.metric[0].proto.delta == "CEST (Europe/Stockholm)"
    assert at.metric[1].proto.delta == "publicering 1"
    assert at.metric[2].proto.delta == "1 med varning"
    assert at.metric[1].proto.help == "5f3a9c1e-7b2d-4e8a-9c61-0d2f4b8a7e13"
    coverage, summary, rows = (d.value for d in at.dataframe[:3])
    assert coverage[["Uttag", "Första månad", "Senaste månad", "Antal månader", "Rader i karantän"]].values.tolist() \
        == [["Frånvaro", "jan 2024", "mar 2025", "15", "2"], ["Personalregister", "jan 2024", "mar 2025", "15", "0"]]
    assert set(summary["Uttag"]) == {"Frånvaro"}
    assert sorted(summary["Orsak"]) == ["not a valid date (YYYY-MM-DD)", "personnummer checksum is wrong"]
    assert rows["Rad"].tolist() == [17, 42]
    # The load log in Swedish words, newest first, times in the organisation's zone.
    log = at.dataframe[3].value
    assert list(log.columns) == ["Klar", "Uttag", "Månad", "Fil", "Status", "Lästa rader", "Inlästa rader",
                                 "Rader i karantän", "Meddelande"]
    # The newest load is the fixture's load 30, absence of Mar 2025, with 2 rows quarantined.
    assert log.iloc[0].tolist() == ["2025-04-02 08:00 CEST", "Frånvaro", "mar 2025", "absence_202503.csv",
                                    "Inläst", "100", "98", "2", ""]  # a good load's message is blank


def test_missing_published_file_gives_instructions_not_a_traceback(tmp_path, monkeypatch) -> None:
    at = app(tmp_path / "nothing-here.duckdb", monkeypatch)
    no_errors(at)
    assert "make demo" in at.info[0].value and "Det finns inga publicerade nyckeltal ännu" in at.info[0].value


def test_new_publish_is_picked_up_without_clearing_the_cache(dev_db, tmp_path, monkeypatch) -> None:
    published = tmp_path / "hr_kpi.duckdb"
    published.write_bytes(dev_db.read_bytes())
    at = app(published, monkeypatch)
    assert tiles(at)["Sjukfrånvaro"][0] == f"6,4{NB}%"
    # A refresh writes a new file beside the old one and renames it into place.
    import duckdb

    staged = tmp_path / ".hr_kpi.duckdb.tmp"
    staged.write_bytes(dev_db.read_bytes())
    conn = duckdb.connect(str(staged))
    conn.execute("""update marts.kpi_values set numerator = 560, value = 7.0
                    where kpi_id = 'sick_leave_pct' and org_unit_code = 'R' and "window" = 'month'
                      and breakdown = 'total' and period = date '2025-03-01'""")
    conn.close()
    os.replace(staged, published)
    at.run()
    no_errors(at)
    assert tiles(at)["Sjukfrånvaro"][0] == f"7,0{NB}%"


# --- the app on the file the real pipeline publishes from the golden fixture --------------
# Figures from tests/fixtures/golden/expected_kpis.csv and expected_statutory.csv (computed
# by hand), shown with the catalogue's decimals in Swedish format. Targets and status are
# checked by hand against seeds/kpi_targets.csv (amber tolerance 10 %).

GOLDEN_MONTH = "2026-01-01"  # the golden fixture's last month: the overview's default
GOLDEN_ROOT = "1000"


@pytest.fixture(scope="module")
def golden_db(published_golden_db: Path) -> Path:
    return published_golden_db


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(EXPECTED_GOLDEN, dtype=str, keep_default_na=False)


def golden_catalogue(db: Path) -> dict[str, dict]:
    import duckdb

    conn = duckdb.connect(str(db), read_only=True)
    try:
        rows = conn.execute("select kpi_id, name_sv, unit, decimals from marts.kpi_catalogue").fetchall()
    finally:
        conn.close()
    return {k: {"name": n, "unit": u, "decimals": d} for k, n, u, d in rows}


def shown_as(row: dict, cat: dict[str, dict], compact: bool = True) -> str:
    """How the dashboard must show an expected_kpis.csv row."""
    c = cat[row["kpi_id"]]
    suppressed = row["suppressed"].lower() == "true"
    value = None if suppressed or row["value"] == "" else float(row["value"])
    return fmt.format_value(value, c["unit"], c["decimals"], "sv", row["kpi_id"], suppressed, compact=compact)


def expected_rows(expected: pd.DataFrame, org: str, window: str = "month", breakdown: str = "total") -> list[dict]:
    rows = expected[(expected["period"] == GOLDEN_MONTH) & (expected["window"] == window)
                    & (expected["org_unit_code"] == org) & (expected["breakdown"] == breakdown)]
    return rows.to_dict("records")


def tile_rows(expected: pd.DataFrame, org: str) -> list[dict]:
    """The expected row each overview tile shows with window month chosen: the month's, or,
    for a KPI whose target is set for rolling 12 months only, the rolling 12 months'."""
    rows = []
    for r in expected_rows(expected, org):
        if r["target_value"] == "":
            annual = [a for a in expected_rows(expected, org, "rolling_12m")
                      if a["kpi_id"] == r["kpi_id"] and a["target_value"] != ""]
            r = annual[0] if annual else r
        rows.append(r)
    return rows


def test_golden_overview_shows_every_expected_figure(golden_db, expected, monkeypatch) -> None:
    at = app(golden_db, monkeypatch)
    no_errors(at)
    assert at.session_state["selection"].period.isoformat() == GOLDEN_MONTH
    cat = golden_catalogue(golden_db)
    rows = tile_rows(expected, GOLDEN_ROOT)
    assert len(rows) >= 20
    assert {r["kpi_id"] for r in rows if r["window"] == "rolling_12m"} == {
        "exit_turnover_pct", "exit_turnover_voluntary_pct", "overtime_hours_per_fte"}
    shown = tiles(at)
    for r in rows:
        assert shown[cat[r["kpi_id"]]["name"]][0] == shown_as(r, cat), r["kpi_id"]
    # Every tile shows the hand-derived status and target of the row it shows.
    by_tile = tile_badges(at)
    for r in rows:
        badge = by_tile[cat[r["kpi_id"]]["name"]]
        if r["target_value"] == "":
            assert badge == ":gray-badge[Inget mål]", r["kpi_id"]
        elif r["status"] == "":
            assert badge.startswith(":gray-badge[Dold]"), r["kpi_id"]
        else:
            colour, word = {"green": ("green", "Grön"), "amber": ("orange", "Gul"), "red": ("red", "Röd")}[r["status"]]
            target = fmt.format_value(float(r["target_value"]), cat[r["kpi_id"]]["unit"],
                                      cat[r["kpi_id"]]["decimals"], "sv", r["kpi_id"])
            assert badge.startswith(f":{colour}-badge[{word}] Mål") and badge.endswith(target), (r["kpi_id"], badge)
    # Annual targets: exit turnover over the rolling 12 months 2 / 29,0833 = 6,88 % against a
    # ceiling of 10 % -> green; overtime 43 h / 31,6 FTE = 1,36 h against 5 h -> green.
    assert shown["Avgångsomsättning"][0] == f"6,9{NB}%"
    assert f":green-badge[Grön] Mål ≤ 10,0{NB}%" in badges(at)
    assert "Visas som rullande 12 mån: målet gäller den perioden." in [c.value for c in at.caption]
    # Spot checks by hand: sick leave 190 / 5000 h = 3,8 %, target 6,0 % (ceiling) -> green;
    # permanent share 90,63 % against a floor of 85 % -> green; leadership index 73,86
    # against 75: below, but above 75 x 0,9 = 67,5 -> amber.
    assert shown["Sjukfrånvaro"][0] == f"3,8{NB}%"
    assert shown["Andel tillsvidareanställda"][0] == f"90,6{NB}%"
    assert shown["Ledarskapsindex"][0] == "73,9"
    b = badges(at)
    assert f":green-badge[Grön] Mål ≤ 6,0{NB}%" in b
    assert f":green-badge[Grön] Mål ≥ 85,0{NB}%" in b
    assert ":orange-badge[Gul] Mål ≥ 75,0" in b
    # Exit and entry interviews concern 10 or fewer people: suppressed, labelled, never 0.
    assert shown["Andel genomförda avgångssamtal"][0] == "Dold"


def test_golden_rolling_12_months(golden_db, expected, monkeypatch) -> None:
    at = app(golden_db, monkeypatch, window="rolling_12m")
    no_errors(at)
    cat = golden_catalogue(golden_db)
    rows = expected_rows(expected, GOLDEN_ROOT, "rolling_12m")
    assert rows
    shown = tiles(at)
    for r in rows:
        assert shown[cat[r["kpi_id"]]["name"]][0] == shown_as(r, cat), r["kpi_id"]
    assert shown["Antal anställda"][0] == "33"  # 399 month-end heads / 12 months = 33,25


@pytest.mark.parametrize("org", ["1110", "1111", "1112", "1200", "1210", "1211", "1212"])
def test_golden_org_units(golden_db, expected, monkeypatch, org) -> None:
    at = app(golden_db, monkeypatch, org=org)
    no_errors(at)
    assert at.session_state["selection"].org_unit_code == org
    cat = golden_catalogue(golden_db)
    shown = tiles(at)
    rows = tile_rows(expected, org)
    assert rows
    for r in rows:
        assert shown[cat[r["kpi_id"]]["name"]][0] == shown_as(r, cat), (org, r["kpi_id"])


def test_golden_kpi_page_breakdown_and_ranking(golden_db, expected, monkeypatch) -> None:
    cat = golden_catalogue(golden_db)
    at = app(golden_db, monkeypatch, org="1110", kpi="sick_leave_pct")
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    assert at.metric[0].value == f"3,9{NB}%"  # Medicinkliniken, hand-computed 3,94 %
    ranking = at.dataframe[-1].value.set_index("Enhet")["Värde"].to_dict()
    for r in expected_rows(expected, "1111") + expected_rows(expected, "1112"):
        if r["kpi_id"] == "sick_leave_pct":
            name = {"1111": "Avdelning 11 Medicin", "1112": "Avdelning 12 Medicin"}[r["org_unit_code"]]
            assert ranking[name] == shown_as(r, cat, compact=False)
    assert ranking["Avdelning 12 Medicin"] == "Dold"

    at = app(golden_db, monkeypatch, kpi="sick_leave_pct")
    at.switch_page("views/kpi.py").run()
    at.segmented_control(key="breakdown_sick_leave_pct").set_value("gender").run()
    no_errors(at)
    table = at.dataframe[1].value
    by_label = dict(zip(table.iloc[:, 0], table.iloc[:, 1]))
    for r in expected_rows(expected, GOLDEN_ROOT, breakdown="gender"):
        if r["kpi_id"] == "sick_leave_pct":
            assert by_label[fmt.breakdown_value_label(r["breakdown_value"])] == shown_as(r, cat, compact=False)


def test_golden_statutory_table(golden_db, monkeypatch) -> None:
    path = EXPECTED_GOLDEN.parent / "expected_statutory.csv"
    want = pd.read_csv(path, dtype=str, keep_default_na=False)
    at = app(golden_db, monkeypatch)
    at.switch_page("views/statutory.py").run()
    no_errors(at)
    lines = [line.split("\t") for line in at.code[0].value.splitlines()]
    col = lines[0].index("2025")
    shown = {line[0]: line[col] for line in lines[1:]}
    for r in want[want["year"] == "2025"].to_dict("records"):
        label = fmt.statutory_label(fmt.statutory_key(r["measure"], r["group_value"]))
        expected_text = "Dold" if r["suppressed"] == "true" else fmt.format_number(float(r["value_pct"]), 1) + f"{NB}%"
        assert shown[label] == expected_text, r["measure"]
    assert shown["Total sjukfrånvaro i % av ordinarie arbetstid"] == f"1,1{NB}%"  # 671 / 60 480 h


def test_published_file_without_the_marts_gives_a_message(tmp_path, monkeypatch) -> None:
    import duckdb

    empty = tmp_path / "hr_kpi.duckdb"
    duckdb.connect(str(empty)).close()
    at = app(empty, monkeypatch)
    assert not at.exception
    assert "kunde inte läsas" in at.warning[0].value and "marts.kpi_values" in at.warning[0].value


def test_kpi_page_falls_back_to_the_published_window(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch, kpi="healthy_presence_pct")
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    assert "Publiceras bara som rullande 12 mån." in [c.value for c in at.caption]
    # 220 / 500 = 44,0 %, target 40 (floor) -> green.
    assert [(m.label, m.value) for m in at.metric] == [
        ("mar 2025", f"44,0{NB}%"), ("Mål", f"≥ 40,0{NB}%"), ("Status", "Grön"), ("Antal personer", "500")]


def test_kpi_page_shows_the_window_of_its_tile(dev_db, monkeypatch) -> None:
    """Voluntary turnover's target is annual: its tile shows the rolling 12 months with the
    month chosen, and so does the page its Trend link opens."""
    at = app(dev_db, monkeypatch)
    assert tiles(at)["Avgångsomsättning, egen begäran"][0] == f"4,3{NB}%"
    at.button(key="trend_exit_turnover_voluntary_pct").click().run()
    no_errors(at)
    # 43 / 1000 = 4,3 %: above 4,0 but within 4,4 -> amber, as on the tile.
    assert [(m.label, m.value) for m in at.metric][:3] == [
        ("mar 2025", f"4,3{NB}%"), ("Mål", f"≤ 4,0{NB}%"), ("Status", "Gul")]
    assert "Visas som rullande 12 mån: målet gäller den perioden." in [c.value for c in at.caption]
    assert at.session_state["window"] == "month"  # the sidebar's choice is left as it was
    series = at.dataframe[0].value
    assert series.iloc[-1].tolist()[:4] == ["mar 2025", f"4,3{NB}%", f"4,0{NB}%", "Gul"]
    # The reader may still look at the month: 5 / 1000 = 0,5 %, not compared with the
    # yearly ceiling.
    at.segmented_control(key="kpi_window_exit_turnover_voluntary_pct_month").set_value("month").run()
    no_errors(at)
    assert [(m.label, m.value) for m in at.metric] == [
        ("mar 2025", f"0,5{NB}%"), ("Mål (rullande 12 mån)", f"≤ 4,0{NB}%"), ("Status", "Ingen status"),
        ("Antal personer", "1\u00a0000")]
    assert (f"Målet (≤ 4,0{NB}%) gäller rullande 12 mån och jämförs bara med den perioden: välj rullande 12 mån "
            "för status.") in [c.value for c in at.caption]


def test_a_missing_month_row_does_not_move_the_tile_to_another_window(dev_db, tmp_path, monkeypatch) -> None:
    """Interview rates have no row in a month without hires; their target is still for every
    window, so the tile says there is no figure instead of showing the rolling 12 months."""
    import duckdb

    published = tmp_path / "hr_kpi.duckdb"
    published.write_bytes(dev_db.read_bytes())
    conn = duckdb.connect(str(published))
    conn.execute("""delete from marts.kpi_values where kpi_id = 'agency_cost_share_pct' and org_unit_code = 'R'
                    and "window" = 'month' and period = date '2025-03-01'""")
    conn.close()
    at = app(published, monkeypatch)
    no_errors(at)
    assert tiles(at)["Bemanningskostnad i % av egen personalkostnad"][0] == "Ingen uppgift"
    # Only voluntary exit turnover, whose target is annual, says it shows the 12 months.
    assert [c.value for c in at.caption].count("Visas som rullande 12 mån: målet gäller den perioden.") == 1


def test_golden_definitions_show_the_target_and_its_window(golden_db, monkeypatch) -> None:
    at = app(golden_db, monkeypatch, kpi="exit_turnover_pct")
    at.switch_page("views/definitions.py").run()
    no_errors(at)
    opened = [e for e in at.expander if e.proto.expanded]
    assert [e.label for e in opened] == ["Avgångsomsättning"]
    text = " ".join(m.value for m in opened[0].markdown)
    # seeds/kpi_targets.csv: exit turnover at most 10 %, set for the rolling 12 months.
    assert f"**Mål för hela organisationen:** ≤ 10,0{NB}% · gäller rullande 12 mån" in text
    sick = next(e for e in at.expander if e.label == "Sjukfrånvaro")
    # Sick leave at most 6 %, for every window: no window named.
    assert f"**Mål för hela organisationen:** ≤ 6,0{NB}%" in " ".join(m.value for m in sick.markdown).split("  \n")


# --- the board pack -----------------------------------------------------------------------

def pdf_pages(pdf: bytes, tmp: Path) -> tuple[list[str], list[Path]]:
    """The PDF's text page by page (pdftotext -layout) and its pages rendered to PNG (pdftoppm)."""
    import shutil
    import subprocess

    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils is missing: `apt-get install -y poppler-utils` to test the board pack")
    path = tmp / "pack.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp / "page")], check=True)
    keep = os.environ.get("HRKPI_SCREENSHOT_DIR")
    pngs = sorted(tmp.glob("page-*.png"))
    if keep:
        import shutil as sh

        Path(keep).mkdir(parents=True, exist_ok=True)
        for p in pngs:
            sh.copy(p, Path(keep) / f"board_pack_{p.name}")
    return text.split("\f")[:len(pngs)], pngs


def check_board_pack_equals_overview(at: AppTest, tmp: Path) -> list[str]:
    from PIL import Image

    from streamlit_app import board_pack

    sel = at.session_state["selection"]
    pages, pngs = pdf_pages(board_pack.build(sel), tmp)
    assert len(pages) >= 4  # summary and tiles, trends, statutory table, definitions
    for png in pngs:
        colours = Image.open(png).convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 20, f"{png} looks blank"
    month = fmt.format_month(sel.period)
    for page in pages:  # every page names the organisation, month and publish
        assert sel.org_name in page and month in page and "Publicering nr 1" in page
    def kpi_cell(line: str) -> str:
        """The first column of a table line (pdftotext keeps columns 2+ spaces apart)."""
        return re.split(r"\s{2,}", line.strip())[0].removeprefix("* ")

    def same_name(cell: str, name: str) -> bool:  # a long name is cut with '...' to its column
        return cell == name or (cell.endswith("...") and name.startswith(cell[:-3]))

    lines = [ln for page in pages for ln in page.splitlines()]
    shown = tiles(at)
    for name, (value, change) in shown.items():
        line = next((ln for ln in lines if same_name(kpi_cell(ln), board_pack.pdf_text(name))), None)
        assert line is not None, f"{name} is not in the board pack"
        assert board_pack.pdf_text(value) in line, (name, value, line)
        if change:
            assert board_pack.pdf_text(change) in line, (name, change, line)
    return pages


def test_board_pack_has_the_overviews_figures(dev_db, monkeypatch, tmp_path) -> None:
    at = app(dev_db, monkeypatch)
    no_errors(at)
    assert [b.label for b in at.get("download_button")][-1] == "Styrelserapport (PDF)"
    pages = check_board_pack_equals_overview(at, tmp_path)
    # By hand (see dashboard_fixture): sick leave 6,4 % against at most 5,0 % -> red; the
    # strategy summary counts Sunt och tryggt arbete 1 green, 1 red, 1 of 2 targets met.
    summary = next(ln for ln in pages[0].splitlines() if ln.strip().startswith("Sunt och tryggt arbete"))
    assert summary.split()[4:] == ["1", "0", "1", "0", "1", "av", "2", "mål", "nås"]
    sick = next(ln for ln in pages[0].splitlines() if ln.strip().startswith("* Sjukfrånvaro"))
    assert sick.split()[2:] == ["6,4", "%", "högst", "5,0", "%", "Röd", "+1,2", "p.e.", "Månad"]
    # The statutory table with its part year marked, as on its page.
    assert "2025 (jan-mar: 3 av 12 mån)" in pages[2]


def test_golden_board_pack_has_the_overviews_figures(golden_db, monkeypatch, tmp_path) -> None:
    at = app(golden_db, monkeypatch)
    no_errors(at)
    check_board_pack_equals_overview(at, tmp_path)


def test_catalogue_names_every_numerator_and_denominator_in_both_languages() -> None:
    import csv

    rows = list(csv.DictReader(open(REPO / "seeds" / "kpi_catalogue.csv", encoding="utf-8")))
    for r in rows:
        assert r["numerator_label_sv"] and r["numerator_label_en"], r["kpi_id"]
        # A sum or count (agency cost, accidents) has no denominator; every ratio names its own.
        if r["value_formula"] != "count":
            assert r["denominator_label_sv"] and r["denominator_label_en"], r["kpi_id"]


def test_golden_survey_index_by_wave_and_labels_in_english(golden_db, monkeypatch) -> None:
    at = app(golden_db, monkeypatch, kpi="leadership_index", lang="en")
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    # The golden fixture's one survey, MU2025 of Dec 2025: leadership 4 875 points / 66
    # answers = 73,86 from 22 respondents, 22 of 28 invited answered (78,6 %).
    assert [(m.label, m.value) for m in at.metric] == [
        ("MU2025 (Dec 2025)", "73.9"), ("Target", "≥ 75.0"), ("Status", "Amber"), ("Respondents", "22"),
        ("Response rate", f"78.6{NB}%")]
    waves = at.dataframe[0].value
    assert waves.values.tolist() == [["MU2025", "Dec 2025", "73.9", "75.0", "Amber", "22", f"78.6{NB}%"]]
    assert not any("Numerator" in str(c) or "numerator" in str(c) for d in at.dataframe for c in d.value.columns)
    at = app(golden_db, monkeypatch, kpi="sick_leave_pct", lang="en")
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    assert {"Sick-leave hours", "Ordinary working hours"} <= set(at.dataframe[0].value.columns)


# --- what changed between publishes (issue 17 item 5) -------------------------------------
# dashboard_fixture.add_correction: publish 2 revises the whole region's sick leave, month
# window: Feb 2025 504 -> 544 h (6,3 -> 6,8 %), Mar 2025 512 -> 560 h (6,4 -> 7,0 %) of 8 000 h.

@pytest.fixture(scope="module")
def corrected_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corrected") / "hr_kpi.duckdb"
    return dashboard_fixture.add_correction(dashboard_fixture.build(path))


def changes_rows(at: AppTest) -> list[list[str]]:
    table = next(d.value for d in at.dataframe if "Före" in d.value.columns or "Before" in d.value.columns)
    return table.values.tolist()


def test_latest_changes_between_the_last_two_publishes(corrected_db, monkeypatch) -> None:
    at = app(corrected_db, monkeypatch)
    at.switch_page("views/data_status.py").run()
    no_errors(at)
    assert [s.value for s in at.subheader][:2] == ["Senaste ändringar", "Månader per uttag"]
    assert [(s.label, s.value) for s in at.selectbox][:2] == [("Från publicering", 1), ("Till publicering", 2)]
    text = [m.value for m in at.markdown]
    assert ("Filer i publicering 2: 0 inlästa, 1 ersatta, 29 oförändrade, 0 avvisade.  \n"
            "Ersatta filer: absence_202503.csv.  \nOmräknade månader: feb 2025 – mar 2025.") in text
    assert "2 ändrade värden för Region Exempel mellan publicering 1 och 2." in text
    assert changes_rows(at) == [
        ["Sjukfrånvaro", "Månad", "feb 2025", f"6,3{NB}%", f"6,8{NB}%", f"+0,5{NB}p.e."],
        ["Sjukfrånvaro", "Månad", "mar 2025", f"6,4{NB}%", f"7,0{NB}%", f"+0,6{NB}p.e."]]


def test_latest_changes_between_any_two_publishes(corrected_db, monkeypatch) -> None:
    at = app(corrected_db, monkeypatch)
    at.switch_page("views/data_status.py").run()
    # The same publish twice: nothing to compare.
    at.selectbox(key="changes_from").select(2).run()
    no_errors(at)
    assert [i.value for i in at.info] == ["Välj två olika publiceringar."]
    # Reversed, the later publish is still the "after".
    at.selectbox(key="changes_from").select(2)
    at.selectbox(key="changes_to").select(1).run()
    no_errors(at)
    assert [r[3:5] for r in changes_rows(at)] == [[f"6,3{NB}%", f"6,8{NB}%"], [f"6,4{NB}%", f"7,0{NB}%"]]


def test_latest_changes_in_english_and_finnish(corrected_db, monkeypatch) -> None:
    at = app(corrected_db, monkeypatch, lang="en")
    at.switch_page("views/data_status.py").run()
    no_errors(at)
    assert "Latest changes" in [s.value for s in at.subheader]
    assert "2 changed figures for Region Exempel between publish 1 and 2." in [m.value for m in at.markdown]
    assert changes_rows(at)[1][:5] == ["Sick leave", "Month", "Mar 2025", f"6.4{NB}%", f"7.0{NB}%"]
    at = app(corrected_db, monkeypatch, lang="fi")
    at.switch_page("views/data_status.py").run()
    no_errors(at)
    assert "Viimeisimmät muutokset" in [s.value for s in at.subheader]


def test_only_one_publish_says_changes_come_after_the_next(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    at.switch_page("views/data_status.py").run()
    no_errors(at)
    assert "Det finns bara en publicering än; ändringar visas efter nästa uppdatering." in [c.value for c in at.caption]


def revised_marks(at: AppTest) -> dict[str, str]:
    """KPI name -> the help (hover text) of the "Reviderad" badge under it."""
    out, name = {}, None
    for m in at.markdown:
        if m.value.startswith("**") and tile_name(m.value):
            name = tile_name(m.value)
        elif "Reviderad" in m.value or "Revised" in m.value:
            out[name] = m.proto.help
    return out


def test_revised_tile_carries_the_mark_and_the_old_figure(corrected_db, dev_db, monkeypatch) -> None:
    at = app(corrected_db, monkeypatch)
    no_errors(at)
    assert tiles(at)["Sjukfrånvaro"][0] == f"7,0{NB}%"
    assert revised_marks(at) == {
        "Sjukfrånvaro": f"Ändrat vid senaste publiceringen. Tidigare publicerat: 6,4{NB}% (publicering 1)."}
    # The rolling 12 months were not revised: no mark.
    at = app(corrected_db, monkeypatch, window="rolling_12m")
    no_errors(at)
    assert revised_marks(at) == {}
    # One publish: nothing is revised.
    assert revised_marks(app(dev_db, monkeypatch)) == {}


def trend_chart(at: AppTest) -> tuple[dict, dict[str, pd.DataFrame]]:
    """The KPI page's trend: its Vega-Lite spec and its datasets by name."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    chart = at.get("vega_lite_chart")[0].proto
    data = {d.name: convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.datasets}
    return json.loads(chart.spec), data


def test_revised_trend_points_are_ringed_with_the_old_figure(corrected_db, monkeypatch) -> None:
    at = app(corrected_db, monkeypatch, kpi="sick_leave_pct")
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    assert ("Ringade punkter är reviderade vid senaste publiceringen (feb 2025, mar 2025); håll pekaren över en "
            "punkt för det tidigare värdet.") in [c.value for c in at.caption]
    spec, data = trend_chart(at)
    rings = [layer for layer in spec["layer"] if isinstance(layer.get("mark"), dict)
             and layer["mark"].get("color") == charts.REVISED]
    assert len(rings) == 1
    tooltip = {t_["title"]: t_["field"] for t_ in rings[0]["encoding"]["tooltip"]}
    assert tooltip["Tidigare publicerat"] == "previous_text"
    points = data[rings[0]["data"]["name"]]
    assert points[["period_text", "value_text", "previous_text"]].values.tolist() == [
        ["feb 2025", f"6,8{NB}%", f"6,3{NB}%"], ["mar 2025", f"7,0{NB}%", f"6,4{NB}%"]]


# The file the real pipeline publishes after two refreshes of the golden fixture, the second
# with one corrected absence row (tests/test_change_summary.py has the figures by hand).

def test_golden_latest_changes_after_a_corrected_file(corrected_run, monkeypatch) -> None:
    s, _, _ = corrected_run
    at = app(s.published_db, monkeypatch)
    at.switch_page("views/data_status.py").run()
    no_errors(at)
    text = [m.value for m in at.markdown]
    assert any("Ersatta filer: absence_202512.csv." in m and "Omräknade månader: dec 2025 – jan 2026." in m
               for m in text), text
    rows = changes_rows(at)
    assert len(rows) == 9
    # 6,24 -> 6,05 % shown with one decimal (6,05 is stored as 6,0499..., as on the tile).
    assert ["Sjukfrånvaro", "Månad", "dec 2025", f"6,2{NB}%", f"6,0{NB}%", f"-0,2{NB}p.e."] in rows
    # 16,77 -> 16,76 per million hours differ below the shown decimal: one more is shown.
    assert ["Olycksfallsfrekvens", "Rullande 12 mån", "jan 2026", "16,77", "16,76", "-0,01"] in rows


def test_golden_revised_tile(corrected_run, monkeypatch) -> None:
    s, _, _ = corrected_run
    at = app(s.published_db, monkeypatch, month="2025-12")
    no_errors(at)
    marks = revised_marks(at)
    # Dec 2025, the whole organisation, month: sick leave 6,05 % (was 6,24 %); the long-term
    # share 48,08 % (was 49,69 %).
    assert marks["Sjukfrånvaro"].endswith(f"Tidigare publicerat: 6,2{NB}% (publicering 1).")
    assert marks["Andel långtidssjukfrånvaro (60 dagar eller mer)"].endswith(
        f"Tidigare publicerat: 49,7{NB}% (publicering 1).")
    assert set(marks) == {"Sjukfrånvaro", "Andel långtidssjukfrånvaro (60 dagar eller mer)"}


# --- staff supply outlook and national reference lines (issue 17, items 7 and 8) ----------

def chart_data(at: AppTest) -> list[pd.DataFrame]:
    """Every dataset of every Altair chart on the page, decoded from its Arrow bytes."""
    import pyarrow as pa

    charts = [c for kind in ("arrow_vega_lite_chart", "vega_lite_chart") for c in at.get(kind)]
    frames = []
    for chart in charts:
        for ds in chart.proto.datasets:
            frames.append(pa.ipc.open_stream(ds.data.data).read_all().to_pandas())
    return frames


SUPPLY_COLUMNS = ["Yrkesgrupp", "Anställda mar 2025", "2025 el. tidigare"] + [str(y) for y in range(2026, 2036)]


def test_staff_supply_page_counts_shares_and_small_groups(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch)
    at.switch_page("views/staff_supply.py").run()
    no_errors(at)
    assert at.title[0].value == "Pensionsavgångar"
    assert "Pensionsålder: 69 år." in at.markdown[0].value and "mar 2025" in at.markdown[0].value
    table = at.dataframe[0].value
    assert list(table.columns) == SUPPLY_COLUMNS
    # By hand (dashboard_fixture.supply_rows): 40 of 1 014 = 3,9 %, 43 of 1 014 = 4,2 %; the
    # physicians 12 of 120 = 10,0 % in 2026 and 21 of 120 = 17,5 % in 2035; 4 physicians in
    # 2025 are hidden, and the 15 nurses with them.
    assert table["Yrkesgrupp"].tolist() == ["Alla yrkesgrupper", "Läkare", "Sjuksköterskor och barnmorskor",
                                            "Administration"]
    rows = {r[0]: r[1:] for r in table.values.tolist()}
    assert rows["Alla yrkesgrupper"][:3] == [f"1{NB}014", "40", "43"]
    assert rows["Läkare"][:3] == ["120", "Dold", "12"]
    assert rows["Läkare"][-1] == "21"
    assert rows["Sjuksköterskor och barnmorskor"][:3] == ["400", "Dold", "16"]
    assert rows["Administration"][:2] == ["494", "21"]
    at.segmented_control(key="supply_show").set_value("share").run()
    no_errors(at)
    rows = {r[0]: r[1:] for r in at.dataframe[0].value.values.tolist()}
    assert rows["Alla yrkesgrupper"][:3] == [f"1{NB}014", f"3,9{NB}%", f"4,2{NB}%"]
    assert rows["Läkare"][1:3] == ["Dold", f"10,0{NB}%"] and rows["Läkare"][-1] == f"17,5{NB}%"
    assert rows["Administration"][1] == f"4,3{NB}%"
    captions = [c.value for c in at.caption]
    assert "Dold – färre än 11 personer, så att ingen enskild kan pekas ut." in captions
    assert any(c.startswith("Några antal över gränsen är också dolda") for c in captions)
    # The chart of all groups: a bar per year, labelled as the table.
    bars = next(d for d in chart_data(at) if "value_text" in d.columns)
    assert bars["label"].tolist()[:2] == ["2025 el. tidigare", "2026"]
    assert bars["value_text"].tolist()[:2] == [f"40 (3,9{NB}%)", f"43 (4,2{NB}%)"]
    # The age and its cited source.
    source = at.dataframe[1].value
    assert source.iloc[0].tolist()[:2] == ["Alla", "69 år"]
    assert source.iloc[0].tolist()[-1].startswith("https://sobona.se/")


def test_staff_supply_hides_a_small_unit_and_says_when_there_is_no_outlook(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch, org="E1")
    at.switch_page("views/staff_supply.py").run()
    no_errors(at)
    table = at.dataframe[0].value
    # Akutmottagning's 8 staff are shown (a headcount); every count of theirs is hidden.
    assert table.iloc[0].tolist() == ["Alla yrkesgrupper", "8"] + ["Dold"] * 11
    assert "Dold – färre än 11 personer, så att ingen enskild kan pekas ut." in [c.value for c in at.caption]
    at = app(dev_db, monkeypatch, org="F2")
    at.switch_page("views/staff_supply.py").run()
    no_errors(at)
    assert at.info[0].value == "Ingen prognos publicerad för Regionservice."


@pytest.mark.parametrize(("lang", "title", "group", "hidden"), [
    ("en", "Retirements ahead", "Profession group", "Suppressed"),
    ("fi", "Eläköityminen", "Ammattiryhmä", "Piilotettu"),
])
def test_staff_supply_in_english_and_finnish(dev_db, monkeypatch, lang, title, group, hidden) -> None:
    at = app(dev_db, monkeypatch, lang=lang)
    at.switch_page("views/staff_supply.py").run()
    no_errors(at)
    assert at.title[0].value == title
    table = at.dataframe[0].value
    assert table.columns[0] == group
    assert table.iloc[1, 2] == hidden  # the physicians reaching the age in 2025 or earlier


def test_golden_staff_supply_is_published_and_hidden_for_33_people(golden_db, monkeypatch) -> None:
    """The pipeline's mart from the golden fixture: 33 staff in Jan 2026, and every year's
    count is 10 or fewer people, so the page shows the staff and hides each count."""
    at = app(golden_db, monkeypatch)
    at.switch_page("views/staff_supply.py").run()
    no_errors(at)
    table = at.dataframe[0].value
    assert list(table.columns)[:3] == ["Yrkesgrupp", "Anställda jan 2026", "2026 el. tidigare"]
    assert table.iloc[0].tolist() == ["Alla yrkesgrupper", "33"] + ["Dold"] * 11


def test_trend_draws_the_national_reference_with_its_source(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch, kpi="sick_leave_pct")
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    # A region (the default organisation type): SKR's regions' 6,4 % of 2021, the newest
    # national figure up to the chart's last month (Mar 2025).
    label = f"Riket, regioner: 6,4{NB}% (2021)"
    assert (f"Referenslinje – {label}. Källa: [Läkartidningen 2022-03: Sjukfrånvaron sjönk i regionerna förra året]"
            "(https://lakartidningen.se/aktuellt/nyheter/2022/03/sjukfranvaron-sjonk-i-regionerna-forra-aret/).") \
        in [c.value for c in at.caption]
    refs = next(d for d in chart_data(at) if "ref_label" in d.columns)
    assert refs[["ref_value", "ref_label"]].values.tolist() == [[6.4, label]]


def test_trend_draws_a_national_goal_and_the_latest_figure(dev_db, monkeypatch) -> None:
    at = app(dev_db, monkeypatch, kpi="agency_cost_share_pct")
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    refs = next(d for d in chart_data(at) if "ref_label" in d.columns)
    assert refs[["ref_value", "ref_label"]].values.tolist() == [
        [2.0, f"Nationellt mål, regioner: 2,0{NB}%"], [3.8, f"Riket, regioner: 3,8{NB}% (2019)"]]


def test_reference_follows_the_organisation_type(dev_db, monkeypatch) -> None:
    monkeypatch.setenv("HRKPI_ORG_TYPE", "municipality")
    at = app(dev_db, monkeypatch, kpi="sick_leave_pct")
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    refs = next(d for d in chart_data(at) if "ref_label" in d.columns)
    assert refs["ref_label"].tolist() == [f"Riket, kommuner: 5,9{NB}% (2013)"]
    # No national figure for a municipality's agency costs: no line, no note.
    at = app(dev_db, monkeypatch, kpi="agency_cost_share_pct")
    at.switch_page("views/kpi.py").run()
    no_errors(at)
    assert not any("ref_label" in d.columns for d in chart_data(at))
    assert not any(c.value.startswith("Referenslinje") for c in at.caption)


def test_an_unknown_organisation_type_is_an_error(monkeypatch) -> None:
    import hrkpi_config

    monkeypatch.setenv("HRKPI_ORG_TYPE", "landsting")
    with pytest.raises(hrkpi_config.ConfigError, match="HRKPI_ORG_TYPE='landsting'"):
        hrkpi_config.settings()
    monkeypatch.setenv("HRKPI_ORG_TYPE", "")
    monkeypatch.setenv("HRKPI_PROFILE", "FI")
    assert hrkpi_config.settings().org_type == "wellbeing_county"


def test_board_pack_draws_the_national_reference(dev_db, monkeypatch, tmp_path) -> None:
    from streamlit_app import board_pack

    at = app(dev_db, monkeypatch)
    no_errors(at)
    pages, _ = pdf_pages(board_pack.build(at.session_state["selection"]), tmp_path)
    # On the named indicators' trends (the second page), as on the KPI page.
    trends = pages[1]
    assert "Riket, regioner: 6,4 % (2021)" in trends
    assert "Nationellt mål, regioner: 2,0 %" in trends
    text = " ".join(" ".join(p.split()) for p in pages)
    assert "Nationell referens: Riket, regioner: 6,4 % (2021), källa: Läkartidningen 2022-03" in text
