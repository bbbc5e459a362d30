"""The statutory sick-absence table (marts.sick_leave_statutory) as the annual report shows
it: one row per measure, one column per year, a part year marked in its heading. Used by the
statutory page and the board pack, so both print the same table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from streamlit_app.fmt import (MONTHS, STATUTORY_LABELS, SUPPRESSED_SHORT, format_number, statutory_key,
                               statutory_label, t)


def year_heading(year: int, row: pd.Series, lng: str) -> str:
    """'2024' for a whole year; '2025 (jan–mar: 3 av 12 mån)' for a part of one."""
    n = row.get("months_covered")
    if n is None or pd.isna(n) or int(n) >= 12:
        return str(year)
    first, last = pd.Timestamp(row["first_month"]), pd.Timestamp(row["last_month"])
    names = MONTHS.get(lng, MONTHS["sv"])
    span = names[last.month - 1] if first.month == last.month else f"{names[first.month - 1]}–{names[last.month - 1]}"
    return t("part_year", lng, year=year, span=span, n=int(n))


@dataclass(frozen=True)
class StatutoryTable:
    shown: pd.DataFrame      # formatted text, as on the page and in the copied block
    exported: pd.DataFrame   # numbers rounded as shown
    data: pd.DataFrame       # the mart's rows with their table row key and order
    order: list[str]
    years: list[int]
    headings: dict[int, str]
    part_years: list[str]


def build(data: pd.DataFrame, lng: str) -> StatutoryTable:
    data = data.assign(row=[statutory_key(m, g) for m, g in zip(data["measure"], data["group_value"])])
    order = [k for k in STATUTORY_LABELS if k in set(data["row"])] + sorted(set(data["row"]) - set(STATUTORY_LABELS))
    years = sorted(data["year"].unique(), reverse=True)
    # A year the warehouse holds only part of (the first year loaded, the year to date) says
    # which months it covers, here, in the copied text and in the exports alike.
    coverage = data.drop_duplicates("year").set_index("year")
    headings = {y: year_heading(int(y), coverage.loc[y], lng) for y in years}
    part_years = [headings[y] for y in years if headings[y] != str(y)]
    hidden = SUPPRESSED_SHORT[lng]

    def cell(r: pd.Series, formatted: bool):
        if bool(r["suppressed"]):
            return hidden
        if pd.isna(r["value_pct"]):
            return "–" if formatted else None
        return format_number(r["value_pct"], 1, lng) + "\u00a0%" if formatted else round(float(r["value_pct"]), 1)

    def table(formatted: bool) -> pd.DataFrame:
        out = pd.DataFrame({t("measure", lng): [statutory_label(k, lng) for k in order]})
        for year in years:
            by_row = {r["row"]: cell(r, formatted) for _, r in data[data["year"] == year].iterrows()}
            out[headings[year]] = [by_row.get(k, "–" if formatted else None) for k in order]
        return out

    return StatutoryTable(table(True), table(False), data, order, years, headings, part_years)
