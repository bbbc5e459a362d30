"""The KPI rows as tables: as shown (formatted text) and as exported (numbers rounded as shown).

A table names its numerator and denominator by what they count for the KPI
("Sjukfrånvarotimmar" / "Ordinarie arbetstimmar", from marts.kpi_catalogue), and a survey
index has neither: its rows say how many answered.
"""

from __future__ import annotations

import pandas as pd

from streamlit_app import ui
from streamlit_app.fmt import (SUPPRESSED_SHORT, default_decimals, format_number, format_value, is_missing,
                               status_label, t, unit_name)

STATUS_BACKGROUNDS = {"green": "#e3f1e4", "amber": "#fdf1cf", "red": "#f8dcdc"}


def coloured(table: pd.DataFrame, lng: str):
    """The status column tinted like a traffic light (only rows with a status have one)."""
    colours = {status_label(s, lng): c for s, c in STATUS_BACKGROUNDS.items()}
    return table.style.map(lambda v: f"background-color: {colours[v]}" if v in colours else "",
                           subset=[t("status", lng)])


def whole_or_two(x) -> int:
    return 0 if not is_missing(x) and float(x).is_integer() else 2


def numerator_label(kpi: ui.Kpi, lng: str) -> str:
    return kpi.numerator_label or t("numerator", lng)


def denominator_label(kpi: ui.Kpi, lng: str) -> str:
    return kpi.denominator_label or t("denominator", lng)


def value_header(kpi: ui.Kpi, lng: str, exported: bool) -> str:
    """'Värde' on screen, where every cell carries its unit; 'Värde (procent)' in an export,
    whose cells are bare numbers."""
    unit = unit_name(kpi.unit, lng, kpi.kpi_id)
    return f"{t('value', lng)} ({unit})" if exported and unit else t("value", lng)


def target_header(kpi: ui.Kpi, lng: str, exported: bool) -> str:
    unit = unit_name(kpi.unit, lng, kpi.kpi_id)
    return f"{t('target', lng)} ({unit})" if exported and unit else t("target", lng)


def rounded(x, places: int) -> float | int | None:
    """Rounded as shown: a whole number as an int (8000, not 8000,0), never -0.0 (a tiny
    negative change written '-0,0')."""
    if is_missing(x):
        return None
    return int(round(float(x))) if places <= 0 else round(float(x), places) + 0.0


def decimals_of(kpi: ui.Kpi) -> int:
    return kpi.decimals if kpi.decimals is not None else default_decimals(kpi.unit, kpi.kpi_id)


def export_decimals(kpi: ui.Kpi, lng: str) -> dict[str, int]:
    """Decimals of each numeric column of an exported table, for Excel's number formats."""
    d = decimals_of(kpi)
    return {value_header(kpi, lng, True): d, target_header(kpi, lng, True): d,
            t("population_n", lng): 0, t("respondents", lng): 0, t("response_rate", lng): 1}


def kpi_table(rows: pd.DataFrame, kpi: ui.Kpi, lng: str, first_col: str, first_values: list,
              formatted: bool) -> pd.DataFrame:
    """The rows as shown (formatted text) or as exported (numbers rounded as shown; 'Dold'
    where suppressed)."""
    hidden = SUPPRESSED_SHORT[lng]
    decimals = decimals_of(kpi)

    def num(x, places: int, suppressed: bool):
        if suppressed:
            return hidden
        if formatted:
            return format_number(x, places, lng) if not is_missing(x) else "–"
        return None if is_missing(x) else rounded(x, places)

    out = pd.DataFrame({first_col: first_values})
    out[value_header(kpi, lng, not formatted)] = [
        format_value(v, kpi.unit, kpi.decimals, lng, kpi.kpi_id, s) if formatted else num(v, decimals, s)
        for v, s in zip(rows["value"], rows["suppressed"])
    ]
    out[target_header(kpi, lng, not formatted)] = [
        (format_value(v, kpi.unit, kpi.decimals, lng, kpi.kpi_id) if not is_missing(v) else "–") if formatted
        else num(v, decimals, False) for v in rows["target_value"]
    ]
    out[t("status", lng)] = [
        status_label(s, lng) if isinstance(s, str) else (hidden if sup else "–" if formatted else None)
        for s, sup in zip(rows["status"], rows["suppressed"])
    ]
    if not kpi.is_wave:
        # Counts (exits, hours) read as counts; means (mean headcount 29,08) keep two decimals.
        out[numerator_label(kpi, lng)] = [num(v, whole_or_two(v), s)
                                          for v, s in zip(rows["numerator"], rows["suppressed"])]
        if kpi.denominator_label or rows["denominator"].notna().any():
            out[denominator_label(kpi, lng)] = [num(v, whole_or_two(v), s)
                                                for v, s in zip(rows["denominator"], rows["suppressed"])]
    people = t("respondents", lng) if kpi.is_survey else t("population_n", lng)
    out[people] = [num(v, 0, False) for v in rows["population_n"]]
    return out
