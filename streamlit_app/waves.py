"""A survey index as what it is: one figure per survey wave, not a monthly measurement.

marts.kpi_values carries a survey KPI forward from its wave to every later month (the
latest survey up to the month). The waves themselves are the surveys loaded
(queries.survey_waves); each wave's figure is the KPI's row in the month the survey was
held, with its respondents (population_n) and the response rate of the same unit and wave.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from streamlit_app import charts, queries, tables, ui
from streamlit_app.kpi_sections import headline, ranking
from streamlit_app.fmt import (SUPPRESSED_SHORT, format_month, format_number, format_value, is_missing,
                               status_label, t)

RESPONSE_RATE = "survey_response_rate_pct"


def wave_rows(key: queries.FileKey, kpi_id: str, org_unit_code: str, until: dt.date) -> pd.DataFrame:
    """One row per survey wave held up to `until`: survey_id, period and the KPI's row then,
    with the unit's response rate in that wave (response_rate, NaN where hidden)."""
    waves = queries.survey_waves(key)
    waves = waves[waves["period"] <= until]
    totals = queries.org_totals(key, org_unit_code)
    month = totals[totals["window"] == "month"]
    rows = month[month["kpi_id"] == kpi_id].merge(waves, on="period", how="inner")
    rate = month[month["kpi_id"] == RESPONSE_RATE][["period", "value", "suppressed"]].rename(
        columns={"value": "response_rate", "suppressed": "rate_suppressed"})
    rows = rows.merge(rate, on="period", how="left")
    rows["response_rate"] = rows["response_rate"].where(~rows["rate_suppressed"].fillna(False).astype(bool))
    return rows.sort_values("period").reset_index(drop=True)


def wave_label(row: dict | pd.Series, lng: str) -> str:
    return f"{row['survey_id']} ({format_month(row['period'], lng)})"


def wave_table(rows: pd.DataFrame, kpi: ui.Kpi, lng: str, formatted: bool) -> pd.DataFrame:
    out = tables.kpi_table(rows, kpi, lng, t("survey", lng), list(rows["survey_id"]), formatted)
    out.insert(1, t("period", lng), [format_month(p, lng) for p in rows["period"]])
    hidden = SUPPRESSED_SHORT[lng]
    out[t("response_rate", lng)] = [
        (format_number(r, 1, lng) + "\u00a0%" if not is_missing(r) else hidden if s else "–") if formatted
        else tables.rounded(r, 1)
        for r, s in zip(rows["response_rate"], rows["rate_suppressed"].fillna(False))]
    return out


def page(kpi: ui.Kpi, sel: ui.Selection) -> None:
    lng = sel.lang
    rows = wave_rows(sel.key, kpi.kpi_id, sel.org_unit_code, sel.period)
    st.caption(f"{sel.org_path} · {t('latest_survey', lng)} · {format_month(sel.period, lng)}")
    if rows.empty:
        st.info(t("no_survey", lng, month=format_month(sel.period, lng)))
        return
    latest = rows.iloc[-1]
    rate = latest["response_rate"]
    headline(kpi, sel, latest, wave_label(latest, lng), latest["target_value"], latest["target_direction"],
             t("target", lng),
             extra=(t("response_rate", lng), "–" if is_missing(rate) else format_number(rate, 1, lng) + "\u00a0%"))

    st.subheader(t("waves_title", lng))
    data = rows.assign(
        value=rows["value"].where(~rows["suppressed"].astype(bool)),
        label=[wave_label(r, lng) for r in rows.to_dict("records")],
        value_text=[format_value(v, kpi.unit, kpi.decimals, lng, kpi.kpi_id, bool(s))
                    for v, s in zip(rows["value"], rows["suppressed"])],
        target_text=[format_value(v, kpi.unit, kpi.decimals, lng, kpi.kpi_id) for v in rows["target_value"]],
        respondents_text=[format_number(v, 0, lng) if not is_missing(v) else "–" for v in rows["population_n"]],
        rate_text=["–" if is_missing(r) else format_number(r, 1, lng) + "\u00a0%" for r in rows["response_rate"]],
    )
    st.altair_chart(charts.wave_chart(data, lng, kpi.name, t("target", lng), t("respondents", lng),
                                      t("response_rate", lng)), width="stretch")
    st.caption(t("waves_caption", lng))
    st.dataframe(tables.coloured(wave_table(rows, kpi, lng, True), lng), hide_index=True, width="stretch")
    ui.export_buttons(wave_table(rows, kpi, lng, False), f"{kpi.kpi_id}_{sel.org_unit_code}_enkater", lng,
                      header=ui.export_header(sel, kpi=kpi, window=t("latest_survey", lng)),
                      decimals=tables.export_decimals(kpi, lng))
    if rows["suppressed"].astype(bool).any():
        st.caption(ui.suppressed_text(kpi, sel))
    ranking(kpi, sel, None)
