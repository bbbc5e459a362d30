"""Overview: where each strategy area stands, then its named indicators as tiles, then the
other KPIs, for the selected unit and month. The figures are streamlit_app/tiles.py's."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from streamlit_app import board_pack, mobile, tables, tiles, ui
from streamlit_app.fmt import (SUPPRESSED_SHORT, format_change, format_month, format_value, is_missing,
                               status_label, t, target_text, unit_name, window_label)
from streamlit_app.tiles import STATUS_COLOURS, AreaStanding, TileFigures, change_words, months_before, standing

TILES_PER_ROW = 4
MIN_SPARK_POINTS = 3


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
    with st.container(border=True, height="stretch", key=f"tile_{kpi.kpi_id}"):
        # The name as text, not as the metric's label: labels are cut to one line.
        mark = f" :blue-badge[:material/flag: {t('named_mark', lng)}]" if kpi.named else ""
        st.markdown(f"**{kpi.name}**{mark}", help=kpi.definition or None)
        # Green, amber and red mean the target and nothing else: they are the status badge's
        # alone. The line and the change are neutral grey, and whether the change is for the
        # better (by the catalogue's direction) is said in words, so a red tile never has a
        # green line and a KPI without a target is not coloured good or bad.
        st.metric(
            kpi.name, value_text, label_visibility="collapsed",
            # A line needs a few points; a survey held once would draw a stray dash.
            chart_data=fig.spark if sum(not is_missing(v) for v in fig.spark) >= MIN_SPARK_POINTS else None,
        )
        if fig.revised_from is not None:
            revised_mark(kpi, fig.revised_from, lng)
        if delta_text:
            arrow = "" if still else ":material/arrow_upward: " if fig.delta > 0 else ":material/arrow_downward: "
            st.markdown(f":gray-badge[{arrow}{delta_text}] "
                        f":small[{change_words(fig, kpi, still, lng, last_year)}]")
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


def revised_mark(kpi: ui.Kpi, before: dict, lng: str) -> None:
    """The "reviderad" badge: the latest publish changed this figure; the old one on hover."""
    old = format_value(before["value"], kpi.unit, kpi.decimals, lng, kpi.kpi_id, before["suppressed"])
    st.markdown(f":violet-badge[:material/history: {t('revised', lng)}]",
                help=t("revised_help", lng, old=old, n=before["publish_id"]))


def standing_markdown(area: str, s: AreaStanding, lng: str) -> str:
    """'**Sunt och tryggt arbete** :green-badge[2 gröna] :orange-badge[1 gul] ... 2 av 4 mål nås'."""
    if not s.targets:
        return f"**{area}** :gray-badge[{t('no_targets_in_area', lng)}]"
    parts = [f":{STATUS_COLOURS[k]}-badge[{t(f'count_{k}' if n != 1 else f'one_{k}', lng, n=n)}]"
             for k, n in (("green", s.green), ("amber", s.amber), ("red", s.red)) if n]
    if s.without:
        parts.append(f":gray-badge[{t('count_without', lng, n=s.without)}]")
    return f"**{area}** " + " ".join(parts) + " · " + t("targets_met", lng, n=s.green, of=s.targets)


def export_table(shown: list[tuple[str, ui.Kpi, TileFigures]], lng: str) -> pd.DataFrame:
    """The tiles as rows: numbers rounded as the tiles show them, with their unit; suppressed
    figures say 'Dold'."""
    hidden = SUPPRESSED_SHORT[lng]

    def rounded(x, kpi: ui.Kpi):
        return tables.rounded(x, tables.decimals_of(kpi))

    return pd.DataFrame([{
        t("strategy_area", lng): area,
        t("kpi", lng): kpi.name,
        t("named_mark", lng): t("yes", lng) if kpi.named else "",
        t("window", lng): window_label(fig.window, lng) if fig.window else None,
        t("value", lng): hidden if fig.suppressed else rounded(fig.field("value"), kpi),
        t("unit_label", lng): unit_name(kpi.unit, lng, kpi.kpi_id),
        t("target", lng): rounded(fig.field("target_value"), kpi),
        t("status", lng): hidden if fig.suppressed else status_label(fig.field("status"), lng)
        if isinstance(fig.field("status"), str) else None,
        t("change_last_year", lng): rounded(fig.delta, kpi),
        t("kpi_id", lng): kpi.kpi_id,
    } for area, kpi, fig in shown])


def tile_rows(kpis: list[ui.Kpi], figs: dict[str, TileFigures], sel: ui.Selection,
              heading: str, shown: list) -> None:
    for start in range(0, len(kpis), TILES_PER_ROW):
        cols = st.container(key=f"tilerow_{kpis[start].kpi_id}").columns(TILES_PER_ROW)
        for col, kpi in zip(cols, kpis[start:start + TILES_PER_ROW]):
            fig = figs[kpi.kpi_id]
            shown.append((heading, kpi, fig))
            with col:
                tile(kpi, fig, sel)


def main() -> None:
    sel = ui.current()
    lng = sel.lang
    st.title(t("page_overview", lng))
    mobile.compact_tiles_on_phones()
    tol = sel.amber_tolerance_pct
    st.caption(t("overview_caption", lng, org=sel.org_path, window=window_label(sel.window, lng),
                 month=format_month(sel.period, lng), tol=f"{tol:g}" if tol is not None else "?"))
    areas, figs = tiles.for_selection(sel)
    if not figs:
        st.info(t("no_kpis", lng, org=sel.org_name, month=format_month(sel.period, lng)))
        return

    # Where each strategy area stands: one line each, before any tile.
    st.subheader(t("strategy_standing", lng))
    with st.container(border=True):
        for heading, in_area in areas:
            st.markdown(standing_markdown(heading, standing([figs[k.kpi_id] for k in in_area]), lng))

    # The strategy's own indicators first, by area; every other KPI after them.
    shown: list[tuple[str, ui.Kpi, TileFigures]] = []
    for heading, in_area in areas:
        named = [k for k in in_area if k.named]
        if named:
            st.subheader(heading)
            tile_rows(named, figs, sel, heading, shown)
    others = [(h, [k for k in ks if not k.named]) for h, ks in areas]
    if any(ks for _, ks in others):
        st.divider()
        st.header(t("other_kpis", lng))
        st.caption(t("other_kpis_caption", lng))
        for heading, in_area in others:
            if in_area:
                st.subheader(heading)
                tile_rows(in_area, figs, sel, heading, shown)
    st.divider()
    name = f"oversikt_{sel.org_unit_code}_{sel.window}_{sel.period:%Y-%m}"
    ui.export_buttons(export_table(shown, lng), name, lng, header=ui.export_header(sel))
    st.download_button(t("board_pack", lng), data=lambda: board_pack.build(sel), on_click="ignore",
                       file_name=f"styrelserapport_{sel.org_unit_code}_{sel.period:%Y-%m}.pdf",
                       mime="application/pdf", key="board_pack", icon=":material/picture_as_pdf:")


main()
