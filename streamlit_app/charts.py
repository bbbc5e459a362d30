"""Altair charts: the KPI trend with its target and status bands, and breakdown bars."""

from __future__ import annotations

import altair as alt
import pandas as pd

from streamlit_app.fmt import MONTHS

GREEN, AMBER, RED = "#2e7d32", "#f9a825", "#c62828"
LINE = "#1f3b73"
REFERENCE = "#7b1fa2"  # national reference lines: neither the value's blue nor the target's grey


def vega_locale(lang: str) -> dict:
    """Decimal comma and Swedish (or Finnish) month names on the axes."""
    if lang == "fi":
        from streamlit_app.fmt_fi import MONTHS_FI, MONTHS_LONG_FI

        return {
            "number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0€"]},
            "time": {
                "dateTime": "%A %e. %Bta %Y klo %X", "date": "%d.%m.%Y", "time": "%H:%M:%S",
                "periods": ["ap.", "ip."],
                "days": ["sunnuntai", "maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai"],
                "shortDays": ["su", "ma", "ti", "ke", "to", "pe", "la"],
                "months": MONTHS_LONG_FI,
                "shortMonths": MONTHS_FI,
            },
        }
    if lang != "sv":
        return {}
    return {
        "number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]},
        "time": {
            "dateTime": "%A %e %B %Y kl. %X", "date": "%Y-%m-%d", "time": "%H:%M:%S",
            "periods": ["fm", "em"],
            "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
            "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
            "months": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                       "oktober", "november", "december"],
            "shortMonths": MONTHS["sv"],
        },
    }


def status_bands(series: pd.DataFrame, direction: str | None, tolerance_pct: float | None,
                 lo: float, hi: float) -> pd.DataFrame:
    """One row per month and band (green/amber/red) with its lower and upper edge."""
    rows = []
    if direction not in ("max", "min") or tolerance_pct is None:
        return pd.DataFrame(columns=["period", "band", "lo", "hi"])
    tol = tolerance_pct / 100
    for period, target in zip(series["period"], series["target_value"]):
        if pd.isna(target):
            continue
        if direction == "max":
            edges = [("green", lo, target), ("amber", target, target * (1 + tol)), ("red", target * (1 + tol), hi)]
        else:
            edges = [("red", lo, target * (1 - tol)), ("amber", target * (1 - tol), target), ("green", target, hi)]
        rows += [{"period": period, "band": b, "lo": max(a, lo), "hi": min(z, hi)} for b, a, z in edges]
    return pd.DataFrame(rows)


def trend_chart(series: pd.DataFrame, direction: str | None, tolerance_pct: float | None, lang: str,
                value_title: str, target_title: str, references: list[tuple[float, str]] = ()) -> alt.Chart:
    """Value line over all months, the target as a dashed step line, status bands behind,
    and each national reference (value, label) as a dotted rule labelled at its left end.

    `series` has period (date), value, target_value and value_text / target_text for tooltips;
    suppressed months have value NaN and show as gaps.
    """
    data = series.assign(period=pd.to_datetime(series["period"]))
    refs = pd.DataFrame(list(references), columns=["ref_value", "ref_label"])
    known = pd.concat([data["value"], data["target_value"], refs["ref_value"]]).dropna()
    if tolerance_pct is not None:
        known = pd.concat([known, data["target_value"].dropna() * (1 + tolerance_pct / 100),
                           data["target_value"].dropna() * (1 - tolerance_pct / 100)])
    lo, hi = (float(known.min()), float(known.max())) if not known.empty else (0.0, 1.0)
    pad = (hi - lo) * 0.15 or abs(hi) * 0.1 or 1.0
    lo, hi = (0.0 if lo >= 0 and lo - pad < 0 else lo - pad), hi + pad
    y_scale = alt.Scale(domain=[lo, hi], nice=False, zero=False)
    x = alt.X("period:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month"))

    layers = []
    bands = status_bands(series, direction, tolerance_pct, lo, hi)
    if not bands.empty:
        bands["period"] = pd.to_datetime(bands["period"])
        layers.append(
            alt.Chart(bands).mark_area(opacity=0.13, interpolate="step-after").encode(
                x=x, y=alt.Y("lo:Q", scale=y_scale, title=value_title), y2="hi:Q",
                color=alt.Color("band:N", scale=alt.Scale(domain=["green", "amber", "red"], range=[GREEN, AMBER, RED]),
                                legend=None),
                detail="band:N",
            )
        )
    if data["target_value"].notna().any():
        layers.append(
            alt.Chart(data).mark_line(interpolate="step-after", strokeDash=[6, 4], color="#555", strokeWidth=1.5)
            .encode(x=x, y=alt.Y("target_value:Q", scale=y_scale),
                    tooltip=[alt.Tooltip("period_text:N", title=" "), alt.Tooltip("target_text:N", title=target_title)])
        )
    if not refs.empty:
        refs["period"] = data["period"].min()
        rule = alt.Chart(refs).encode(y=alt.Y("ref_value:Q", scale=y_scale),
                                      tooltip=[alt.Tooltip("ref_label:N", title=" ")])
        layers.append(rule.mark_rule(color=REFERENCE, strokeDash=[2, 3], strokeWidth=2))
        layers.append(rule.mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=REFERENCE, fontSize=12)
                      .encode(x=x, text="ref_label:N"))
    layers.append(
        alt.Chart(data).mark_line(point=True, color=LINE, strokeWidth=2.5, invalid="break-paths-show-domains")
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale, title=value_title),
                tooltip=[alt.Tooltip("period_text:N", title=" "), alt.Tooltip("value_text:N", title=value_title),
                         alt.Tooltip("target_text:N", title=target_title)])
    )
    chart = alt.layer(*layers).properties(height=340)
    locale = vega_locale(lang)
    return chart.configure(locale=locale) if locale else chart


def breakdown_height(n_bars: int) -> int:
    return 60 + 34 * n_bars


def breakdown_chart(rows: pd.DataFrame, lang: str, value_title: str) -> alt.Chart:
    """Horizontal bars per breakdown value; suppressed values labelled instead of drawn as zero."""
    data = rows.assign(value_or_zero=rows["value"].fillna(0))
    bars = alt.Chart(data).mark_bar(color=LINE).encode(
        # A few round ticks: the bars carry their own labels, a dense axis only clutters.
        x=alt.X("value:Q", title=value_title, axis=alt.Axis(tickCount=5)),
        y=alt.Y("label:N", sort=list(data["label"]), title=None),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value_text:N", title=value_title)],
    )
    text = alt.Chart(data).mark_text(align="left", dx=4, color="#333").encode(
        x=alt.X("value_or_zero:Q"), y=alt.Y("label:N", sort=list(data["label"])), text="value_text:N",
    )
    chart = alt.layer(bars, text).properties(height=breakdown_height(len(data)))
    locale = vega_locale(lang)
    return chart.configure(locale=locale) if locale else chart


def wave_chart(waves: pd.DataFrame, lang: str, value_title: str, target_title: str, respondents_title: str,
               rate_title: str) -> alt.Chart:
    """A point per survey wave, labelled with the wave's name, and the target as a dashed rule.

    `waves` has period (the survey's month), label, value (NaN where suppressed), target_value
    and the tooltips' texts. Points are not joined: between two surveys nothing was measured.
    """
    data = waves.assign(period=pd.to_datetime(waves["period"]))
    known = pd.concat([data["value"], data["target_value"]]).dropna()
    lo, hi = (float(known.min()), float(known.max())) if not known.empty else (0.0, 100.0)
    # A wide margin: a change of a point between surveys should not look like a cliff.
    pad = max((hi - lo) * 0.5, abs(hi) * 0.08, 1.0)
    y_scale = alt.Scale(domain=[max(lo - pad, 0.0), hi + pad], nice=True, zero=False)
    first, last = data["period"].min(), data["period"].max()
    x_scale = alt.Scale(domain=[first - pd.DateOffset(months=6), last + pd.DateOffset(months=6)])
    x = alt.X("period:T", title=None, scale=x_scale, axis=alt.Axis(format="%b %Y", labelAngle=0))
    tooltip = [alt.Tooltip("label:N", title=" "), alt.Tooltip("value_text:N", title=value_title),
               alt.Tooltip("target_text:N", title=target_title),
               alt.Tooltip("respondents_text:N", title=respondents_title),
               alt.Tooltip("rate_text:N", title=rate_title)]
    layers = []
    target = data["target_value"].dropna()
    if not target.empty:
        layers.append(alt.Chart(data).mark_rule(strokeDash=[6, 4], color="#555", strokeWidth=1.5)
                      .encode(y=alt.Y("target_value:Q", scale=y_scale)))
    base = alt.Chart(data).encode(x=x, y=alt.Y("value:Q", scale=y_scale, title=value_title), tooltip=tooltip)
    layers.append(base.mark_point(filled=True, size=140, color=LINE))
    layers.append(base.mark_text(dy=-16, color="#333", fontSize=12).encode(text="label:N"))
    layers.append(base.mark_text(dy=18, color="#333", fontSize=12).encode(text="value_text:N"))
    chart = alt.layer(*layers).properties(height=300)
    locale = vega_locale(lang)
    return chart.configure(locale=locale) if locale else chart
