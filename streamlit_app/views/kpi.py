"""One KPI: trend against the target, breakdowns, and which child units drive the figure.

The page shows the window its overview tile shows for the same selection (ui.target_window):
a KPI whose target is set for the rolling 12 months opens on the rolling 12 months. A survey
index opens on its survey waves (streamlit_app/waves.py), not on a monthly line.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from streamlit_app import queries, ui, waves
from streamlit_app.fmt import WINDOWS, area_label, format_month, is_missing, t, target_text, window_label
from streamlit_app.kpi_sections import breakdowns, headline, ranking, trend


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
    if kpi.named:
        st.markdown(f":blue-badge[:material/flag: {t('named_long', lng)}]")
    if kpi.is_wave:
        waves.page(kpi, sel)
        return
    windows = queries.kpi_windows(sel.key, kpi_id, sel.org_unit_code)
    with_target = {w for w, has in windows.items() if has}
    # The tile's window for the same selection: a target set for another window takes it.
    window = ui.target_window(set(windows), with_target, sel.window)
    if window is None:
        st.info(t("no_value", lng))
        return
    published = [w for w in WINDOWS if w in windows]
    chosen = st.segmented_control(t("shown_as", lng), published, default=window, required=True,
                                  key=f"kpi_window_{kpi_id}_{sel.window}", format_func=lambda w: window_label(w, lng))
    st.caption(f"{sel.org_path} · {window_label(chosen, lng)} · {format_month(sel.period, lng)}")
    if chosen == window != sel.window:
        note = "window_of_target" if sel.window in windows else "window_fallback"
        st.caption(t(note, lng, window=window_label(window, lng).lower()))
    window = chosen
    sel = dataclasses.replace(sel, window=window)

    series = queries.kpi_series(sel.key, kpi_id, sel.org_unit_code, sel.window)
    now = series[series["period"] == sel.period]
    row = now.iloc[0] if not now.empty else None
    target = None if row is None else row["target_value"]
    direction = None if row is None else row["target_direction"]
    target_label = t("target", lng)
    # The reader chose a window the target is not set for (a month's turnover beside an
    # annual ceiling): the target is shown with its window, and no status is given.
    other_window = ui.published_window(with_target, window) if with_target and window not in with_target else None
    if other_window:
        other = queries.kpi_series(sel.key, kpi_id, sel.org_unit_code, other_window)
        other = other[other["period"] == sel.period]
        if not other.empty:
            target, direction = other["target_value"].iloc[0], other["target_direction"].iloc[0]
            target_label = f"{target_label} ({window_label(other_window, lng).lower()})"
    headline(kpi, sel, row, format_month(sel.period, lng), target, direction, target_label)
    if other_window and not is_missing(target):
        bare = target_text(target, direction or kpi.direction, kpi.unit, kpi.decimals, lng, kpi.kpi_id) \
            .removeprefix(t("target", lng)).strip(" :")
        st.caption(t("target_other_window", lng, window=window_label(other_window, lng).lower(), target=bare))

    if series.empty:
        st.info(t("no_value", lng))
        return
    trend(kpi, sel, series)
    breakdowns(kpi, sel)
    ranking(kpi, sel, row)


main()
