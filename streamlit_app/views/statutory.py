"""The statutory sick-absence table for the annual report, ready to copy."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from streamlit_app import queries, statutory_table, ui
from streamlit_app.fmt import SUPPRESSED_SHORT, format_number, statutory_label, t


def main() -> None:
    sel = ui.current()
    lng = sel.lang
    st.title(t("page_statutory", lng))
    st.caption(t("statutory_intro", lng))
    data = queries.sick_leave_statutory(sel.key)
    if data.empty:
        st.info(t("no_statutory", lng))
        return
    built = statutory_table.build(data, lng)
    data, order, years, headings, part_years = built.data, built.order, built.years, built.headings, built.part_years
    hidden = SUPPRESSED_SHORT[lng]
    if part_years:
        st.warning(t("part_years", lng, years=", ".join(part_years)), icon=":material/warning:")
    shown = built.shown
    # The measure names are long ("varav sjukfrånvaro 60 dagar eller mer, ..."): never cut.
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={t("measure", lng): st.column_config.TextColumn(width="large")})
    if data["suppressed"].astype(bool).any():
        st.caption(t("suppressed_persons", lng, n=int(sel.parameters.get("suppression_max_n", 10)) + 1))
    st.caption(t("copy_hint", lng))
    st.code(shown.to_csv(sep="\t", index=False).strip(), language=None)
    ui.export_buttons(built.exported, "sjukfranvaro_arsredovisning", lng,
                      header=ui.export_header(sel, month=t("years", lng), window=t("window_calendar_year", lng))
                      + ([(t("part_year_short", lng), ", ".join(part_years))] if part_years else []),
                      decimals={headings[y]: 1 for y in years})

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
