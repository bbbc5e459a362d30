"""The statutory sick-absence table for the annual report, ready to copy."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from streamlit_app import queries, ui
from streamlit_app.fmt import (STATUTORY_LABELS, SUPPRESSED_SHORT, format_month, format_number, statutory_key,
                               statutory_label, t)


def main() -> None:
    sel = ui.current()
    lng = sel.lang
    st.title(t("page_statutory", lng))
    st.caption(t("statutory_intro", lng))
    data = queries.sick_leave_statutory(sel.key)
    if data.empty:
        st.info(t("no_statutory", lng))
        return
    data = data.assign(row=[statutory_key(m, g) for m, g in zip(data["measure"], data["group_value"])])
    order = [k for k in STATUTORY_LABELS if k in set(data["row"])] + sorted(set(data["row"]) - set(STATUTORY_LABELS))
    years = sorted(data["year"].unique(), reverse=True)
    # The latest year may be incomplete: its figures are the year to date.
    last = max(queries.periods(sel.key))
    headings = {y: (f"{y} ({t('year_to', lng, month=format_month(last, lng))})"
                    if y == last.year and last.month < 12 else str(y)) for y in years}
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

    shown = table(True)
    # The measure names are long ("varav sjukfrånvaro 60 dagar eller mer, ..."): never cut.
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={t("measure", lng): st.column_config.TextColumn(width="large")})
    if data["suppressed"].astype(bool).any():
        st.caption(t("suppressed_persons", lng, n=int(sel.parameters.get("suppression_max_n", 10)) + 1))
    st.caption(t("copy_hint", lng))
    st.code(shown.to_csv(sep="\t", index=False).strip(), language=None)
    ui.export_buttons(table(False), "sjukfranvaro_arsredovisning", lng)

    with st.expander(t("sick_hours", lng) + " / " + t("ordinary_hours", lng)):
        data = data.assign(_order=[order.index(k) for k in data["row"]]).sort_values(["year", "_order"],
                                                                                      ascending=[False, True])
        detail = pd.DataFrame({
            t("year", lng): data["year"].astype(str),
            t("measure", lng): [statutory_label(k, lng) for k in data["row"]],
            t("sick_hours", lng): [hidden if s else format_number(v, 0, lng)
                                   for v, s in zip(data["numerator_hours"], data["suppressed"])],
            t("ordinary_hours", lng): [hidden if s else format_number(v, 0, lng)
                                       for v, s in zip(data["denominator_hours"], data["suppressed"])],
            t("population_n", lng): [format_number(v, 0, lng) for v in data["population_n"]],
        })
        st.dataframe(detail, hide_index=True, width="stretch")


main()
