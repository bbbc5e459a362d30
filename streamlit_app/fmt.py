"""Number formats and UI labels, Swedish by default with an English switch.

Every figure the dashboard shows goes through `format_value` so Swedish readers get a
decimal comma and a space as thousands separator ("1 234,5 %"), and a suppressed figure is
never shown as zero or blank.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from hrkpi_config import EXTRACT_TITLES_SV
from streamlit_app import fmt_fi
from streamlit_app import labels

DEFAULT_LANG = "sv"
LANGS = ("sv", "en", "fi")  # Finnish labels: fmt_fi.py

# A no-break space keeps "1 234" and "5,7 %" on one line; ASCII '-' keeps copied figures
# parseable by spreadsheets (the typographic minus is not).
THOUSANDS_SV = "\u00a0"

SUPPRESSED_SHORT = {"sv": "Dold", "en": "Suppressed"}

MONTHS = {
    "sv": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}

# Unit spellings seen in catalogues, reduced to the few kinds that format differently.
_UNIT_KINDS = {
    "percent": "percent", "%": "percent", "pct": "percent", "procent": "percent",
    "sek": "sek", "kr": "sek", "kronor": "sek",
    "eur": "eur", "euro": "eur", "€": "eur", "person_years": "person_years", "htv": "person_years",
    "days": "days", "dagar": "days",
    "count": "count", "antal": "count", "persons": "count", "personer": "count", "st": "count",
    "number": "count", "employees": "count",
    "fte": "fte", "årsarbetare": "fte",
    "index": "index", "points": "index", "poäng": "index", "index_0_100": "index",
    "hours": "hours", "timmar": "hours", "hours_per_fte": "hours",
    "ratio": "ratio", "kvot": "ratio",
    "per_million_hours": "rate", "rate": "rate",
}

_UNIT_SUFFIX = {
    "sv": {"percent": "\u00a0%", "sek": "\u00a0kr", "hours": "\u00a0tim", "fte": "", "count": "",
           "index": "", "ratio": "", "rate": "", "": "", "eur": "\u00a0€", "person_years": "", "days": "\u00a0d"},
    "en": {"percent": "\u00a0%", "sek": "\u00a0SEK", "hours": "\u00a0h", "fte": "", "count": "",
           "index": "", "ratio": "", "rate": "", "": "", "eur": "\u00a0€", "person_years": "", "days": "\u00a0d"},
}

_DEFAULT_DECIMALS = {"percent": 1, "sek": 0, "count": 0, "fte": 1, "index": 1, "hours": 1,
                     "ratio": 1, "rate": 1, "": 1, "eur": 0, "person_years": 1, "days": 1}

TEXT: dict[str, dict[str, str]] = {
    "app_title": {"sv": "HR-nyckeltal", "en": "HR KPIs"},
    "page_overview": {"sv": "Översikt", "en": "Overview"},
    "page_kpi": {"sv": "Nyckeltal", "en": "KPI"},
    "page_statutory": {"sv": "Sjukfrånvaro i årsredovisningen", "en": "Sick leave in the annual report"},
    "page_definitions": {"sv": "Definitioner", "en": "Definitions"},
    "page_personnel_report": {"sv": "Personalrapport", "en": "Personnel report"},
    "page_status": {"sv": "Datastatus", "en": "Data status"},
    "language": {"sv": "Språk", "en": "Language"},
    "org_unit": {"sv": "Organisation", "en": "Organisation"},
    "level_2": {"sv": "Förvaltning", "en": "Administration"},
    "level_3": {"sv": "Verksamhet", "en": "Operation"},
    "level_4": {"sv": "Enhet", "en": "Unit"},
    "all": {"sv": "Alla", "en": "All"},
    "period": {"sv": "Månad", "en": "Month"},
    "window": {"sv": "Period", "en": "Window"},
    "window_month": {"sv": "Månad", "en": "Month"},
    "window_rolling_12m": {"sv": "Rullande 12 mån", "en": "Rolling 12 months"},
    "window_year": {"sv": "Hittills i år", "en": "Year to date"},
    "no_data_title": {"sv": "Det finns inga publicerade nyckeltal ännu", "en": "No KPIs have been published yet"},
    "no_data_body": {
        "sv": "Den publicerade databasen saknas: `{path}`.\n\n"
              "Kör uppdateringen så att månadens uttag läses in, testas och publiceras: "
              "`make demo` (demodata) eller `make refresh` (riktiga uttag i landningsmappen), "
              "eller starta jobbet *refresh* i Dagster. Ladda sedan om sidan.",
        "en": "The published database is missing: `{path}`.\n\n"
              "Run the refresh so the month's extracts are loaded, tested and published: "
              "`make demo` (demo data) or `make refresh` (real extracts in the landing folder), "
              "or start the *refresh* job in Dagster. Then reload this page.",
    },
    "unreadable_title": {"sv": "Den publicerade databasen kunde inte läsas",
                         "en": "The published database could not be read"},
    "unreadable_body": {
        "sv": "`{path}` saknar tabellen {table}. Kör uppdateringen igen (`make refresh`) "
              "och ladda om sidan. Tekniskt fel: {error}",
        "en": "`{path}` lacks the table {table}. Run the refresh again (`make refresh`) "
              "and reload the page. Technical error: {error}",
    },
    "target": {"sv": "Mål", "en": "Target"},
    "no_target": {"sv": "inget mål", "en": "no target"},
    "status": {"sv": "Status", "en": "Status"},
    "status_green": {"sv": "Grön", "en": "Green"},
    "status_amber": {"sv": "Gul", "en": "Amber"},
    "status_red": {"sv": "Röd", "en": "Red"},
    "status_none": {"sv": "Ingen status", "en": "No status"},
    "vs_last_year": {"sv": "mot {month}", "en": "vs {month}"},
    "change_last_year": {"sv": "Förändring mot samma månad i fjol", "en": "Change vs the same month last year"},
    "no_value": {"sv": "Ingen uppgift", "en": "No data"},
    "suppressed_persons": {
        "sv": "Dold – färre än {n} personer, så att ingen enskild kan pekas ut.",
        "en": "Suppressed – fewer than {n} people, so that no individual can be identified.",
    },
    "suppressed_respondents": {
        "sv": "Dold – färre än {n} svarande i enkäten, för att skydda de svarande.",
        "en": "Suppressed – fewer than {n} survey respondents, to protect them.",
    },
    "window_fallback": {"sv": "Publiceras bara som {window}.", "en": "Published only as {window}."},
    "window_of_target": {"sv": "Visas som {window}: målet gäller den perioden.",
                         "en": "Shown as {window}: the target is set for that window."},
    "target_other_window": {
        "sv": "Målet ({target}) gäller {window} och jämförs bara med den perioden: välj {window} för status.",
        "en": "The target ({target}) is set for {window} and compared with that window only: choose {window} "
              "for a status.",
    },
    "definition": {"sv": "Definition", "en": "Definition"},
    "trend": {"sv": "Trend", "en": "Trend"},
    "overview_caption": {
        "sv": "{org} · {window} · {month}. Färg: grön = målet nås, gul = nära målet (inom {tol} % av målet), "
              "röd = målet nås inte.",
        "en": "{org} · {window} · {month}. Colour: green = target met, amber = near the target "
              "(within {tol} % of it), red = target missed.",
    },
    "area_other": {"sv": "Övriga nyckeltal", "en": "Other KPIs"},
    "kpi": {"sv": "Nyckeltal", "en": "KPI"},
    "value": {"sv": "Värde", "en": "Value"},
    "numerator": {"sv": "Täljare", "en": "Numerator"},
    "denominator": {"sv": "Nämnare", "en": "Denominator"},
    "population_n": {"sv": "Antal personer", "en": "People"},
    "trend_title": {"sv": "Utveckling över tid", "en": "Trend over time"},
    "band_note": {
        "sv": "Bakgrundsfärgen visar statusgränserna: grön = målet nås, gul = inom {tol} % av målet, röd = längre ifrån.",
        "en": "The background shows the status limits: green = target met, amber = within {tol} % of it, red = further off.",
    },
    "suppressed_months": {"sv": "{n} månader är dolda (för få personer) och visas som luckor.",
                          "en": "{n} months are suppressed (too few people) and shown as gaps."},
    "breakdown": {"sv": "Uppdelning", "en": "Breakdown"},
    "breakdown_none": {"sv": "Nyckeltalet publiceras inte uppdelat.", "en": "This KPI is not published with breakdowns."},
    "ranking": {"sv": "Enheter under {org}", "en": "Units under {org}"},
    "ranking_caption": {
        "sv": "Vilka underliggande enheter driver värdet: sorterat från sämst till bäst mot målets riktning. "
              "Andel av täljaren = enhetens del av hela {org}s täljare.",
        "en": "Which child units drive the figure: sorted from worst to best against the target's direction. "
              "Share of numerator = the unit's part of the whole numerator of {org}.",
    },
    "ranking_none": {"sv": "{org} har inga underliggande enheter.", "en": "{org} has no child units."},
    "unit": {"sv": "Enhet", "en": "Unit"},
    "share_of_numerator": {"sv": "Andel av täljaren", "en": "Share of numerator"},
    "series_table": {"sv": "Värden per månad", "en": "Values by month"},
    "export_csv": {"sv": "Ladda ner CSV", "en": "Download CSV"},
    "export_xlsx": {"sv": "Ladda ner Excel", "en": "Download Excel"},
    "statutory_intro": {
        "sv": "Sjukfrånvaro enligt lagen om kommunal bokföring och redovisning (SKR:s definition): "
              "sjukfrånvarotimmar i procent av ordinarie arbetstid. Grupper med 10 eller färre anställda "
              "redovisas inte. Gäller hela organisationen, oavsett vald enhet.",
        "en": "Sick leave as required in the annual report (SKR's definition): sick-leave hours as a "
              "percentage of ordinary working hours. Groups of 10 or fewer employees are not reported. "
              "Always the whole organisation, whatever unit is selected.",
    },
    "year": {"sv": "År", "en": "Year"},
    "year_to": {"sv": "t.o.m. {month}", "en": "to {month}"},
    "measure": {"sv": "Mått", "en": "Measure"},
    "value_pct": {"sv": "Sjukfrånvaro", "en": "Sick leave"},
    "sick_hours": {"sv": "Sjukfrånvarotimmar", "en": "Sick-leave hours"},
    "ordinary_hours": {"sv": "Ordinarie timmar", "en": "Ordinary hours"},
    "copy_hint": {"sv": "Tabellen som text att kopiera (knappen uppe till höger), tabbseparerad för Word och Excel:",
                  "en": "The table as text to copy (button top right), tab-separated for Word and Excel:"},
    "no_statutory": {"sv": "Tabellen för årsredovisningen finns inte i den publicerade databasen.",
                     "en": "The annual-report table is not in the published database."},
    "formula": {"sv": "Beräkning", "en": "Formula"},
    "source": {"sv": "Källa", "en": "Source"},
    "unit_label": {"sv": "Enhet", "en": "Unit"},
    "direction": {"sv": "Riktning", "en": "Direction"},
    "target_organisation": {"sv": "Mål för hela organisationen", "en": "Target for the whole organisation"},
    "target_for_window": {"sv": "gäller {window}", "en": "set for {window}"},
    "direction_max": {"sv": "Lägre är bättre (målet är ett tak)", "en": "Lower is better (target is a ceiling)"},
    "direction_min": {"sv": "Högre är bättre (målet är ett golv)", "en": "Higher is better (target is a floor)"},
    "direction_none": {"sv": "Ingen riktning (beskrivande)", "en": "No direction (descriptive)"},
    "strategy_area": {"sv": "Strategiområde", "en": "Strategy area"},
    "breakdowns": {"sv": "Uppdelningar", "en": "Breakdowns"},
    "kpi_id": {"sv": "Id i databasen", "en": "Id in the database"},
    "published": {"sv": "Senast publicerad", "en": "Last published"},
    "no_publish_log": {"sv": "Publiceringsloggen saknas.", "en": "The publish log is missing."},
    "run_id": {"sv": "Körning", "en": "Run"},
    "tests_summary": {"sv": "Datatester", "en": "Data tests"},
    "tests_passed": {"sv": "{n} godkända", "en": "{n} passed"},
    "tests_warned": {"sv": "{n} med varning", "en": "{n} with a warning"},
    "tests_failed": {"sv": "{n} fel", "en": "{n} failed"},
    "coverage": {"sv": "Månader per uttag", "en": "Months per extract"},
    "incomplete_month": {"sv": "{month} är inte komplett och visas inte: saknar {missing}",
                         "en": "{month} is incomplete and not shown: lacks {missing}"},
    "extract": {"sv": "Uttag", "en": "Extract"},
    "first_month": {"sv": "Första månad", "en": "First month"},
    "last_month": {"sv": "Senaste månad", "en": "Last month"},
    "months": {"sv": "Antal månader", "en": "Months"},
    "files": {"sv": "Filer", "en": "Files"},
    "rows_read": {"sv": "Lästa rader", "en": "Rows read"},
    "rows_loaded": {"sv": "Inlästa rader", "en": "Rows loaded"},
    "rows_quarantined": {"sv": "Rader i karantän", "en": "Quarantined rows"},
    "quarantine": {"sv": "Karantän: avvisade rader", "en": "Quarantine: rejected rows"},
    "quarantine_caption": {
        "sv": "Rader som bröt mot uttagets kontrakt sparas med fil, rad, kolumn och regel; de ingår inte i nyckeltalen.",
        "en": "Rows that broke the extract's contract are kept with file, line, column and rule; they are not in the KPIs.",
    },
    "quarantine_none": {"sv": "Inga rader i karantän.", "en": "No quarantined rows."},
    "load_log": {"sv": "Inläsningslogg", "en": "Load log"},
    "source_file": {"sv": "Fil", "en": "File"},
    "line": {"sv": "Rad", "en": "Line"},
    "column": {"sv": "Kolumn", "en": "Column"},
    "reason": {"sv": "Orsak", "en": "Reason"},
    "load_status": {"sv": "Status", "en": "Status"},
    "finished_at": {"sv": "Klar", "en": "Finished"},
    "no_kpis": {"sv": "Inga nyckeltal för {org} i {month}.", "en": "No KPIs for {org} in {month}."},
    "select_kpi": {"sv": "Välj nyckeltal", "en": "Choose KPI"},
    "refreshed": {"sv": "Data publicerad {when}", "en": "Data published {when}"},
    "breakdown_total": {"sv": "Totalt", "en": "Total"},
    "breakdown_gender": {"sv": "Kön", "en": "Gender"},
    "breakdown_age_group": {"sv": "Åldersgrupp", "en": "Age group"},
    "breakdown_employment_type": {"sv": "Anställningsform", "en": "Employment type"},
    "breakdown_profession_group": {"sv": "Yrkesgrupp", "en": "Profession group"},
    "breakdown_reason": {"sv": "Avgångsorsak", "en": "Reason for leaving"},
    # The staff supply outlook (views/staff_supply.py, marts.staff_supply_outlook).
    "page_supply": {"sv": "Pensionsavgångar", "en": "Retirements ahead"},
    "supply_intro": {
        "sv": "Hur många av de anställda i {month} som når pensionsåldern varje år de kommande tio åren, "
              "i antal och i andel av dagens anställda. Pensionsålder: {age}.",
        "en": "How many of the staff of {month} reach the retirement age in each of the next ten years, "
              "as a count and as a share of today's staff. Retirement age: {age}.",
    },
    "supply_age_years": {"sv": "{age} år", "en": "{age}"},
    "supply_age_range": {"sv": "{lo}–{hi} år efter födelseår", "en": "{lo}–{hi} by birth year"},
    "supply_total": {"sv": "Alla yrkesgrupper", "en": "All profession groups"},
    "supply_by_group": {"sv": "Per yrkesgrupp", "en": "By profession group"},
    "supply_group": {"sv": "Yrkesgrupp", "en": "Profession group"},
    "supply_staff": {"sv": "Anställda {month}", "en": "Staff {month}"},
    "supply_reaching": {"sv": "Når pensionsåldern", "en": "Reach retirement age"},
    "supply_share": {"sv": "Andel av dagens anställda", "en": "Share of today's staff"},
    "supply_count": {"sv": "Antal", "en": "Count"},
    "supply_next_years": {"sv": "De kommande tio åren", "en": "The next ten years"},
    "supply_shows": {"sv": "Visar", "en": "Shows"},
    "supply_year_zero": {"sv": "{year} el. tidigare", "en": "{year} or earlier"},
    "supply_cell_hint": {
        "sv": "Varje ruta: antal anställda i gruppen som når pensionsåldern det året. "
              "{year} el. tidigare: når den i år eller har redan nått den.",
        "en": "Each cell: the number of the group's staff reaching the retirement age that year. "
              "{year} or earlier: reach it this year or have already.",
    },
    "supply_cell_hint_share": {
        "sv": "Varje ruta: de som når pensionsåldern det året, i procent av gruppens anställda i dag. "
              "{year} el. tidigare: når den i år eller har redan nått den.",
        "en": "Each cell: those reaching the retirement age that year, as a percentage of the group's staff today. "
              "{year} or earlier: reach it this year or have already.",
    },
    "supply_latest_month": {
        "sv": "Prognosen utgår alltid från senast inlästa månad, {month}.",
        "en": "The outlook always starts from the latest loaded month, {month}.",
    },
    "supply_neighbours": {
        "sv": "Några antal över gränsen är också dolda, så att en dold grupp inte kan räknas fram ur summan "
              "eller ur en överordnad enhet.",
        "en": "Some counts above the limit are hidden too, so that a hidden group cannot be worked out from "
              "the total or from a parent unit.",
    },
    "supply_none": {"sv": "Ingen prognos publicerad för {org}.", "en": "No outlook is published for {org}."},
    "supply_source": {"sv": "Pensionsålder och källa", "en": "Retirement age and source"},
    "supply_birth_years": {"sv": "Födelseår", "en": "Birth years"},
    "supply_age": {"sv": "Pensionsålder", "en": "Retirement age"},
    "supply_basis": {"sv": "Grund", "en": "Basis"},
    # National reference lines (seeds/national_references.csv, streamlit_app/references.py).
    "reference_outcome": {"sv": "Riket, {org}: {value} ({year})", "en": "National, {org}: {value} ({year})"},
    "reference_goal": {"sv": "Nationellt mål, {org}: {value}", "en": "National goal, {org}: {value}"},
    "reference_note": {"sv": "Referenslinje – {label}. Källa: [{title}]({url}).",
                       "en": "Reference line – {label}. Source: [{title}]({url})."},
    "reference_title": {"sv": "Nationell referens", "en": "National reference"},
    "org_type_region": {"sv": "regioner", "en": "regions"},
    "org_type_municipality": {"sv": "kommuner", "en": "municipalities"},
    "org_type_wellbeing_county": {"sv": "välfärdsområden", "en": "wellbeing services counties"},
}

TEXT.update(labels.TEXT)

# Codes published in marts.kpi_values.breakdown_value, in reading order.
BREAKDOWN_VALUE_LABELS: dict[str, dict[str, str]] = {
    "total": {"sv": "Totalt", "en": "Total"},
    "K": {"sv": "Kvinnor", "en": "Women"},
    "M": {"sv": "Män", "en": "Men"},
    "<=29": {"sv": "29 år och yngre", "en": "29 and younger"},
    "30-49": {"sv": "30–49 år", "en": "30–49"},
    ">=50": {"sv": "50 år och äldre", "en": "50 and older"},
    "permanent": {"sv": "Tillsvidare", "en": "Permanent"},
    "fixed_term": {"sv": "Visstid", "en": "Fixed term"},
    "hourly": {"sv": "Timavlönad", "en": "Hourly paid"},
    "own_request": {"sv": "Egen begäran", "en": "Own request"},
    "retirement": {"sv": "Pension", "en": "Retirement"},
    "other": {"sv": "Övrigt", "en": "Other"},
}

WINDOWS = ("month", "rolling_12m", "year")
BREAKDOWNS = ("gender", "age_group", "employment_type", "profession_group", "reason")

STATUTORY_LABELS = {
    "total": {"sv": "Total sjukfrånvaro i % av ordinarie arbetstid",
              "en": "Total sick leave, % of ordinary working time"},
    "long": {"sv": "varav sjukfrånvaro 60 dagar eller mer, % av total sjukfrånvaro",
             "en": "of which spells of 60 days or more, % of total sick leave"},
    "K": {"sv": "Kvinnor", "en": "Women"},
    "M": {"sv": "Män", "en": "Men"},
    "<=29": {"sv": "29 år och yngre", "en": "29 and younger"},
    "30-49": {"sv": "30–49 år", "en": "30–49"},
    ">=50": {"sv": "50 år och äldre", "en": "50 and older"},
}

# The strategy's four areas, then pay and conditions: the overview's order.
STRATEGY_AREAS: dict[str, str] = {
    "Kompetens och utveckling": "Competence and development",
    "Coachande och inkluderande ledarskap": "Coaching and inclusive leadership",
    "Sunt och tryggt arbete": "Healthy and safe work",
    "Delaktighet och lagspel": "Participation and teamwork",
    "Lön och villkor": "Pay and conditions",
}


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: Any) -> str:
    entry = TEXT[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**kwargs) if kwargs else text


def is_missing(x: Any) -> bool:
    """None, NaN, pd.NA (DuckDB's nullable integers) or NaT."""
    if x is None:
        return True
    result = pd.isna(x)
    return bool(result) if isinstance(result, (bool, np.bool_)) else False


def format_number(x: float | int | None, decimals: int = 0, lang: str = DEFAULT_LANG) -> str:
    """1234.5 -> '1 234,5' (sv, no-break space) or '1,234.5' (en); None -> ''."""
    if is_missing(x):
        return ""
    text = f"{float(x):,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0,0"
    if lang in ("sv", "fi"):  # Finnish writes numbers like Swedish: '1 234,5'
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", THOUSANDS_SV)
    return text


def unit_kind(unit: str | None, kpi_id: str = "") -> str:
    key = (unit or "").strip().lower()
    if key in _UNIT_KINDS:
        return _UNIT_KINDS[key]
    if kpi_id.endswith("_pct"):
        return "percent"
    if kpi_id.endswith("_sek"):
        return "sek"
    return ""


_UNIT_NAMES = {
    "percent": {"sv": "procent", "en": "per cent"}, "sek": {"sv": "kronor", "en": "SEK"},
    "count": {"sv": "antal", "en": "count"}, "fte": {"sv": "årsarbetare", "en": "full-time equivalents"},
    "index": {"sv": "index 0–100", "en": "index 0–100"}, "hours": {"sv": "timmar", "en": "hours"},
    "ratio": {"sv": "kvot", "en": "ratio"}, "rate": {"sv": "per miljon arbetade timmar", "en": "per million hours worked"},
    "eur": {"sv": "euro", "en": "euro"}, "person_years": {"sv": "personårsverken", "en": "person-years"},
    "days": {"sv": "dagar", "en": "days"},
}


def unit_name(unit: str | None, lang: str = DEFAULT_LANG, kpi_id: str = "") -> str:
    kind = unit_kind(unit, kpi_id)
    return _UNIT_NAMES[kind].get(lang, _UNIT_NAMES[kind][DEFAULT_LANG]) if kind in _UNIT_NAMES else (unit or "")


def default_decimals(unit: str | None, kpi_id: str = "") -> int:
    return _DEFAULT_DECIMALS[unit_kind(unit, kpi_id)]


def _millions_of_kronor(x: float, lang: str) -> str:
    return format_number(x / 1e6, 1, lang) + ("\u00a0mnkr" if lang == "sv" else "\u00a0MSEK")


def format_value(x: float | None, unit: str | None = None, decimals: int | None = None,
                 lang: str = DEFAULT_LANG, kpi_id: str = "", suppressed: bool = False,
                 compact: bool = False) -> str:
    """A KPI figure with its unit: '5,7 %', '1 234 567 kr', '72,3'. Suppressed -> 'Dold'.

    `compact` writes millions of kronor as '1,2 mnkr' so a tile never cuts a figure.
    """
    if suppressed:
        return SUPPRESSED_SHORT.get(lang, SUPPRESSED_SHORT[DEFAULT_LANG])
    if is_missing(x):
        return "–"
    kind = unit_kind(unit, kpi_id)
    if compact and kind == "sek" and abs(x) >= 1e6:
        return _millions_of_kronor(x, lang)
    d = _DEFAULT_DECIMALS[kind] if decimals is None else decimals
    return format_number(x, d, lang) + _UNIT_SUFFIX.get(lang, _UNIT_SUFFIX["sv"])[kind]


def format_change(delta: float | None, unit: str | None = None, decimals: int | None = None,
                  lang: str = DEFAULT_LANG, kpi_id: str = "", compact: bool = False,
                  value: float | None = None) -> str | None:
    """Signed change; for percentages in percentage points ('+0,4 p.e.'), never '%'.

    `compact` with the figure's `value`: when the value is shown in mnkr, so is a change
    that shows in mnkr ('10,5 mnkr', '-0,1 mnkr'); a smaller one stays in kronor, since
    '±0,0 mnkr' would hide a real change.
    """
    if is_missing(delta):
        return None
    kind = unit_kind(unit, kpi_id)
    value_in_millions = not is_missing(value) and abs(value) >= 1e6
    if compact and kind == "sek" and (abs(delta) >= 1e6 or (value_in_millions and abs(delta) >= 0.05e6)):
        sign = "+" if delta > 0 else "-"
        return sign + _millions_of_kronor(abs(delta), lang)
    d = _DEFAULT_DECIMALS[kind] if decimals is None else decimals
    body = format_number(abs(delta), d, lang)
    sign = "+" if round(delta, d) > 0 else "-" if round(delta, d) < 0 else "±"
    if kind == "percent":
        suffix = {"sv": "\u00a0p.e.", "fi": fmt_fi.PERCENTAGE_POINTS_FI}.get(lang, "\u00a0pp")
    else:
        suffix = _UNIT_SUFFIX.get(lang, _UNIT_SUFFIX["sv"])[kind]
    return f"{sign}{body}{suffix}"


def format_month(period: dt.date | Any, lang: str = DEFAULT_LANG) -> str:
    """date(2025, 3, 1) -> 'mar 2025'."""
    if is_missing(period):
        return ""
    if not isinstance(period, dt.date):
        period = dt.date.fromisoformat(str(period)[:10])
    return f"{MONTHS.get(lang, MONTHS['sv'])[period.month - 1]} {period.year}"


def format_timestamp(ts: Any, lang: str = DEFAULT_LANG) -> str:
    if is_missing(ts):
        return ""
    if not isinstance(ts, dt.datetime):
        ts = dt.datetime.fromisoformat(str(ts))
    return ts.strftime("%Y-%m-%d %H:%M")


def status_label(status: str | None, lang: str = DEFAULT_LANG) -> str:
    if status in ("green", "amber", "red"):
        return t(f"status_{status}", lang)
    return t("status_none", lang)


# The catalogue says which way is better; targets say ceiling (max) or floor (min). The app
# uses the target's words for both.
_DIRECTIONS = {"lower_is_better": "max", "higher_is_better": "min", "max": "max", "min": "min"}


def target_direction(direction: str | None) -> str | None:
    return _DIRECTIONS.get((direction or "").strip().lower())


def extract_label(extract: str, lang: str = DEFAULT_LANG) -> str:
    """'employees' -> 'Personalregister' (the extract's Swedish title), its Finnish title in
    Finnish; English keeps the code."""
    code = extract.strip()
    if lang == "fi" and code in EXTRACT_TITLES_SV:
        return fmt_fi.EXTRACT_TITLES_FI.get(code, EXTRACT_TITLES_SV[code])
    return EXTRACT_TITLES_SV.get(code, code) if lang == "sv" else code


def area_label(area: str, lang: str = DEFAULT_LANG) -> str:
    if lang == "fi":
        return fmt_fi.STRATEGY_AREAS_FI.get(area, area)
    return STRATEGY_AREAS.get(area, area) if lang == "en" else area


def window_label(window: str, lang: str = DEFAULT_LANG) -> str:
    return t(f"window_{window}", lang)


def breakdown_label(breakdown: str, lang: str = DEFAULT_LANG) -> str:
    key = f"breakdown_{breakdown}"
    return t(key, lang) if key in TEXT else breakdown


def breakdown_value_label(value: str, lang: str = DEFAULT_LANG, names: dict[str, str] | None = None) -> str:
    """Label for a breakdown code; `names` carries seed-defined labels (profession groups)."""
    if value in BREAKDOWN_VALUE_LABELS:
        return BREAKDOWN_VALUE_LABELS[value].get(lang, BREAKDOWN_VALUE_LABELS[value][DEFAULT_LANG])
    if names and value in names:
        return names[value]
    return value


def statutory_key(measure: str, group_value: str | None) -> str:
    """The statutory table's row for a (measure, group_value) of marts.sick_leave_statutory."""
    if group_value in STATUTORY_LABELS and group_value != "total":
        return group_value
    if "long" in measure or "60" in measure:
        return "long"
    return "total" if measure.startswith("total") else measure


def statutory_label(key: str, lang: str = DEFAULT_LANG) -> str:
    return STATUTORY_LABELS[key].get(lang, STATUTORY_LABELS[key][DEFAULT_LANG]) if key in STATUTORY_LABELS else key


def breakdown_order(value: str) -> tuple[int, str]:
    """Breakdown values in reading order (K before M, youngest first), others alphabetically."""
    order = list(BREAKDOWN_VALUE_LABELS)
    return (order.index(value), "") if value in order else (len(order), value)


def target_text(target: float | None, direction: str | None, unit: str | None, decimals: int | None,
                lang: str = DEFAULT_LANG, kpi_id: str = "") -> str:
    """'Mål ≤ 5,0 %' for a ceiling, 'Mål ≥ 90,0 %' for a floor."""
    if is_missing(target):
        return f"{t('target', lang)}: {t('no_target', lang)}"
    sign = {"max": "≤ ", "min": "≥ "}.get(direction or "", "")
    return f"{t('target', lang)} {sign}{format_value(target, unit, decimals, lang, kpi_id)}"


# Finnish (suomi): the labels of fmt_fi.py join the tables above.
fmt_fi.merge(TEXT, BREAKDOWN_VALUE_LABELS, STATUTORY_LABELS, MONTHS, SUPPRESSED_SHORT, _UNIT_NAMES, _UNIT_SUFFIX)
