"""The vocabulary is declared once, in seeds (windows, breakdowns, breakdown values,
employment types), and the dashboard reads it from there (streamlit_app/vocabulary.py):
fmt.py keeps no list of its own, and every label exists in Swedish, English and Finnish."""

from __future__ import annotations

import csv
from pathlib import Path

from streamlit_app import fmt

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS / f"{name}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_vocabulary_seed_labels_every_row_in_three_languages():
    for name in ("kpi_windows", "kpi_breakdowns", "breakdown_values", "employment_types"):
        for r in rows(name):
            for lang in ("sv", "en", "fi"):
                assert r[f"name_{lang}"].strip(), (name, r, lang)


def test_the_dashboard_names_windows_and_breakdowns_as_the_seeds_do():
    assert fmt.WINDOWS == ("month", "rolling_12m", "year")
    assert fmt.BREAKDOWNS == ("gender", "age_group", "employment_type", "profession_group", "reason")
    assert [fmt.window_label("rolling_12m", lang) for lang in ("sv", "en", "fi")] == [
        "Rullande 12 mån", "Rolling 12 months", "Liukuva 12 kk"]
    assert [fmt.breakdown_label("reason", lang) for lang in ("sv", "en", "fi")] == [
        "Avgångsorsak", "Reason for leaving", "Päättymisen syy"]


def test_breakdown_values_in_reading_order_with_the_employment_types_after_the_age_groups():
    assert list(fmt.BREAKDOWN_VALUE_LABELS) == [
        "total", "K", "M", "<=29", "30-49", ">=50", "permanent", "fixed_term", "hourly",
        "own_request", "retirement", "other"]
    assert [fmt.breakdown_value_label("fixed_term", lang) for lang in ("sv", "en", "fi")] == [
        "Visstid", "Fixed term", "Määräaikainen"]
    # The statutory table's groups are the same labels.
    assert fmt.statutory_label("<=29", "fi") == "29 v ja nuoremmat"


def test_the_dashboard_keeps_no_vocabulary_of_its_own():
    for module in ("fmt.py", "fmt_fi.py", "labels.py"):
        source = (REPO / "streamlit_app" / module).read_text(encoding="utf-8")
        for key in ('"window_month"', '"window_rolling_12m"', '"breakdown_gender"', '"breakdown_reason"',
                    '"fixed_term":', '"own_request":'):
            assert key not in source, (module, key)
