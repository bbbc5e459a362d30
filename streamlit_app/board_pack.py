"""The board pack: one PDF for a unit and month, with the figures the overview shows.

Page by page: where each strategy area stands and every tile's figure (streamlit_app/tiles.py,
the overview's own computation), the trends of the strategy's named indicators, the
statutory sick-leave table (streamlit_app/statutory_table.py) and the named indicators'
definitions. A trend whose KPI has a national reference figure for the organisation type
(streamlit_app/references.py) draws it as a labelled dotted line, its source under the definition. Every page names the organisation, month, window, publish and its time.

Written with fpdf2 and its built-in Helvetica, so no font file is needed; that font has
Latin-1 letters (å, ä, ö, é) but not '≤', '≥' or '–', which are spelled out ('högst').
"""

from __future__ import annotations

from fpdf import FPDF

from streamlit_app import queries, references, statutory_table, tiles, times, ui
from streamlit_app.fmt import (SUPPRESSED_SHORT, format_change, format_month, format_value, is_missing,
                               status_label, t, target_text, window_label)

STATUS_FILL = {"green": (227, 241, 228), "amber": (253, 241, 207), "red": (248, 220, 220)}
LINE = (31, 59, 115)
GREY = (110, 110, 110)
REFERENCE = (123, 31, 162)  # the dashboard's reference colour (charts.REFERENCE)
_REPLACE = {"≤ ": "högst ", "≥ ": "minst ", "≤": "<=", "≥": ">=", "–": "-", "—": "-", "\u00a0": " ", "’": "'"}
_REPLACE_EN = {"≤ ": "at most ", "≥ ": "at least "}


def pdf_text(text: str, lng: str = "sv") -> str:
    """Text the core font can print: comparison signs in words, other characters Latin-1."""
    for a, b in [*(_REPLACE_EN.items() if lng == "en" else []), *_REPLACE.items()]:
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


class BoardPack(FPDF):
    def __init__(self, sel: ui.Selection, published: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.sel = sel
        self.published = published
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 22, 15)
        self.alias_nb_pages("{nb}")

    def txt(self, text: str) -> str:
        return pdf_text(text, self.sel.lang)

    def header(self) -> None:
        lng = self.sel.lang
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*GREY)
        self.set_xy(15, 8)
        self.cell(0, 4, self.txt(f"{t('board_pack_title', lng)} · {self.sel.org_path}"), align="L")
        self.set_xy(15, 12)
        self.cell(0, 4, self.txt(f"{format_month(self.sel.period, lng)} · {window_label(self.sel.window, lng)} · "
                                 f"{self.published}"), align="L")
        self.set_text_color(0, 0, 0)
        self.set_y(22)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(*GREY)
        page = t("page_of", self.sel.lang, n=self.page_no(), of="{nb}")
        self.cell(0, 5, self.txt(f"{self.sel.org_name} · {format_month(self.sel.period, self.sel.lang)} · "
                                 f"{self.published} · {page}"), align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: int = 13) -> None:
        self.set_font("Helvetica", "B", size)
        self.cell(0, 8, self.txt(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 9)

    def fit(self, text: str, width: float) -> str:
        """The text, shortened with '...' where it would run into the next column."""
        text = self.txt(text)
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "...") > width:
            text = text[:-1]
        return text.rstrip() + "..."

    def row(self, cells: list[str], widths: list[float], bold: bool = False, fills: dict[int, tuple] | None = None,
            height: float = 6) -> None:
        self.set_font("Helvetica", "B" if bold else "", 9)
        for i, (text, w) in enumerate(zip(cells, widths)):
            text = self.fit(text, w - 1.5)
            fill = (fills or {}).get(i)
            if fill:
                self.set_fill_color(*fill)
            self.cell(w, height, text, border="B", fill=bool(fill), align="L" if i == 0 else "R")
        self.ln(height)


def _published_text(sel: ui.Selection) -> str:
    log = queries.publish_log(sel.key)
    if log.empty:
        return ""
    last = log.iloc[0]
    return f"{t('publish_id', sel.lang)} {last.get('publish_id', '–')}, {times.format_local(last['published_at'])}"


def tile_cells(kpi: ui.Kpi, fig: tiles.TileFigures, lng: str) -> list[str]:
    """KPI, value, target, status, change: as the overview's tile writes them."""
    value = t("no_value", lng) if fig.now is None else format_value(
        fig.field("value"), kpi.unit, kpi.decimals, lng, kpi.kpi_id, fig.suppressed, compact=True)
    target = fig.field("target_value")
    direction = fig.field("target_direction") or kpi.direction
    target_txt = "-" if is_missing(target) else target_text(target, direction, kpi.unit, kpi.decimals, lng,
                                                             kpi.kpi_id).removeprefix(t("target", lng)).strip(" :")
    status = SUPPRESSED_SHORT[lng] if fig.suppressed and not is_missing(target) else \
        status_label(fig.field("status"), lng) if not is_missing(target) else t("no_target", lng).capitalize()
    change = format_change(fig.delta, kpi.unit, kpi.decimals, lng, kpi.kpi_id, compact=True,
                           value=fig.field("value")) or "-"
    window = t("latest_survey", lng) if kpi.is_wave else window_label(fig.window, lng) if fig.window else "-"
    return [("* " if kpi.named else "") + kpi.name, value, target_txt, status, change, window]


def _summary_page(pdf: BoardPack, areas: tiles.Areas, figs: dict[str, tiles.TileFigures]) -> None:
    lng = pdf.sel.lang
    pdf.add_page()
    pdf.heading(t("board_pack_title", lng), 16)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, pdf.txt(f"{pdf.sel.org_path} · {format_month(pdf.sel.period, lng)}"), new_x="LMARGIN",
             new_y="NEXT")
    pdf.ln(3)
    pdf.heading(t("strategy_standing", lng))
    widths = [80, 18, 18, 18, 22, 24]
    pdf.row([t("strategy_area", lng), t("status_green", lng), t("status_amber", lng), t("status_red", lng),
             t("count_without", lng, n="").strip().capitalize(), t("target", lng)], widths, bold=True)
    for heading, in_area in areas:
        s = tiles.standing([figs[k.kpi_id] for k in in_area])
        pdf.row([heading, str(s.green), str(s.amber), str(s.red), str(s.without),
                 t("targets_met", lng, n=s.green, of=s.targets) if s.targets else t("no_targets_in_area", lng)],
                widths, fills={1: STATUS_FILL["green"] if s.green else None, 2: STATUS_FILL["amber"] if s.amber
                               else None, 3: STATUS_FILL["red"] if s.red else None})
    pdf.ln(4)
    pdf.heading(t("tiles_table", lng))
    widths = [62, 22, 26, 18, 24, 28]
    cols = [t("kpi", lng), t("value", lng), t("target", lng), t("status", lng), t("change_short", lng),
            t("window", lng)]
    for heading, in_area in areas:
        ordered = [k for k in in_area if k.named] + [k for k in in_area if not k.named]
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 7, pdf.txt(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.row(cols, widths, bold=True, height=5)
        for kpi in ordered:
            fig = figs[kpi.kpi_id]
            status = fig.field("status") if not fig.suppressed and not is_missing(fig.field("target_value")) else None
            pdf.set_font("Helvetica", "", 8)
            pdf.row(tile_cells(kpi, fig, lng), widths, fills={3: STATUS_FILL.get(status)} if status else None,
                    height=5.5)
    pdf.set_font("Helvetica", "I", 8)
    pdf.cell(0, 6, pdf.txt("* " + t("named_long", lng)), new_x="LMARGIN", new_y="NEXT")


def _trend_box(pdf: BoardPack, x: float, y: float, w: float, h: float, kpi: ui.Kpi, sel: ui.Selection,
               fig: tiles.TileFigures) -> None:
    """One indicator's line over the tile's window and months, the target dashed."""
    lng = sel.lang
    series = queries.kpi_series(sel.key, kpi.kpi_id, sel.org_unit_code, fig.window) if fig.window else None
    pdf.set_xy(x, y)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(w, 5, pdf.txt(f"{kpi.name} ({window_label(fig.window, lng).lower() if fig.window else '-'})"))
    pdf.set_draw_color(200, 200, 200)
    top, left, bottom, right = y + 7, x + 12, y + h - 6, x + w - 2
    pdf.rect(left, top, right - left, bottom - top)
    if series is None or series.empty:
        return
    first = tiles.months_before(sel.period, tiles.SPARK_MONTHS - 1)
    series = series[(series["period"] >= first) & (series["period"] <= sel.period)]
    if kpi.is_wave:  # a survey index is a point per survey wave, as on its page
        series = series[series["period"].isin(set(queries.survey_waves(sel.key)["period"]))]
    values = [None if bool(s) or is_missing(v) else float(v) for v, s in zip(series["value"], series["suppressed"])]
    targets = [None if is_missing(v) else float(v) for v in series["target_value"]]
    national = references.for_kpi(sel.key, kpi, sel.period, lng)
    known = [v for v in values + targets + [r.value for r in national] if v is not None]
    if not known:
        return
    lo, hi = min(known), max(known)
    pad = (hi - lo) * 0.15 or abs(hi) * 0.1 or 1.0
    lo, hi = (0.0 if lo >= 0 and lo - pad < 0 else lo - pad), hi + pad
    n = max(len(values) - 1, 1)

    def xy(i: float, v: float) -> tuple[float, float]:
        share = 0.5 if len(values) == 1 else i / n  # a single survey wave stands in the middle
        return left + (right - left) * share, bottom - (bottom - top) * (v - lo) / (hi - lo)

    pdf.set_font("Helvetica", "", 7)
    pdf.set_text_color(*GREY)
    for v in (lo, hi):
        pdf.set_xy(x, xy(0, v)[1] - 2)
        pdf.cell(11, 4, pdf.txt(format_value(v, kpi.unit, kpi.decimals, lng, kpi.kpi_id, compact=True)), align="R")
    months = list(series["period"])
    for i in sorted({0, len(months) - 1}):
        pdf.set_xy(xy(i, lo)[0] - 10, bottom + 0.5)
        pdf.cell(20, 4, pdf.txt(format_month(months[i], lng)), align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(85, 85, 85)
    with pdf.local_context(dash_pattern={"dash": 1.5, "gap": 1}):
        for i in range(len(targets) - 1):
            if targets[i] is not None and targets[i + 1] is not None:
                pdf.line(*xy(i, targets[i]), *xy(i + 1, targets[i + 1]))
        if len(targets) == 1 and targets[0] is not None:
            y_target = xy(0, targets[0])[1]
            pdf.line(left, y_target, right, y_target)
    pdf.set_draw_color(*REFERENCE)
    pdf.set_text_color(*REFERENCE)
    pdf.set_font("Helvetica", "", 6)
    for r in national:
        y_ref = xy(0, r.value)[1]
        with pdf.local_context(dash_pattern={"dash": 0.6, "gap": 0.8}):
            pdf.line(left, y_ref, right, y_ref)
        pdf.set_xy(left + 1, y_ref - 3.2)
        pdf.cell(right - left - 2, 3, pdf.txt(r.label))
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.5)
    for i in range(len(values) - 1):
        if values[i] is not None and values[i + 1] is not None:
            pdf.line(*xy(i, values[i]), *xy(i + 1, values[i + 1]))
    pdf.set_fill_color(*LINE)
    for i, v in enumerate(values):
        if v is not None and (i == 0 or values[i - 1] is None) and (i == len(values) - 1 or values[i + 1] is None):
            cx, cy = xy(i, v)
            pdf.ellipse(cx - 0.8, cy - 0.8, 1.6, 1.6, style="F")  # a lone point (a single survey wave)
    pdf.set_line_width(0.2)


def _trends_page(pdf: BoardPack, areas: tiles.Areas, figs: dict[str, tiles.TileFigures]) -> None:
    named = [k for _, ks in areas for k in ks if k.named]
    if not named:
        return
    pdf.add_page()
    pdf.heading(t("trends_named", pdf.sel.lang))
    w, h = 88, 58
    y0 = pdf.get_y()
    for i, kpi in enumerate(named):
        col, line = i % 2, (i // 2) % 4
        if i and i % 8 == 0:
            pdf.add_page()
            y0 = pdf.get_y()
        _trend_box(pdf, 15 + col * (w + 4), y0 + line * h, w, h - 2, kpi, pdf.sel, figs[kpi.kpi_id])


def _statutory_page(pdf: BoardPack) -> None:
    lng = pdf.sel.lang
    data = queries.sick_leave_statutory(pdf.sel.key)
    if data.empty:
        return
    built = statutory_table.build(data, lng)
    pdf.add_page()
    pdf.heading(t("page_statutory", lng))
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(0, 4, pdf.txt(t("statutory_intro", lng)), new_x="LMARGIN", new_y="NEXT")
    if built.part_years:
        pdf.set_font("Helvetica", "B", 8)
        pdf.multi_cell(0, 4, pdf.txt(t("part_years", lng, years=", ".join(built.part_years))), new_x="LMARGIN",
                       new_y="NEXT")
    pdf.ln(2)
    shown = built.shown.head(20)
    year_cols = list(shown.columns[1:5])
    widths = [80] + [100 / max(len(year_cols), 1)] * len(year_cols)
    pdf.row([shown.columns[0]] + year_cols, widths, bold=True)
    for r in shown.itertuples(index=False):
        pdf.set_font("Helvetica", "", 8)
        pdf.row([str(x) for x in list(r)[:1 + len(year_cols)]], widths, height=5.5)


def _definitions_page(pdf: BoardPack, areas: tiles.Areas) -> None:
    lng = pdf.sel.lang
    named = [k for _, ks in areas for k in ks if k.named]
    if not named:
        return
    pdf.add_page()
    pdf.heading(t("definitions_named", lng))
    for kpi in named:
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(0, 5, pdf.txt(kpi.name), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        text = kpi.definition or "-"
        if kpi.numerator_label and not kpi.is_wave:
            text += f" {t('numerator', lng)}: {kpi.numerator_label}."
        if kpi.denominator_label and not kpi.is_wave:
            text += f" {t('denominator', lng)}: {kpi.denominator_label}."
        for r in references.for_kpi(pdf.sel.key, kpi, pdf.sel.period, lng):
            text += f" {t('reference_title', lng)}: {r.label}, {t('source', lng).lower()}: {r.source_title} ({r.source_url})."
        pdf.multi_cell(0, 4, pdf.txt(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)


def build(sel: ui.Selection) -> bytes:
    """The board pack for the selection (unit, month, window, language) as PDF bytes."""
    areas, figs = tiles.for_selection(sel)
    pdf = BoardPack(sel, _published_text(sel))
    pdf.set_title(pdf_text(f"{t('board_pack_title', sel.lang)} {sel.org_name} {format_month(sel.period, sel.lang)}"))
    pdf.set_creator("hr-kpi-warehouse")
    # The publish's time as the creation date: the same publish and selection give the same file.
    log = queries.publish_log(sel.key)
    if not log.empty:
        pdf.set_creation_date(times.to_local(log["published_at"].iloc[0]))
    _summary_page(pdf, areas, figs)
    _trends_page(pdf, areas, figs)
    _statutory_page(pdf)
    _definitions_page(pdf, areas)
    return bytes(pdf.output())

