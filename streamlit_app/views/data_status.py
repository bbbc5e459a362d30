"""Data status: when the published data was refreshed, what each extract covers, what was rejected."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from streamlit_app import queries, times, ui
from streamlit_app.fmt import (WINDOWS, extract_label, format_change, format_month, format_number, format_value,
                               is_missing, t, window_label)


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


def _summary(raw: object) -> dict:
    try:
        summary = json.loads(raw) if isinstance(raw, str) else raw
    except (TypeError, ValueError):
        return {}
    return summary if isinstance(summary, dict) else {}


def _month_text(day: object, lng: str) -> str:
    return format_month(pd.to_datetime(day).date(), lng) if day else "–"


def publish_summary_lines(publish_id: int, raw: object, lng: str) -> list[str]:
    """What the publish's refresh did, from its summary in the publish log (files, months)."""
    summary = _summary(raw)
    files, rebuilt = summary.get("files"), summary.get("periods_rebuilt")
    lines = []
    if isinstance(files, dict):
        lines.append(t("publish_files", lng, n=publish_id, **{k: format_number(files.get(k, 0), 0, lng)
                                                               for k in ("loaded", "replaced", "skipped", "rejected")}))
    if summary.get("replaced_files"):
        lines.append(t("publish_replaced", lng, files=", ".join(summary["replaced_files"])))
    if isinstance(rebuilt, dict) and rebuilt.get("first"):
        key = "publish_rebuilt_all" if rebuilt.get("every_period") else "publish_rebuilt"
        lines.append(t(key, lng, first=_month_text(rebuilt["first"], lng), last=_month_text(rebuilt["last"], lng)))
    return lines


def changes_table(changes: pd.DataFrame, sel: ui.Selection) -> pd.DataFrame:
    """One row per changed figure, in the catalogue's order: KPI, window, month, before, after
    and the difference, as the tiles show them."""
    lng = sel.lang
    by_id = {k.kpi_id: k for k in ui.kpis(sel.key, lng)}
    order = {kpi_id: i for i, kpi_id in enumerate(by_id)}
    windows = {w: i for i, w in enumerate(WINDOWS)}
    records = sorted(changes.to_dict("records"), key=lambda r: (order.get(r["kpi_id"], len(order)), r["kpi_id"],
                                                                 windows.get(r["window"], 9), r["period"]))
    rows = []
    for r in records:
        kpi = by_id.get(r["kpi_id"])
        unit, decimals = (kpi.unit, kpi.decimals) if kpi else (None, None)
        both = not (r["old_suppressed"] or r["new_suppressed"] or is_missing(r["old_value"])
                    or is_missing(r["new_value"]))
        old, new = (format_value(r[f"{w}_value"], unit, decimals, lng, r["kpi_id"], bool(r[f"{w}_suppressed"]))
                    for w in ("old", "new"))
        if both and old == new and decimals is not None:
            # A revision smaller than the shown precision: one more decimal tells them apart.
            decimals += 1
            old, new = (format_value(r[f"{w}_value"], unit, decimals, lng, r["kpi_id"]) for w in ("old", "new"))
        rows.append({
            t("kpi", lng): kpi.name if kpi else r["kpi_id"],
            t("window", lng): window_label(r["window"], lng),
            t("period", lng): format_month(r["period"], lng),
            t("old_value", lng): old,
            t("new_value", lng): new,
            t("difference", lng): format_change(float(r["new_value"]) - float(r["old_value"]), unit, decimals, lng,
                                                r["kpi_id"], value=r["new_value"]) if both else "",
        })
    return pd.DataFrame(rows)


def changes_section(sel: ui.Selection) -> None:
    """Senaste ändringar: the selected unit's published figures that changed between the last
    two publishes, or any two chosen."""
    lng = sel.lang
    st.subheader(t("changes_title", lng))
    log = queries.publishes(sel.key)
    if len(log) < 2:
        st.caption(t("changes_only_one", lng))
        return
    ids = [int(i) for i in log["publish_id"]]
    when = {int(i): times.to_local(ts) for i, ts in zip(log["publish_id"], log["published_at"])}

    def label(i: int) -> str:
        return t("publish_option", lng, n=i, when="–" if when[i] is None else f"{when[i]:%Y-%m-%d %H:%M}")

    left, right = st.columns(2)
    before = left.selectbox(t("changes_from", lng), ids, index=1, format_func=label, key="changes_from")
    after = right.selectbox(t("changes_to", lng), ids, index=0, format_func=label, key="changes_to")
    if before == after:
        st.info(t("changes_same", lng))
        return
    before, after = min(before, after), max(before, after)
    st.caption(t("changes_caption", lng, org=sel.org_path))
    lines = publish_summary_lines(after, log.set_index("publish_id").at[after, "summary"], lng)
    if lines:
        with st.container(border=True):
            st.markdown("  \n".join(lines))
    changes = queries.figure_changes(sel.key, before, after, sel.org_unit_code)
    revised = changes[~changes["new"].astype(bool)]
    n_new = int(changes["new"].astype(bool).sum())
    if revised.empty:
        st.info(t("changes_none", lng, org=sel.org_name, a=before, b=after))
    else:
        st.markdown(t("changes_count", lng, n=format_number(len(revised), 0, lng), org=sel.org_name, a=before,
                      b=after))
        shown = changes_table(revised, sel)
        st.dataframe(shown, hide_index=True, width="stretch")
        ui.export_buttons(shown, f"andringar_{sel.org_unit_code}_{before}_{after}", lng,
                          header=ui.export_header(sel, month="–", window="–"))
    if n_new:
        st.caption(t("changes_new", lng, n=format_number(n_new, 0, lng)))


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
    changes_section(sel)
    coverage_section(sel)
    quarantine_section(sel)
    load_log_section(sel)


main()
