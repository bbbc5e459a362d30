"""Data status: when the published data was refreshed, what each extract covers, what was rejected."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from streamlit_app import queries, times, ui
from streamlit_app.fmt import extract_label, format_month, format_number, t


def _test_summary(raw: object) -> dict[str, int]:
    """dbt's status counts from the publish log's test summary: {'pass': 120, 'warn': 1, ...}."""
    try:
        summary = json.loads(raw) if isinstance(raw, str) else raw
    except (TypeError, ValueError):
        return {}
    statuses = summary.get("statuses", summary) if isinstance(summary, dict) else {}
    return {str(k): int(v) for k, v in statuses.items()} if isinstance(statuses, dict) else {}


def tests_metric(raw: object, lng: str) -> tuple[str, str | None]:
    """('120 godkända', '1 varning'): passed tests as the figure, warnings and failures beside.

    dbt's own words (pass, warn, no-op) and its counts of built models ('success') are not
    for executives; a publish only happens when no test failed.
    """
    counts = _test_summary(raw)
    if not counts:
        return "–", None
    value = t("tests_passed", lng, n=format_number(counts.get("pass", 0), 0, lng))
    warn = counts.get("warn", 0)
    failed = counts.get("fail", 0) + counts.get("error", 0)
    notes = ([t("tests_warned", lng, n=format_number(warn, 0, lng))] if warn else []) + \
        ([t("tests_failed", lng, n=format_number(failed, 0, lng))] if failed else [])
    return value, ", ".join(notes) or None


def publish_section(sel: ui.Selection) -> None:
    lng = sel.lang
    log = queries.publish_log(sel.key)
    if log.empty:
        st.info(t("no_publish_log", lng))
        return
    last = log.iloc[0]
    c1, c2, c3 = st.columns(3)
    # The zone beside the time, not in it: the time alone just fits a third of the page.
    local = times.to_local(last["published_at"])
    c1.metric(t("published", lng), "–" if local is None else f"{local:%Y-%m-%d %H:%M}", border=True,
              delta=None if local is None else f"{local.tzname()} ({times.timezone().key})", delta_color="off",
              delta_arrow="off")
    run_id = str(last.get("run_id", "–"))
    # A Dagster run id is 36 characters: its first block finds the run, the whole is in the help.
    c2.metric(t("run_id", lng), run_id.split("-")[0], help=run_id, border=True,
              delta=t("publish_no", lng, n=last["publish_id"]) if "publish_id" in last else None,
              delta_color="off", delta_arrow="off")
    value, notes = tests_metric(last.get("test_summary"), lng)
    c3.metric(t("tests_summary", lng), value, delta=notes, delta_color="off", delta_arrow="off", border=True)


def coverage_section(sel: ui.Selection) -> None:
    lng = sel.lang
    st.subheader(t("coverage", lng))
    cov = queries.load_coverage(sel.key)
    if cov.empty:
        st.caption("–")
        return
    labels = {"extract": t("extract", lng), "first_month": t("first_month", lng), "last_month": t("last_month", lng),
              "months": t("months", lng), "files": t("files", lng), "rows_read": t("rows_read", lng),
              "rows_loaded": t("rows_loaded", lng), "rows_quarantined": t("rows_quarantined", lng)}
    shown = cov.copy()
    shown["extract"] = [extract_label(e, lng) for e in shown["extract"]]
    for col in ("first_month", "last_month"):
        shown[col] = [format_month(p, lng) for p in pd.to_datetime(shown[col]).dt.date]
    for col in ("months", "files", "rows_read", "rows_loaded", "rows_quarantined"):
        if col in shown:
            shown[col] = [format_number(v, 0, lng) for v in shown[col]]
    st.dataframe(shown.rename(columns=labels), hide_index=True, width="stretch")
    ui.export_buttons(cov.rename(columns=labels), "uttag_manader", lng)
    # A month whose delivery is not complete is loaded but not published (int_months): say so.
    for _, row in queries.incomplete_months(sel.key).iterrows():
        st.warning(t("incomplete_month", lng, month=format_month(pd.to_datetime(row["period"]).date(), lng),
                     missing=", ".join(extract_label(e.strip(), lng) for e in str(row["missing"]).split(","))))


def quarantine_section(sel: ui.Selection) -> None:
    lng = sel.lang
    st.subheader(t("quarantine", lng))
    st.caption(t("quarantine_caption", lng))
    summary = queries.quarantine_summary(sel.key)
    if summary.empty:
        st.caption(t("quarantine_none", lng))
        return
    labels = {"extract": t("extract", lng), "reason": t("reason", lng), "rows_quarantined": t("rows_quarantined", lng),
              "file": t("source_file", lng), "line": t("line", lng), "column": t("column", lng), "value": "Värde"
              if lng == "sv" else "Value", "load_id": "load_id"}
    summary["extract"] = [extract_label(str(e), lng) for e in summary["extract"]]
    st.dataframe(summary.rename(columns=labels), hide_index=True, width="stretch")
    rows = queries.quarantine_rows(sel.key)
    st.dataframe(rows.rename(columns=labels), hide_index=True, width="stretch")
    ui.export_buttons(rows.rename(columns=labels), "karantan", lng)


LOAD_STATUS = ("loaded", "replaced", "skipped", "rejected", "failed")


def load_log_table(log: pd.DataFrame, lng: str, formatted: bool) -> pd.DataFrame:
    """The load log in the reader's words: one row per file load, newest first, times local,
    the checksum and the internal load id left out (they are in audit.load_log)."""
    cols = [c for c in ("finished_at", "extract", "period", "file_name", "status", "rows_read", "rows_loaded",
                        "rows_quarantined", "message") if c in log.columns]
    out = log[cols].copy()
    if "finished_at" in out:
        out["finished_at"] = times.localise_column(out["finished_at"])
    if "extract" in out:
        out["extract"] = [extract_label(str(e), lng) for e in out["extract"]]
    if "period" in out:
        out["period"] = [format_month(p, lng) for p in pd.to_datetime(out["period"]).dt.date]
    if "message" in out and "status" in out:
        # A good load's message only repeats its row counts, in the pipeline's English.
        out["message"] = ["" if s in ("loaded", "replaced") else m for s, m in zip(out["status"], out["message"])]
    if "status" in out:
        out["status"] = [t(f"load_{s}", lng) if s in LOAD_STATUS else s for s in out["status"]]
    if formatted:
        for col in ("rows_read", "rows_loaded", "rows_quarantined"):
            if col in out:
                out[col] = [format_number(v, 0, lng) for v in out[col]]
    labels = {"finished_at": t("finished_at", lng), "extract": t("extract", lng), "period": t("period", lng),
              "file_name": t("source_file", lng), "status": t("load_status", lng), "rows_read": t("rows_read", lng),
              "rows_loaded": t("rows_loaded", lng), "rows_quarantined": t("rows_quarantined", lng),
              "message": t("message", lng)}
    return out.rename(columns=labels)


def load_log_section(sel: ui.Selection) -> None:
    lng = sel.lang
    log = queries.load_log(sel.key)
    if log.empty:
        return
    with st.expander(t("load_log", lng)):
        st.caption(t("times_in_zone", lng, zone=times.timezone().key))
        st.dataframe(load_log_table(log, lng, True), hide_index=True, width="stretch",
                     column_config={t("message", lng): st.column_config.TextColumn(width="large")})
        ui.export_buttons(load_log_table(log, lng, False), "inlasningslogg", lng,
                          header=ui.export_header(sel, month="–", window="–"))


def main() -> None:
    sel = ui.current()
    st.title(t("page_status", sel.lang))
    publish_section(sel)
    coverage_section(sel)
    quarantine_section(sel)
    load_log_section(sel)


main()
