"""Definitions: each KPI's definition, formula, unit, direction and source from the catalogue."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from streamlit_app import queries, ui
from streamlit_app.fmt import breakdown_label, t, target_text, unit_name, window_label


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value).strip() != ""


def main() -> None:
    sel = ui.current()
    lng = sel.lang
    st.title(t("page_definitions", lng))
    kpis = ui.kpis(sel.key, lng)
    raw = {r["kpi_id"]: r for r in queries.catalogue(sel.key).to_dict("records")}
    targets = queries.organisation_targets(sel.key, sel.period)
    chosen = st.session_state.get("kpi")
    for heading, in_area in ui.by_area(kpis, lng):
        st.subheader(heading)
        for kpi in in_area:
            r = raw[kpi.kpi_id]
            with st.expander(kpi.name, expanded=kpi.kpi_id == chosen):
                st.markdown(kpi.definition or "–")
                facts = []
                if _present(r.get("formula")):
                    facts.append(f"**{t('formula', lng)}:** {r['formula']}")
                facts.append(f"**{t('unit_label', lng)}:** {unit_name(kpi.unit, lng, kpi.kpi_id) or '–'}")
                if kpi.numerator_label and not kpi.is_wave:
                    facts.append(f"**{t('numerator', lng)}:** {kpi.numerator_label}")
                if kpi.denominator_label and not kpi.is_wave:
                    facts.append(f"**{t('denominator', lng)}:** {kpi.denominator_label}")
                if kpi.source:
                    facts.append(f"**{t('source', lng)}:** {kpi.source}")
                facts.append(f"**{t('direction', lng)}:** {t('direction_' + (kpi.direction or 'none'), lng)}")
                for tr in targets[targets["kpi_id"] == kpi.kpi_id].to_dict("records"):
                    text = target_text(tr["target_value"], tr["direction"], kpi.unit, kpi.decimals, lng, kpi.kpi_id)
                    text = text.removeprefix(t("target", lng)).strip(" :")
                    if _present(tr["target_window"]):
                        text += " · " + t("target_for_window", lng, window=window_label(tr["target_window"], lng).lower())
                    facts.append(f"**{t('target_organisation', lng)}:** {text}")
                if kpi.breakdowns:
                    names = [breakdown_label(b.strip(), lng) for b in kpi.breakdowns.replace("|", ",").split(",")
                             if b.strip() and b.strip() != "total"]
                    if names:
                        facts.append(f"**{t('breakdowns', lng)}:** {', '.join(names)}")
                facts.append(f"**{t('kpi_id', lng)}:** `{kpi.kpi_id}`")
                st.markdown("  \n".join(facts))


main()
