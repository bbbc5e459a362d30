"""Entry point: `streamlit run streamlit_app/app.py`.

Builds the navigation and the shared sidebar selection, then runs the chosen page. Every
page reads the published DuckDB file only, through streamlit_app/queries.py.
"""

from __future__ import annotations

import streamlit as st

from hrkpi_config import settings
from streamlit_app import queries, ui
from streamlit_app.fmt import t


def main() -> None:
    st.set_page_config(page_title="HR-nyckeltal", page_icon=":material/monitoring:", layout="wide")
    ui.init_state()
    lang = ui.language_switch()
    # The page scripts live in views/, not pages/: a pages/ folder beside the entry point
    # makes Streamlit run a fresh server's first session the old (v1) multipage way, which
    # knows no url_path and shows "Page not found" over a deep link (streamlit issue 9624).
    overview = dict(title=t("page_overview", lang), icon=":material/dashboard:")
    pages = [
        # The default page is served at "/" whatever its url_path; the same script again as
        # a hidden page answers the overview's own link, /oversikt, instead of "Page not found".
        st.Page("views/overview.py", url_path="start", default=True, **overview),
        st.Page("views/overview.py", url_path="oversikt", visibility="hidden", **overview),
        st.Page("views/kpi.py", title=t("page_kpi", lang), icon=":material/show_chart:", url_path="nyckeltal"),
        st.Page("views/staff_supply.py", title=t("page_supply", lang), icon=":material/elderly:",
                url_path="pensionsavgangar"),
        # The organisation profile (HRKPI_PROFILE) picks the statutory page: the Swedish
        # annual-report table, or a Finnish county's henkilöstöraportti.
        st.Page("views/henkilostoraportti.py", title=t("page_personnel_report", lang), icon=":material/table:",
                url_path="henkilostoraportti")
        if settings().profile.statutory_page == "henkilostoraportti" else
        st.Page("views/statutory.py", title=t("page_statutory", lang), icon=":material/table:",
                url_path="arsredovisning"),
        st.Page("views/definitions.py", title=t("page_definitions", lang), icon=":material/menu_book:",
                url_path="definitioner"),
        st.Page("views/data_status.py", title=t("page_status", lang), icon=":material/fact_check:",
                url_path="datastatus"),
    ]
    page = st.navigation(pages)
    key = queries.file_key()
    if key is None:
        ui.no_data_message(lang)
        return
    try:
        st.session_state["selection"] = ui.sidebar(key)
        page.run()
    except queries.PublishedFileError as e:
        ui.unreadable_message(e, lang)


main()
