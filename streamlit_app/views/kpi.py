"""One KPI: trend against the target, breakdowns, and which child units drive the figure."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from streamlit_app import charts, queries, ui
from streamlit_app.fmt import (BREAKDOWNS, SUPPRESSED_SHORT, area_label, breakdown_label, breakdown_order,
                               breakdown_value_label, format_month, format_number, format_value, is_missing,
                               status_label, t, target_text, window_label)

STATUS_BACKGROUNDS = {"green": "#e3f1e4", "amber": "#fdf1cf", "red": "#f8dcdc"}


def coloured(table: pd.DataFrame, lng: str):
    """The status column tinted like a traffic light."""
    colours = {status_label(s, lng): c for s, c in STATUS_BACKGROUNDS.items()}
    return table.style.map(lambda v: f"background-color: {colours[v]}" if v in colours else "",
                           subset=[t("status", lng)])


def whole_or_two(x) -> int:
    return 0 if not is_missing(x) and float(x).is_integer() else 2


def kpi_table(rows: pd.DataFrame, kpi: ui.Kpi, lng: str, first_col: str, first_values: list,
              formatted: bool) -> pd.DataFrame:
    """The rows as shown (formatted text) or as exported (numbers; 'Dold' where suppressed)."""
    hidden = SUPPRESSED_SHORT[lng]

    def num(x, decimals: int | None, suppressed: bool):
        if suppressed:
            return hidden
        if formatted:
            return format_number(x, decimals if decimals is not None else 2, lng) if not is_missing(x) else "–"
        return None if is_missing(x) else float(x)

    out = pd.DataFrame({first_col: first_values})
    out[t("value", lng)] = [
        format_value(v, kpi.unit, kpi.decimals, lng, kpi.kpi_id, s) if formatted else num(v, None, s)
        for v, s in zip(rows["value"], rows["suppressed"])
    ]
    out[t("target", lng)] = [
        (format_value(v, kpi.unit, kpi.decimals, lng, kpi.kpi_id) if not is_missing(v) else "–") if formatted
        else num(v, None, False) for v in rows["target_value"]
    ]
    out[t("status", lng)] = [
        status_label(s, lng) if isinstance(s, str) else (hidden if sup else "–" if formatted else None)
        for s, sup in zip(rows["status"], rows["suppressed"])
    ]
    # Counts (exits, hours) read as counts; means (mean headcount 29,08) keep two decimals.
    out[t("numerator", lng)] = [num(v, whole_or_two(v), s) for v, s in zip(rows["numerator"], rows["suppressed"])]
    out[t("denominator", lng)] = [num(v, whole_or_two(v), s)
                                  for v, s in zip(rows["denominator"], rows["suppressed"])]
    out[t("population_n", lng)] = [num(v, 0, False) for v in rows["population_n"]]
    return out


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
    st.altair_chart(charts.trend_chart(data, direction, sel.amber_tolerance_pct, lng, kpi.name, t("target", lng)),
                    width="stretch")
    notes = []
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
        ui.export_buttons(kpi_table(series, kpi, lng, t("period", lng), list(series["period"]), False),
                          f"{kpi.kpi_id}_{sel.org_unit_code}_{sel.window}", lng)


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
                      f"{kpi.kpi_id}_{sel.org_unit_code}_{breakdown}_{sel.period:%Y-%m}", lng)
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
    total = None if parent_row is None or bool(parent_row["suppressed"]) else parent_row["numerator"]
    shares = [None if s or is_missing(n) or is_missing(total) or not total else float(n) / float(total) * 100
              for n, s in zip(rows["numerator"], rows["_hidden"])]
    shown = kpi_table(rows, kpi, lng, t("unit", lng), list(rows["name"]), True)
    shown[t("share_of_numerator", lng)] = [
        SUPPRESSED_SHORT[lng] if h else ("–" if x is None else format_number(x, 1, lng) + "\u00a0%")
        for x, h in zip(shares, rows["_hidden"])]
    st.caption(t("ranking_caption", lng, org=sel.org_name))
    st.dataframe(coloured(shown, lng), hide_index=True, width="stretch")
    exported = kpi_table(rows, kpi, lng, t("unit", lng), list(rows["name"]), False)
    exported[t("share_of_numerator", lng)] = [SUPPRESSED_SHORT[lng] if h else x
                                              for x, h in zip(shares, rows["_hidden"])]
    ui.export_buttons(exported, f"{kpi.kpi_id}_{sel.org_unit_code}_units_{sel.period:%Y-%m}", lng)
    if rows["_hidden"].any():
        st.caption(ui.suppressed_text(kpi, sel))


def main() -> None:
    sel = ui.current()
    lng = sel.lang
    catalogue = ui.kpis(sel.key, lng)
    if not catalogue:
        st.info(t("no_kpis", lng, org=sel.org_name, month=format_month(sel.period, lng)))
        return
    by_id = {k.kpi_id: k for k in catalogue}
    kpi_id = ui.persistent(
        st.selectbox, t("select_kpi", lng), list(by_id), "kpi",
        format_func=lambda k: f"{by_id[k].name} ({area_label(by_id[k].area, lng)})")
    st.query_params["kpi"] = kpi_id
    kpi = by_id[kpi_id]
    st.title(kpi.name)
    windows = queries.kpi_windows(sel.key, kpi_id, sel.org_unit_code)
    window = ui.published_window(set(windows), sel.window)
    if window is None:
        st.info(t("no_value", lng))
        return
    st.caption(f"{sel.org_path} · {window_label(window, lng)} · {format_month(sel.period, lng)}")
    if window != sel.window:
        st.caption(t("window_fallback", lng, window=window_label(window, lng).lower()))
        sel = dataclasses.replace(sel, window=window)

    series = queries.kpi_series(sel.key, kpi_id, sel.org_unit_code, sel.window)
    now = series[series["period"] == sel.period]
    row = now.iloc[0] if not now.empty else None
    target = None if row is None else row["target_value"]
    direction = None if row is None else row["target_direction"]
    target_label = t("target", lng)
    # An annual target applies to rolling 12 months only: beside a month's figure it is
    # shown with its window, and no status is given.
    with_target = {w for w, has in windows.items() if has}
    other_window = ui.published_window(with_target, window) if with_target and window not in with_target else None
    if other_window:
        other = queries.kpi_series(sel.key, kpi_id, sel.org_unit_code, other_window)
        other = other[other["period"] == sel.period]
        if not other.empty:
            target, direction = other["target_value"].iloc[0], other["target_direction"].iloc[0]
            target_label = f"{target_label} ({window_label(other_window, lng).lower()})"
    bare_target = target_text(target, direction or kpi.direction, kpi.unit, kpi.decimals, lng, kpi.kpi_id) \
        .removeprefix(t("target", lng)).strip(" :")
    c1, c2, c3, c4 = st.columns(4)
    suppressed = row is not None and bool(row["suppressed"])
    c1.metric(format_month(sel.period, lng),
              t("no_value", lng) if row is None else
              format_value(row["value"], kpi.unit, kpi.decimals, lng, kpi.kpi_id, suppressed), border=True)
    c2.metric(target_label, bare_target, border=True)
    status = None if row is None else row["status"]
    c3.metric(t("status", lng), status_label(status, lng), border=True)
    c4.metric(t("population_n", lng),
              "–" if row is None or is_missing(row["population_n"]) else format_number(row["population_n"], 0, lng),
              border=True)
    if suppressed:
        st.caption(ui.suppressed_text(kpi, sel))
    if other_window and not is_missing(target):
        st.caption(t("target_other_window", lng, window=window_label(other_window, lng).lower(), target=bare_target))

    if series.empty:
        st.info(t("no_value", lng))
        return
    trend(kpi, sel, series)
    breakdowns(kpi, sel)
    ranking(kpi, sel, row)


main()
