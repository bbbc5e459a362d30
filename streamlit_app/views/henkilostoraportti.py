"""The henkilöstöraportti (FI profile): the annual key figures a Finnish wellbeing services
county puts in its personnel report, for the whole organisation, ready to copy and export.

Every figure is a published row of marts.kpi_values (the small-group rule is already applied
there: a suppressed figure is shown as suppressed, never as zero): stocks at the year's last
loaded month end (31.12 once December is loaded), flows over the year to that month.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from streamlit_app import queries, ui
from streamlit_app.fmt import SUPPRESSED_SHORT, breakdown_value_label, format_month, format_value, t

# (kpi_id, window, breakdown, breakdown_value), in the report's reading order.
ROWS = (
    ("headcount", "month", "total", "total"),
    ("headcount", "month", "employment_type", "permanent"),
    ("headcount", "month", "employment_type", "fixed_term"),
    ("headcount", "month", "employment_type", "hourly"),
    ("person_years_htv", "year", "total", "total"),
    ("headcount", "month", "age_group", "<=29"),
    ("headcount", "month", "age_group", "30-49"),
    ("headcount", "month", "age_group", ">=50"),
    ("sick_days_per_htv", "year", "total", "total"),
    ("sick_leave_theoretical_pct", "year", "total", "total"),
    ("work_related_sick_days_per_htv", "year", "total", "total"),
    ("work_accidents", "year", "total", "total"),
    ("work_accident_frequency", "year", "total", "total"),
    ("entry_turnover_fi_pct", "year", "total", "total"),
    ("exit_turnover_fi_pct", "year", "total", "total"),
    ("agency_cost_eur", "year", "total", "total"),
    ("agency_cost_share_fi_pct", "year", "total", "total"),
)

ROW_PX = 35  # the height of a row in st.dataframe (header included)

LABELS = {
    "title": {"sv": "Personalrapport", "fi": "Henkilöstöraportti", "en": "Personnel report"},
    "intro": {
        "sv": "Årets nyckeltal för personalrapporten (KT:s rekommendation) för hela organisationen ({month}): "
              "personal vid periodens slut, flöden för året till och med periodens slut. Dolda uppgifter "
              "gäller {n} eller färre personer.",
        "fi": "Vuoden tunnusluvut henkilöstöraporttiin (KT:n suositus) koko organisaatiosta ({month}): "
              "henkilöstö kauden lopussa, virrat vuoden alusta kauden loppuun. Piilotetut luvut koskevat "
              "{n} tai harvempaa henkilöä.",
        "en": "The year's key figures for the personnel report (KT's recommendation), whole organisation "
              "({month}): staff at the period end, flows for the year to the period end. Suppressed figures "
              "concern {n} or fewer people.",
    },
    "at_end": {"sv": "vid periodens slut", "fi": "kauden lopussa", "en": "at the period end"},
    "none": {"sv": "Inga publicerade nyckeltal för året.", "fi": "Vuodelta ei ole julkaistuja tunnuslukuja.",
             "en": "No published figures for the year."},
}


def _label(key: str, lng: str, **kw) -> str:
    text = LABELS[key].get(lng) or LABELS[key]["sv"]
    return text.format(**kw) if kw else text


def report_period(periods: list, selected) -> object:
    """The year's last loaded month up to the selection: December once it is loaded."""
    same_year = [p for p in periods if p.year == selected.year]
    return max(same_year) if same_year else selected


def main() -> None:
    sel = ui.current()
    lng = sel.lang
    period = report_period(queries.periods(sel.key), sel.period)
    st.title(_label("title", lng))
    # The small-group rule's own limit (seeds/parameters.csv suppression_max_n), not a copy of it.
    st.caption(_label("intro", lng, month=format_month(period, lng),
                      n=int(sel.parameters.get("suppression_max_n", 10))))
    rows = queries.personnel_report_rows(sel.key, period)
    kpis = {k.kpi_id: k for k in ui.kpis(sel.key, lng)}
    if rows.empty or not kpis:
        st.info(_label("none", lng))
        return
    by_key = {(r["kpi_id"], r["window"], r["breakdown"], r["breakdown_value"]): r for r in rows.to_dict("records")}
    hidden = SUPPRESSED_SHORT.get(lng, SUPPRESSED_SHORT["sv"])
    names, shown, values = [], [], []
    for kpi_id, window, breakdown, value in ROWS:
        kpi, r = kpis.get(kpi_id), by_key.get((kpi_id, window, breakdown, value))
        if kpi is None or r is None:
            continue
        name = kpi.name if breakdown == "total" else f"{kpi.name}: {breakdown_value_label(value, lng)}"
        if kpi_id == "headcount" and breakdown == "total":
            name = f"{kpi.name} {_label('at_end', lng)}"
        suppressed = bool(r["suppressed"])
        names.append(name)
        shown.append(format_value(r["value"], kpi.unit, kpi.decimals, lng, kpi_id, suppressed=suppressed))
        values.append(None if suppressed or pd.isna(r["value"]) else round(float(r["value"]), kpi.decimals or 0))
    heading = str(period.year) if period.month == 12 else f"{period.year} ({t('year_to', lng, month=format_month(period, lng))})"
    table = pd.DataFrame({t("measure", lng): names, heading: shown})
    # Tall enough for every row: a report of 17 lines should not scroll inside the page.
    st.dataframe(table, hide_index=True, width="stretch", height=ROW_PX * (len(table) + 1) + 3,
                 column_config={t("measure", lng): st.column_config.TextColumn(width="large")})
    if hidden in shown:
        st.caption(t("suppressed_persons", lng, n=int(sel.parameters.get("suppression_max_n", 10)) + 1))
    st.caption(t("copy_hint", lng))
    st.code(table.to_csv(sep="\t", index=False).strip(), language=None)
    ui.export_buttons(pd.DataFrame({t("measure", lng): names, heading: values}), "henkilostoraportti", lng)


main()
