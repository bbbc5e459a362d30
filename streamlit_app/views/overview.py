"""Overview: every KPI as a tile, grouped by strategy area, for the selected unit and month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from streamlit_app import queries, ui
from streamlit_app.fmt import (SUPPRESSED_SHORT, format_change, format_month, format_value,
                               is_missing, status_label, t, target_text, window_label)

TILES_PER_ROW = 4
SPARK_MONTHS = 24
MIN_SPARK_POINTS = 3
STATUS_COLOURS = {"green": "green", "amber": "orange", "red": "red"}
DELTA_COLOURS = {"max": "inverse", "min": "normal"}


def months_before(period: dt.date, n: int) -> dt.date:
    y, m = divmod(period.year * 12 + period.month - 1 - n, 12)
    return dt.date(y, m + 1, 1)


# One KPI's total rows at the unit: window -> period -> the row as a dict.
KpiRows = dict[str, dict[dt.date, dict]]


def rows_by_kpi(values: pd.DataFrame) -> dict[str, KpiRows]:
    """The unit's rows indexed once for all tiles: plain dicts, as 27 tiles x 3 windows of
    pandas filtering cost more than the rest of the page."""
    out: dict[str, KpiRows] = {}
    for r in values.to_dict("records"):
        out.setdefault(r["kpi_id"], {}).setdefault(r["window"], {})[r["period"]] = r
    return out


@dataclass(frozen=True)
class TileFigures:
    """What one tile shows, computed once for the tile and the table export."""

    window: str | None
    now: dict | None
    delta: float | None
    spark: list[float]
    # Why the tile shows another window than the chosen one (a fmt.TEXT key), or None.
    window_note: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.now is not None and bool(self.now["suppressed"])

    def field(self, name: str):
        return None if self.now is None else self.now[name]


def figures(rows: KpiRows, sel: ui.Selection) -> TileFigures:
    # Windows a target is set for, over all the tile's months: a month without a row (no
    # exits, so no interview rate) says nothing about where the target applies.
    with_target = {w for w, series in rows.items()
                   if any(not is_missing(r["target_value"]) for r in series.values())}
    window = ui.target_window(set(rows), with_target, sel.window)
    note = None
    if window is not None and window != sel.window:
        note = "window_of_target" if sel.window in rows else "window_fallback"
    series = rows.get(window, {}) if window else {}
    now = series.get(sel.period)
    before = series.get(months_before(sel.period, 12))
    delta = None
    if now is not None and before is not None and not now["suppressed"] and not before["suppressed"] \
            and not is_missing(now["value"]) and not is_missing(before["value"]):
        delta = float(now["value"]) - float(before["value"])
    first = months_before(sel.period, SPARK_MONTHS - 1)
    spark = [float("nan") if is_missing(r["value"]) else float(r["value"])
             for p, r in sorted(series.items()) if first <= p <= sel.period]
    return TileFigures(window, now, delta, spark, note)


def tile(kpi: ui.Kpi, fig: TileFigures, sel: ui.Selection) -> None:
    lng = sel.lang
    last_year = months_before(sel.period, 12)
    if fig.now is None:
        value_text = t("no_value", lng)
    else:
        value_text = format_value(fig.field("value"), kpi.unit, kpi.decimals, lng, kpi.kpi_id, fig.suppressed,
                                  compact=True)
    delta_text = format_change(fig.delta, kpi.unit, kpi.decimals, lng, kpi.kpi_id, compact=True,
                               value=fig.field("value"))
    still = delta_text is not None and delta_text.startswith("±")

    # Every tile of a row as tall as the tallest, so the rows line up.
    with st.container(border=True, height="stretch"):
        # The name as text, not as the metric's label: labels are cut to one line.
        st.markdown(f"**{kpi.name}**", help=kpi.definition or None)
        st.metric(
            kpi.name, value_text, delta=delta_text, label_visibility="collapsed",
            delta_color="off" if still else DELTA_COLOURS.get(kpi.direction or "", "off"),
            delta_arrow="off" if still else "auto",
            delta_description=t("vs_last_year", lng, month=format_month(last_year, lng)) if delta_text else None,
            # A line needs a few points; a survey held once would draw a stray dash.
            chart_data=fig.spark if sum(not is_missing(v) for v in fig.spark) >= MIN_SPARK_POINTS else None,
        )
        status = fig.field("status")
        target = fig.field("target_value")
        direction = fig.field("target_direction") or kpi.direction
        if is_missing(target):
            st.markdown(f":gray-badge[{t('no_target', lng).capitalize()}]")
        else:
            badge = SUPPRESSED_SHORT[lng] if fig.suppressed else status_label(status, lng)
            st.markdown(f":{STATUS_COLOURS.get(status, 'gray')}-badge[{badge}] "
                        f"{target_text(target, direction, kpi.unit, kpi.decimals, lng, kpi.kpi_id)}")
        if fig.suppressed:
            st.caption(ui.suppressed_text(kpi, sel))
        if fig.window_note:
            st.caption(t(fig.window_note, lng, window=window_label(fig.window, lng).lower()))
        left, right = st.columns(2)
        if left.button(t("trend", lng), key=f"trend_{kpi.kpi_id}", type="tertiary", icon=":material/show_chart:"):
            ui.open_page("views/kpi.py", kpi.kpi_id)
        if right.button(t("definition", lng), key=f"def_{kpi.kpi_id}", type="tertiary",
                        icon=":material/menu_book:"):
            ui.open_page("views/definitions.py", kpi.kpi_id)


def export_table(shown: list[tuple[str, ui.Kpi, TileFigures]], lng: str) -> pd.DataFrame:
    """The tiles as rows: numbers stay numbers, suppressed figures say 'Dold'."""
    hidden = SUPPRESSED_SHORT[lng]
    return pd.DataFrame([{
        t("strategy_area", lng): area,
        t("kpi", lng): kpi.name,
        t("window", lng): window_label(fig.window, lng) if fig.window else None,
        t("value", lng): hidden if fig.suppressed else fig.field("value"),
        t("target", lng): fig.field("target_value"),
        t("status", lng): hidden if fig.suppressed else status_label(fig.field("status"), lng)
        if isinstance(fig.field("status"), str) else None,
        t("change_last_year", lng): fig.delta,
        t("kpi_id", lng): kpi.kpi_id,
    } for area, kpi, fig in shown])


def main() -> None:
    sel = ui.current()
    lng = sel.lang
    st.title(t("page_overview", lng))
    tol = sel.amber_tolerance_pct
    st.caption(t("overview_caption", lng, org=sel.org_path, window=window_label(sel.window, lng),
                 month=format_month(sel.period, lng), tol=f"{tol:g}" if tol is not None else "?"))
    values = queries.org_totals(sel.key, sel.org_unit_code)
    values = values[(values["period"] >= months_before(sel.period, SPARK_MONTHS - 1))
                    & (values["period"] <= sel.period)]
    if values.empty:
        st.info(t("no_kpis", lng, org=sel.org_name, month=format_month(sel.period, lng)))
        return
    by_kpi = rows_by_kpi(values)
    catalogue = [k for k in ui.kpis(sel.key, lng) if k.kpi_id in by_kpi]
    shown = []
    for heading, in_area in ui.by_area(catalogue, lng):
        st.subheader(heading)
        for start in range(0, len(in_area), TILES_PER_ROW):
            cols = st.columns(TILES_PER_ROW)
            for col, kpi in zip(cols, in_area[start:start + TILES_PER_ROW]):
                fig = figures(by_kpi[kpi.kpi_id], sel)
                shown.append((heading, kpi, fig))
                with col:
                    tile(kpi, fig, sel)
    st.divider()
    ui.export_buttons(export_table(shown, lng), f"oversikt_{sel.org_unit_code}_{sel.window}_{sel.period:%Y-%m}", lng)


main()
