"""UI labels of the strategy summary, the board pack, exports and the other views added for
issue 17, in the same shape as fmt.TEXT (which takes them in): key -> language -> text.

Kept apart from fmt.py so the vocabulary there can move to seeds without touching these.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "better_than": {"sv": "bättre än {month}", "en": "better than {month}"},
    "worse_than": {"sv": "sämre än {month}", "en": "worse than {month}"},
    "named_mark": {"sv": "Strategin", "en": "Strategy"},
    "strategy_standing": {"sv": "Strategins läge", "en": "Where the strategy stands"},
    "count_green": {"sv": "{n} gröna", "en": "{n} green"},
    "one_green": {"sv": "1 grön", "en": "1 green"},
    "count_amber": {"sv": "{n} gula", "en": "{n} amber"},
    "one_amber": {"sv": "1 gul", "en": "1 amber"},
    "count_red": {"sv": "{n} röda", "en": "{n} red"},
    "one_red": {"sv": "1 röd", "en": "1 red"},
    "count_without": {"sv": "{n} utan värde", "en": "{n} without a figure"},
    "targets_met": {"sv": "{n} av {of} mål nås", "en": "{n} of {of} targets met"},
    "no_targets_in_area": {"sv": "Inga mål", "en": "No targets"},
    "other_kpis": {"sv": "Övriga nyckeltal", "en": "Other KPIs"},
    "other_kpis_caption": {"sv": "Nyckeltal som strategin inte styr efter, men som förklarar dess indikatorer.",
                           "en": "KPIs the strategy does not steer by, but that explain its indicators."},
    "named_long": {"sv": "Indikator i HR-strategin", "en": "Indicator named in the HR strategy"},
    "shown_as": {"sv": "Visa som", "en": "Show as"},
    "all_months": {"sv": "alla månader", "en": "all months"},
    "status_green_words": {"sv": "målet nås", "en": "target met"},
    "status_amber_words": {"sv": "nära målet", "en": "near the target"},
    "status_red_words": {"sv": "målet nås inte", "en": "target missed"},
    "suppressed_word": {"sv": "dold", "en": "suppressed"},
    "respondents": {"sv": "Svarande", "en": "Respondents"},
    "response_rate": {"sv": "Svarsfrekvens", "en": "Response rate"},
    "survey": {"sv": "Enkät", "en": "Survey"},
    "latest_survey": {"sv": "Senaste enkät", "en": "Latest survey"},
    "no_survey": {"sv": "Ingen enkät är genomförd till och med {month}.", "en": "No survey was held up to {month}."},
    "waves_title": {"sv": "Enkät för enkät", "en": "Survey by survey"},
    "waves_caption": {
        "sv": "En punkt per enkät: indexet mäts när enkäten görs och gäller till nästa enkät. Håll muspekaren över "
              "en punkt för svarande och svarsfrekvens.",
        "en": "One point per survey: the index is measured when the survey is held and stands until the next. "
              "Hover over a point for respondents and response rate.",
    },
    "share_of_named": {"sv": "Andel av {what}", "en": "Share of {what}"},
    "ranking_caption_named": {
        "sv": "Vilka underliggande enheter driver värdet: sorterat från sämst till bäst mot målets riktning. "
              "Andel = enhetens del av hela {org}s {what}.",
        "en": "Which child units drive the figure: sorted from worst to best against the target's direction. "
              "Share = the unit's part of all {what} of {org}.",
    },
    "ranking_caption_survey": {
        "sv": "Underliggande enheter i senaste enkäten, sorterat från sämst till bäst.",
        "en": "Child units in the latest survey, sorted from worst to best.",
    },
    "publish_id": {"sv": "Publicering nr", "en": "Publish no."},
    "times_in_zone": {"sv": "Tider i organisationens tidszon ({zone}).", "en": "Times in the organisation's time zone ({zone})."},
    "message": {"sv": "Meddelande", "en": "Message"},
    "load_loaded": {"sv": "Inläst", "en": "Loaded"},
    "load_replaced": {"sv": "Ersatt", "en": "Replaced"},
    "load_skipped": {"sv": "Oförändrad, hoppades över", "en": "Unchanged, skipped"},
    "load_rejected": {"sv": "Avvisad", "en": "Rejected"},
    "load_failed": {"sv": "Misslyckad", "en": "Failed"},
    "publish_no": {"sv": "publicering {n}", "en": "publish {n}"},
    "yes": {"sv": "Ja", "en": "Yes"},
    "part_year": {"sv": "{year} ({span}: {n} av 12 mån)", "en": "{year} ({span}: {n} of 12 months)"},
    "part_years": {
        "sv": "Ofullständiga år: {years}. Siffrorna gäller bara de månader som anges och ska inte redovisas som helår.",
        "en": "Part years: {years}. The figures cover only the months named and must not be reported as whole years.",
    },
    "part_year_short": {"sv": "Ofullständiga år", "en": "Part years"},
    "years": {"sv": "alla år", "en": "all years"},
    "window_calendar_year": {"sv": "Kalenderår", "en": "Calendar year"},
    "board_pack": {"sv": "Styrelserapport (PDF)", "en": "Board pack (PDF)"},
    "board_pack_title": {"sv": "HR-nyckeltal – styrelserapport", "en": "HR KPIs – board pack"},
    "trends_named": {"sv": "Strategins indikatorer över tid", "en": "The strategy's indicators over time"},
    "definitions_named": {"sv": "Definitioner", "en": "Definitions"},
    "page_of": {"sv": "sida {n} av {of}", "en": "page {n} of {of}"},
    "tiles_table": {"sv": "Nyckeltal", "en": "KPIs"},
    "change_short": {"sv": "Mot i fjol", "en": "vs last year"},
}
