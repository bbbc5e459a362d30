"""Staff supply outlook: how many of today's staff reach the retirement age in each of the
next ten years, for the selected unit, overall and per profession group
(marts.staff_supply_outlook). Hidden counts say so; none is shown as zero.

The outlook starts from the latest loaded month whatever month the sidebar shows: it is
about the years ahead, and the mart is built for the latest month only.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hrkpi_config import settings
from streamlit_app import charts, queries, ui
from streamlit_app.fmt import SUPPRESSED_SHORT, format_month, format_number, is_missing, t


def age_text(ages: pd.DataFrame, lng: str) -> str:
    """'69 år' for one age; '63–65 år efter födelseår' where it depends on the birth year."""
    years = [a + m / 12 for a, m in zip(ages["age_years"], ages["age_months"])]
    if not years:
        return "–"

    def shown(y: float) -> str:
        return format_number(y, 0 if float(y).is_integer() else 2, lng)

    lo, hi = min(years), max(years)
    if lo == hi:
        return t("supply_age_years", lng, age=shown(lo))
    return t("supply_age_range", lng, lo=shown(lo), hi=shown(hi))


def cell_text(n, share, suppressed: bool, lng: str, show: str = "both") -> str:
    """'43 (4,2 %)', or the count or the share alone ('43', '4,2 %'); 'Dold' when hidden."""
    if suppressed or is_missing(n):
        return SUPPRESSED_SHORT.get(lng, SUPPRESSED_SHORT["sv"])
    count, pct = format_number(n, 0, lng), f"{format_number(share, 1, lng)}\u00a0%"
    return {"count": count, "share": pct}.get(show, f"{count} ({pct})")


def year_heading(row, lng: str) -> str:
    year = int(row["year"])
    return t("supply_year_zero", lng, year=year) if int(row["year_offset"]) == 0 else str(year)


def group_table(data: pd.DataFrame, names: dict[str, str], lng: str, show: str) -> pd.DataFrame:
    """One row per profession group (all groups first): staff today and a column per year,
    with the count or the share (`show`) in each: both would not fit eleven years across."""
    order = ["total"] + [g for g in names if g in set(data["profession_group"])]
    order += sorted(set(data["profession_group"]) - set(order))
    month = format_month(data["period"].iloc[0], lng)
    rows = []
    for group in order:
        part = data[data["profession_group"] == group].sort_values("year_offset")
        if part.empty:
            continue
        row = {t("supply_group", lng): t("supply_total", lng) if group == "total" else names.get(group, group),
               t("supply_staff", lng, month=month): format_number(part["staff_n"].iloc[0], 0, lng)}
        for r in part.itertuples(index=False):
            row[year_heading(r._asdict(), lng)] = cell_text(r.reaching_n, r.reaching_share_pct, bool(r.suppressed),
                                                            lng, show)
        rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    sel = ui.current()
    lng = sel.lang
    st.title(t("page_supply", lng))
    data = queries.staff_supply(sel.key, sel.org_unit_code)
    if data.empty:
        st.info(t("supply_none", lng, org=sel.org_name))
        return
    ages = queries.retirement_ages(sel.key, settings().profile_code)
    month = format_month(data["period"].iloc[0], lng)
    st.caption(f"{sel.org_path} · {month}")
    if sel.period != data["period"].iloc[0]:
        st.caption(t("supply_latest_month", lng, month=month))
    st.markdown(t("supply_intro", lng, month=month, age=age_text(ages, lng)))

    total = data[data["profession_group"] == "total"].sort_values("year_offset")
    st.subheader(t("supply_total", lng))
    bars = pd.DataFrame({
        "label": [year_heading(r, lng) for _, r in total.iterrows()],
        "value": [None if bool(s) else n for n, s in zip(total["reaching_n"], total["suppressed"])],
        "value_text": [cell_text(n, p, bool(s), lng)
                       for n, p, s in zip(total["reaching_n"], total["reaching_share_pct"], total["suppressed"])],
    })
    st.altair_chart(charts.breakdown_chart(bars, lng, t("supply_reaching", lng)), width="stretch")

    st.subheader(t("supply_by_group", lng))
    show = st.segmented_control(t("shown_as", lng), ["count", "share"], default="count", required=True,
                                key="supply_show",
                                format_func=lambda v: t("supply_count" if v == "count" else "supply_share", lng))
    table = group_table(data, queries.profession_group_names(sel.key, lng), lng, show)
    st.dataframe(table, hide_index=True, width="stretch")
    first_year = int(data["year"].min())
    st.caption(t("supply_cell_hint_share" if show == "share" else "supply_cell_hint", lng, year=first_year))
    hidden = data["suppressed"].astype(bool)
    if hidden.any():
        # The small-group rule, said where the hidden cells are.
        max_n = int(sel.parameters.get("suppression_max_n", 10))
        st.caption(t("suppressed_persons", lng, n=max_n + 1))
        if (hidden & (data["staff_n"] > max_n)).any():
            st.caption(t("supply_neighbours", lng))
    ui.export_buttons(table, f"pensionsavgangar_{sel.org_unit_code}", lng,
                      header=ui.export_header(sel, month=month, window=t("supply_next_years", lng))
                      + [(t("supply_age", lng), age_text(ages, lng)),
                         (t("supply_shows", lng), t("supply_count" if show == "count" else "supply_share", lng))])

    with st.expander(t("supply_source", lng)):
        def birth_years(lo, hi) -> str:
            if is_missing(lo) and is_missing(hi):
                return t("all", lng)
            return f"{'' if is_missing(lo) else int(lo)}–{'' if is_missing(hi) else int(hi)}"

        st.dataframe(pd.DataFrame({
            t("supply_birth_years", lng): [birth_years(a, b) for a, b in zip(ages["birth_year_from"], ages["birth_year_to"])],
            t("supply_age", lng): [age_text(ages.iloc[[i]], lng) for i in range(len(ages))],
            t("supply_basis", lng): ages["basis"],
            t("source", lng): ages["source_url"],
        }), hide_index=True, width="stretch",
            column_config={t("source", lng): st.column_config.LinkColumn(display_text=None)})


main()
