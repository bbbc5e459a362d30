"""What an overview tile shows, computed once for the page, its export and the board pack.

A tile shows one KPI's total figure at the selected unit and month, in the window the
selection asks for unless the KPI's target is set for another window (ui.target_window),
with the change since the same month a year before and a line of up to 24 months.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from streamlit_app import queries, ui
from streamlit_app.fmt import format_month, is_missing, t

SPARK_MONTHS = 24
STATUS_COLOURS = ui.STATUS_COLOURS


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
    # The figure as the previous publish showed it, when the latest publish revised it
    # (queries.revisions: value, suppressed, publish_id); None otherwise.
    revised_from: dict | None = None

    @property
    def suppressed(self) -> bool:
        return self.now is not None and bool(self.now["suppressed"])

    def field(self, name: str):
        return None if self.now is None else self.now[name]


def figures(rows: KpiRows, sel: ui.Selection, waves: set[dt.date] | None = None) -> TileFigures:
    """The tile's window, figure, change since last year and line; a survey index (`waves`:
    the months surveys were held) draws its line through the waves only."""
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
             for p, r in sorted(series.items()) if first <= p <= sel.period and (waves is None or p in waves)]
    return TileFigures(window, now, delta, spark, note)


def _better(delta: float, direction: str | None) -> bool | None:
    """Whether a change is for the better by the catalogue's direction; None without one."""
    if direction == "max":
        return delta < 0
    if direction == "min":
        return delta > 0
    return None


def change_words(fig: TileFigures, kpi: ui.Kpi, still: bool, lng: str, last_year: dt.date) -> str:
    month = format_month(last_year, lng)
    better = None if still or fig.delta is None else _better(fig.delta, kpi.direction)
    key = "vs_last_year" if better is None else "better_than" if better else "worse_than"
    return t(key, lng, month=month)


@dataclass(frozen=True)
class AreaStanding:
    """How many of a strategy area's targets are met, by the figures its tiles show."""

    green: int
    amber: int
    red: int
    without: int  # a target applies but the figure is hidden or missing

    @property
    def targets(self) -> int:
        return self.green + self.amber + self.red + self.without


def standing(figs: list[TileFigures]) -> AreaStanding:
    with_target = [f for f in figs if not is_missing(f.field("target_value"))]
    counts = {s: sum(1 for f in with_target if not f.suppressed and f.field("status") == s)
              for s in STATUS_COLOURS}
    return AreaStanding(counts["green"], counts["amber"], counts["red"],
                        len(with_target) - sum(counts.values()))


Areas = list[tuple[str, list[ui.Kpi]]]


def for_selection(sel: ui.Selection) -> tuple[Areas, dict[str, TileFigures]]:
    """The strategy areas with their KPIs (catalogue order) and every tile's figures for the
    selection: what the overview shows, and the board pack prints."""
    values = queries.org_totals(sel.key, sel.org_unit_code)
    values = values[(values["period"] >= months_before(sel.period, SPARK_MONTHS - 1))
                    & (values["period"] <= sel.period)]
    if values.empty:
        return [], {}
    by_kpi = rows_by_kpi(values)
    catalogue = [k for k in ui.kpis(sel.key, sel.lang) if k.kpi_id in by_kpi]
    waves = set(queries.survey_waves(sel.key)["period"])
    figs = {k.kpi_id: figures(by_kpi[k.kpi_id], sel, waves if k.is_wave else None) for k in catalogue}
    revised = queries.revisions(sel.key, sel.org_unit_code)
    for kpi_id, fig in figs.items():
        before = revised.get((kpi_id, fig.window, sel.period))
        if before is not None and fig.now is not None:
            figs[kpi_id] = dataclasses.replace(fig, revised_from=before)
    return ui.by_area(catalogue, sel.lang), figs
