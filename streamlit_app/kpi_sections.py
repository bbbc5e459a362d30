"""The parts of a KPI's page: headline figures, trend, breakdowns and the child units.

views/kpi.py puts them together for a monthly KPI; streamlit_app/waves.py uses the headline
and the ranking for a survey index.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from streamlit_app import charts, queries, references, tables, ui
from streamlit_app.fmt import (BREAKDOWNS, SUPPRESSED_SHORT, breakdown_label, breakdown_order,
                               breakdown_value_label, format_month, format_number, format_value, is_missing,
                               status_label, t, target_text)
from streamlit_app.tables import coloured, kpi_table


def trend(kpi: ui.Kpi, sel: ui.Selection, series: pd.DataFrame) -> None:
    lng = sel.lang
    st.subheader(t("trend_title", lng))
    data = series.assign(
        value=series["value"].where(~series["suppressed"].astype(bool)),
        period_text=[format_month(p, lng) for p in series["period"]],
        value_text=[format_value(v, kpi.unit, kpi.decimals, lng, kpi.kpi_id, bool(s))
                    for v, s in zip(series["value"], series["suppressed"])],
        target_text=[format_value(v, kpi.unit, kpi.decimals, lng, kpi.kpi_id) for v in series["target_value"]],
    )
    direction = next((d for d in series["target_direction"] if isinstance(d, str)), kpi.direction)
    national = references.for_kpi(sel.key, kpi, max(series["period"]), lng)
    st.altair_chart(charts.trend_chart(data, direction, sel.amber_tolerance_pct, lng, kpi.name, t("target", lng),
                                       [(r.value, r.label) for r in national]),
                    width="stretch")
    notes = [t("reference_note", lng, label=r.label, title=r.source_title, url=r.source_url) for r in national]
    if series["target_value"].notna().any() and sel.amber_tolerance_pct is not None:
        notes.append(t("band_note", lng, tol=f"{sel.amber_tolerance_pct:g}"))
    n_hidden = int(series["suppressed"].astype(bool).sum())
    if n_hidden:
        notes.append(t("suppressed_months", lng, n=n_hidden) + " " + ui.suppressed_text(kpi, sel))
    for note in notes:
        st.caption(note)
    with st.expander(t("series_table", lng)):
        months = [format_month(p, lng) for p in series["period"]]
        st.dataframe(coloured(kpi_table(series, kpi, lng, t("period", lng), months, True), lng), hide_index=True,
                     width="stretch")
        ui.export_buttons(kpi_table(series, kpi, lng, t("period", lng), months, False),
                          f"{kpi.kpi_id}_{sel.org_unit_code}_{sel.window}", lng,
                          header=ui.export_header(sel, kpi=kpi, month=t("all_months", lng)),
                          decimals=tables.export_decimals(kpi, lng))


def breakdowns(kpi: ui.Kpi, sel: ui.Selection) -> None:
    lng = sel.lang
    st.subheader(t("breakdown", lng))
    every = queries.breakdown_rows(sel.key, kpi.kpi_id, sel.org_unit_code, sel.window, sel.period)
    published = set(every["breakdown"])
    available = [b for b in BREAKDOWNS if b in published] + sorted(published - set(BREAKDOWNS))
    if not available:
        st.caption(t("breakdown_none", lng))
        return
    breakdown = st.segmented_control(t("breakdown", lng), available, default=available[0], required=True,
                                     key=f"breakdown_{kpi.kpi_id}", format_func=lambda b: breakdown_label(b, lng),
                                     label_visibility="collapsed")
    rows = every[every["breakdown"] == breakdown]
    if rows.empty:
        st.caption(t("no_value", lng))
        return
    names = queries.profession_group_names(sel.key, lng) if breakdown == "profession_group" else {}
    seed_order = list(names)

    def order(value: str) -> tuple:
        return (seed_order.index(value), "") if value in seed_order else breakdown_order(value)

    rows = rows.iloc[sorted(range(len(rows)), key=lambda i: order(rows["breakdown_value"].iloc[i]))]
    labels = [breakdown_value_label(v, lng, names) for v in rows["breakdown_value"]]
    chart_rows = rows.assign(
        label=labels,
        value=rows["value"].where(~rows["suppressed"].astype(bool)),
        value_text=[format_value(v, kpi.unit, kpi.decimals, lng, kpi.kpi_id, bool(s))
                    for v, s in zip(rows["value"], rows["suppressed"])],
    )
    st.altair_chart(charts.breakdown_chart(chart_rows, lng, kpi.name), width="stretch",
                    height=charts.breakdown_height(len(chart_rows)))
    label = breakdown_label(breakdown, lng)
    st.dataframe(coloured(kpi_table(rows, kpi, lng, label, labels, True), lng), hide_index=True, width="stretch")
    ui.export_buttons(kpi_table(rows, kpi, lng, label, labels, False),
                      f"{kpi.kpi_id}_{sel.org_unit_code}_{breakdown}_{sel.period:%Y-%m}", lng,
                      header=ui.export_header(sel, kpi=kpi), decimals=tables.export_decimals(kpi, lng))
    if rows["suppressed"].astype(bool).any():
        st.caption(ui.suppressed_text(kpi, sel))


def ranking(kpi: ui.Kpi, sel: ui.Selection, parent_row: pd.Series | None) -> None:
    lng = sel.lang
    st.subheader(t("ranking", lng, org=sel.org_name))
    rows = queries.child_ranking(sel.key, kpi.kpi_id, sel.org_unit_code, sel.window, sel.period)
    if rows.empty:
        st.caption(t("ranking_none", lng, org=sel.org_name))
        return
    worst_first = (kpi.direction or "max") != "min"
    rows = rows.assign(_hidden=rows["suppressed"].astype(bool)).sort_values(
        ["_hidden", "value"], ascending=[True, not worst_first], na_position="last")
    shown = kpi_table(rows, kpi, lng, t("unit", lng), list(rows["name"]), True)
    exported = kpi_table(rows, kpi, lng, t("unit", lng), list(rows["name"]), False)
    # A unit's part of the parent's numerator says who drives a rate of hours or people;
    # a survey's score points have no such reading.
    if not kpi.is_wave:
        total = None if parent_row is None or bool(parent_row["suppressed"]) else parent_row["numerator"]
        shares = [None if s or is_missing(n) or is_missing(total) or not total else float(n) / float(total) * 100
                  for n, s in zip(rows["numerator"], rows["_hidden"])]
        share_col = t("share_of_named", lng, what=tables.numerator_label(kpi, lng).lower())
        shown[share_col] = [
            SUPPRESSED_SHORT[lng] if h else ("–" if x is None else format_number(x, 1, lng) + "\u00a0%")
            for x, h in zip(shares, rows["_hidden"])]
        exported[share_col] = [SUPPRESSED_SHORT[lng] if h else tables.rounded(x, 1)
                               for x, h in zip(shares, rows["_hidden"])]
        st.caption(t("ranking_caption_named", lng, org=sel.org_name, what=tables.numerator_label(kpi, lng).lower()))
    else:
        st.caption(t("ranking_caption_survey", lng, org=sel.org_name))
    st.dataframe(coloured(shown, lng), hide_index=True, width="stretch")
    ui.export_buttons(exported, f"{kpi.kpi_id}_{sel.org_unit_code}_units_{sel.period:%Y-%m}", lng,
                      header=ui.export_header(sel, kpi=kpi), decimals=tables.export_decimals(kpi, lng))
    if rows["_hidden"].any():
        st.caption(ui.suppressed_text(kpi, sel))


def headline(kpi: ui.Kpi, sel: ui.Selection, row: pd.Series | None, label: str, target, direction,
             target_label: str, extra: tuple[str, str] | None = None) -> None:
    """The figure, its target, its status in colour and words, and how many it concerns."""
    lng = sel.lang
    bare_target = target_text(target, direction or kpi.direction, kpi.unit, kpi.decimals, lng, kpi.kpi_id) \
        .removeprefix(t("target", lng)).strip(" :")
    cols = st.columns(5 if extra else 4)
    suppressed = row is not None and bool(row["suppressed"])
    cols[0].metric(label, t("no_value", lng) if row is None else
                   format_value(row["value"], kpi.unit, kpi.decimals, lng, kpi.kpi_id, suppressed), border=True)
    cols[1].metric(target_label, bare_target, border=True)
    status = None if row is None or is_missing(row["target_value"]) else row["status"]
    words, colour = ui.status_words(status, suppressed and not is_missing(row["target_value"]), lng)
    cols[2].metric(t("status", lng), status_label(status, lng), delta=words, delta_color=colour,
                   delta_arrow="off", border=True)
    people = t("respondents", lng) if kpi.is_survey else t("population_n", lng)
    cols[3].metric(people, "–" if row is None or is_missing(row["population_n"])
                   else format_number(row["population_n"], 0, lng), border=True)
    if extra:
        cols[4].metric(extra[0], extra[1], border=True)
    if suppressed:
        st.caption(ui.suppressed_text(kpi, sel))
