"""The vocabulary is declared once, in seeds (windows, breakdowns, breakdown values,
employment types). The dashboard's labels in streamlit_app/fmt.py must say the same until
the dashboard reads the published seeds tables itself: this test fails on any drift."""

from __future__ import annotations

import csv
from pathlib import Path

from streamlit_app import fmt

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def sv_en(labels: dict[str, str]) -> dict[str, str]:
    """The Swedish and English labels the seeds carry (Finnish ones live in fmt_fi.py)."""
    return {lang: text for lang, text in labels.items() if lang in ("sv", "en")}


def rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS / f"{name}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_windows_and_their_labels_match_the_seed():
    windows = sorted(rows("kpi_windows"), key=lambda r: int(r["window_no"]))
    assert fmt.WINDOWS == tuple(r["window_name"] for r in windows)
    for r in windows:
        assert sv_en(fmt.TEXT[f"window_{r['window_name']}"]) == {"sv": r["name_sv"], "en": r["name_en"]}


def test_breakdowns_and_their_labels_match_the_seed():
    breakdowns = sorted(rows("kpi_breakdowns"), key=lambda r: int(r["breakdown_no"]))
    assert fmt.BREAKDOWNS == tuple(r["breakdown"] for r in breakdowns if r["breakdown"] != "total")
    for r in breakdowns:
        assert sv_en(fmt.TEXT[f"breakdown_{r['breakdown']}"]) == {"sv": r["name_sv"], "en": r["name_en"]}


def test_breakdown_value_labels_match_the_seeds_in_reading_order():
    values = [(r["breakdown_value"], r["name_sv"], r["name_en"], int(r["sort_order"]))
              for r in rows("breakdown_values")]
    values += [(r["employment_type"], r["name_sv"], r["name_en"], 5 + int(r["primary_rank"]))
               for r in rows("employment_types")]
    values.sort(key=lambda v: v[3])
    assert list(fmt.BREAKDOWN_VALUE_LABELS) == [v[0] for v in values]
    for value, sv, en, _ in values:
        assert sv_en(fmt.BREAKDOWN_VALUE_LABELS[value]) == {"sv": sv, "en": en}
