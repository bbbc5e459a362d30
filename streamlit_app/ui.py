"""What every page shares: the sidebar selection (language, month, org unit), the
messages for a missing or incomplete published file, and the export buttons.

The selection lives in st.session_state and is mirrored to the URL's query parameters
(?org=...&month=...&lang=...), so every page follows it and a link reproduces the view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from hrkpi_config import settings
from streamlit_app import export, queries, times
from streamlit_app.fmt import (DEFAULT_LANG, LANGS, STRATEGY_AREAS, WINDOWS, area_label, extract_label,
                               format_month, t, target_direction, unit_name, window_label)

ORG_LEVELS = (2, 3, 4)  # region (1) is the root; these are picked in the sidebar


@dataclass(frozen=True)
class Selection:
    key: queries.FileKey
    lang: str
    period: dt.date
    org_unit_code: str
    org_name: str
    org_path: str
    window: str
    parameters: dict[str, float] = field(default_factory=dict)

    @property
    def amber_tolerance_pct(self) -> float | None:
        return self.parameters.get("amber_tolerance_pct")


def init_state() -> None:
    """On a session's first run, take the selection from the URL."""
    if st.session_state.get("_initialised"):
        return
    qp = st.query_params
    lang = qp.get("lang", DEFAULT_LANG)
    st.session_state.setdefault("lang", lang if lang in LANGS else DEFAULT_LANG)
    if "org" in qp:
        st.session_state.setdefault("org", qp["org"])
    if "month" in qp:
        try:
            st.session_state.setdefault("period", dt.date.fromisoformat(qp["month"] + "-01"))
        except ValueError:
            pass
    if "kpi" in qp:
        st.session_state.setdefault("kpi", qp["kpi"])
    if qp.get("window") in WINDOWS:
        st.session_state.setdefault("window", qp["window"])
    st.session_state["_initialised"] = True


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANG)


def language_switch() -> str:
    return persistent(st.sidebar.segmented_control, "Språk / Language", list(LANGS), "lang", required=True,
                      format_func=lambda code: {"sv": "Svenska", "en": "English", "fi": "Suomi"}[code])


def published_window(available: set[str], wanted: str) -> str | None:
    """The chosen window, or one the KPI is published for (frisknärvaro: 12 months only)."""
    for w in (wanted, *WINDOWS):
        if w in available:
            return w
    return None


def target_window(available: set[str], with_target: set[str], wanted: str) -> str | None:
    """The window a tile shows: the chosen one, unless the KPI's target is set for other
    windows only (an annual turnover target: rolling 12 months), then the target's window.

    A tile is read against its target, so a month's turnover beside a yearly ceiling would
    mislead; a KPI without any target keeps the chosen window.
    """
    if with_target and wanted not in with_target:
        return published_window(with_target & available, wanted) or published_window(available, wanted)
    return published_window(available, wanted)


def _pick_period(key: queries.FileKey, lng: str) -> dt.date:
    options = sorted(queries.periods(key), reverse=True)
    if not options:
        raise queries.PublishedFileError("marts.kpi_values", "no rows")
    return persistent(st.sidebar.selectbox, t("period", lng), options, "period",
                      format_func=lambda p: format_month(p, lng))


def _pick_org(units: pd.DataFrame, lng: str) -> str:
    """Cascading pickers förvaltning -> verksamhet -> enhet; the deepest choice wins."""
    parent_of = dict(zip(units["org_unit_code"], units["parent_code"]))
    names = dict(zip(units["org_unit_code"], units["name"]))
    roots = units.loc[units["level"] == units["level"].min(), "org_unit_code"].tolist()
    current = st.session_state.get("org")
    if current not in names:
        current = roots[0]
    chain = [current]
    while parent_of.get(chain[-1]) in names:
        chain.append(parent_of[chain[-1]])
    chain.reverse()

    selected = chain[0]
    st.sidebar.markdown(f"**{t('org_unit', lng)}**: {names[selected]}")
    for depth in range(1, len(ORG_LEVELS) + 1):
        children = units.loc[units["parent_code"] == selected].sort_values("name")
        if children.empty:
            break
        codes = children["org_unit_code"].tolist()
        options: list[str | None] = [None, *codes]
        default = chain[depth] if depth < len(chain) and chain[depth] in codes else None
        level = int(children["level"].min())
        choice = st.sidebar.selectbox(
            t(f"level_{level}", lng) if level in ORG_LEVELS else t("unit", lng), options,
            index=options.index(default), format_func=lambda c: t("all", lng) if c is None else names[c],
            key=f"org_under_{selected}",
        )
        if choice is None:
            break
        selected = choice
    return selected


def _path_text(path: object, name: str) -> str:
    """dim_org_unit.path as 'Region / Förvaltning / Enhet', whether stored as text or a list."""
    if isinstance(path, str):
        return path or name
    if path is not None and hasattr(path, "__iter__"):
        return " / ".join(map(str, path))
    return name


def sidebar(key: queries.FileKey) -> Selection:
    lng = lang()
    period = _pick_period(key, lng)
    units = queries.org_units(key, period)
    if units.empty:
        raise queries.PublishedFileError("marts.dim_org_unit", "no org units")
    org = _pick_org(units, lng)
    st.session_state["org"] = org
    window = persistent(st.sidebar.radio, t("window", lng), list(WINDOWS), "window",
                        format_func=lambda w: window_label(w, lng))
    row = units.loc[units["org_unit_code"] == org].iloc[0]
    path_text = _path_text(row["path"], str(row["name"]))
    st.query_params.update({"org": org, "month": f"{period:%Y-%m}", "window": window, "lang": lng})

    published = queries.publish_log(key)
    if not published.empty:
        st.sidebar.caption(t("refreshed", lng, when=times.format_local(published["published_at"].iloc[0], lng)))
    return Selection(key=key, lang=lng, period=period, org_unit_code=org, org_name=str(row["name"]),
                     org_path=path_text, window=window, parameters=queries.parameters(key))


def persistent(widget, label: str, options: list, state_key: str, **kwargs) -> object:
    """A widget whose choice lives in st.session_state[state_key], not in widget state.

    Streamlit drops a widget's state when a run does not draw it (another page, a page
    switch), so the choice is kept under a plain key and copied into the widget each run.
    """
    if st.session_state.get(state_key) not in options:
        st.session_state[state_key] = options[0]
    widget_key = f"_w_{state_key}"
    st.session_state[widget_key] = st.session_state[state_key]

    def keep() -> None:
        if st.session_state.get(widget_key) is not None:
            st.session_state[state_key] = st.session_state[widget_key]

    widget(label, options, key=widget_key, on_change=keep, **kwargs)
    return st.session_state[state_key]


def open_page(page: str, kpi_id: str) -> None:
    st.session_state["kpi"] = kpi_id
    st.switch_page(page)


def current() -> Selection:
    return st.session_state["selection"]


def no_data_message(lng: str) -> None:
    st.title(t("app_title", lng))
    st.info(f"**{t('no_data_title', lng)}**\n\n{t('no_data_body', lng, path=queries.published_file())}")


def unreadable_message(error: queries.PublishedFileError, lng: str) -> None:
    st.warning(f"**{t('unreadable_title', lng)}**\n\n"
               + t("unreadable_body", lng, path=queries.published_file(), table=error.table, error=error.error))


STATUS_COLOURS = {"green": "green", "amber": "orange", "red": "red"}


def status_words(status: str | None, suppressed: bool, lng: str) -> tuple[str | None, str]:
    """What a status means in words, and its colour; (None, 'gray') where no target applies."""
    if suppressed:
        return t("suppressed_word", lng), "gray"
    if status in STATUS_COLOURS:
        return t(f"status_{status}_words", lng), STATUS_COLOURS[status]
    return None, "gray"


def export_header(sel: Selection, kpi: Kpi | None = None, window: str | None = None,
                  month: str | None = None) -> list[tuple[str, str]]:
    """The lines above an exported table: what it is of, for which unit, month and window,
    and which publish it comes from, when (in the organisation's time zone)."""
    lng = sel.lang
    lines = [(t("kpi", lng), kpi.name)] if kpi is not None else []
    if kpi is not None:
        lines.append((t("unit_label", lng), unit_name(kpi.unit, lng, kpi.kpi_id) or "–"))
    lines += [(t("org_unit", lng), sel.org_path),
              (t("period", lng), month or format_month(sel.period, lng)),
              (t("window", lng), window or window_label(sel.window, lng))]
    published = queries.publish_log(sel.key)
    if not published.empty:
        last = published.iloc[0]
        lines.append((t("publish_id", lng), str(last.get("publish_id", "–"))))
        lines.append((t("published", lng), times.format_local(last["published_at"], lng)))
    return lines


def export_buttons(df: pd.DataFrame, name: str, lng: str, header: list[tuple[str, str]] | None = None,
                   decimals: dict[str, int] | None = None) -> None:
    """CSV and Excel of exactly the table shown, under a header saying what it is; built
    only when clicked."""
    row = st.container(horizontal=True)
    row.download_button(t("export_csv", lng), data=lambda: export.to_csv_bytes(df, lng, header),
                        file_name=f"{name}.csv", mime="text/csv", on_click="ignore", key=f"csv_{name}",
                        icon=":material/download:")
    row.download_button(
        t("export_xlsx", lng), data=lambda: export.to_excel_bytes(df, name, header, decimals),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
        key=f"xlsx_{name}", icon=":material/download:",
    )


@dataclass(frozen=True)
class Kpi:
    """One catalogue row in the reader's language."""

    kpi_id: str
    name: str
    area: str
    unit: str | None
    direction: str | None
    decimals: int | None
    definition: str
    source: str
    breakdowns: str
    is_survey: bool
    # seeds/kpi_catalogue.csv named_in_strategy: the HR strategy steers by this KPI.
    named: bool = False
    # What the numerator and denominator count ("Sjukfrånvarotimmar" / "Ordinarie
    # arbetstimmar"), in the reader's language; None where the catalogue has no label.
    numerator_label: str | None = None
    denominator_label: str | None = None
    # A survey index is the latest wave up to the month, not a monthly measurement.
    is_wave: bool = False


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _in_lang(r: dict, sv: str, en: str, lng: str) -> str:
    """The reader's language's column where it is filled (English `en`, Finnish: `sv` with
    `_sv` or the suffix `_fi`), else the Swedish."""
    other = en if lng == "en" else (sv.removesuffix("_sv") + "_fi" if lng == "fi" else None)
    return _text(r.get(other)) if other and _text(r.get(other)) else _text(r.get(sv))


# The catalogue's Swedish and English labels of the KPIs both profiles publish (mean salaries)
# name kronor; a Finnish county's amounts are euro.
CURRENCY_IN_LABELS = {"EUR": (("(kr)", "(€)"), ("(SEK)", "(EUR)"))}


def _in_currency(label: str | None, currency: str) -> str | None:
    for kronor, other in CURRENCY_IN_LABELS.get(currency, ()):
        label = label.replace(kronor, other) if label else label
    return label


def kpis(key: queries.FileKey, lng: str) -> list[Kpi]:
    currency = settings().profile.currency
    out = []
    for r in queries.catalogue(key).to_dict("records"):
        name = _in_lang(r, "name_sv", "name_en", lng)
        definition = _in_lang(r, "definition", "definition_en", lng)
        source = ", ".join(extract_label(x, lng) for x in _text(r.get("source")).split(",") if x.strip())
        decimals = r.get("decimals")
        out.append(Kpi(
            kpi_id=r["kpi_id"], name=name, area=_text(r.get("strategy_area")), unit=_text(r.get("unit")) or None,
            direction=target_direction(_text(r.get("direction"))),
            decimals=None if decimals is None or pd.isna(decimals) else int(decimals),
            definition=definition, source=source, breakdowns=_text(r.get("breakdowns")),
            is_survey=_text(r.get("population_basis")) == "respondents" or "survey" in _text(r.get("source")),
            named=str(r.get("named_in_strategy")).lower() in ("true", "1"),
            numerator_label=_in_currency(_in_lang(r, "numerator_label_sv", "numerator_label_en", lng), currency) or None,
            denominator_label=_in_currency(_in_lang(r, "denominator_label_sv", "denominator_label_en", lng),
                                           currency) or None,
            is_wave=_text(r.get("window_rule")) == "latest_survey",
        ))
    return out


def by_area(kpis: list[Kpi], lng: str) -> list[tuple[str, list[Kpi]]]:
    """(area heading, its KPIs): the strategy's areas in order, then any others."""
    areas = list(STRATEGY_AREAS) + sorted({k.area for k in kpis} - set(STRATEGY_AREAS))
    groups = [(area, [k for k in kpis if k.area == area]) for area in areas]
    return [(area_label(a, lng) if a else t("area_other", lng), ks) for a, ks in groups if ks]


def suppressed_text(kpi: Kpi, sel: Selection) -> str:
    if kpi.is_survey:
        return t("suppressed_respondents", sel.lang, n=int(sel.parameters.get("survey_min_respondents", 5)))
    return t("suppressed_persons", sel.lang, n=int(sel.parameters.get("suppression_max_n", 10)) + 1)
