"""The Finnish county's dashboard in a real browser, in suomi: the overview and the
henkilöstöraportti page on the file the real pipeline publishes from the Finnish golden
fixture. Screenshots go to pytest's tmp dir and to $HRKPI_SCREENSHOT_DIR when set."""

from __future__ import annotations

import time
from pathlib import Path

from dagster_project import config as hrkpi_config
from test_dashboard_browser import (RUNNING_JS, TEXT_JS, TILES_JS, browser_required, check_not_blank,  # noqa: F401
                                    chromium, screenshot, streamlit_server, wait_until)

NB = "\u00a0"


def test_overview_and_henkilostoraportti_in_suomi(browser_required, golden_fi_run, tmp_path: Path,
                                                  monkeypatch) -> None:
    s, result = golden_fi_run
    assert result.success
    monkeypatch.setenv(hrkpi_config.ENV_PROFILE, "FI")
    with streamlit_server(s.published_db, tmp_path) as url:
        with chromium(url + "/?lang=fi&month=2025-12&window=year", tmp_path) as browser:
            wait_until(lambda: (browser.evaluate(TILES_JS) or 0) > 0 and not browser.evaluate(RUNNING_JS), 90,
                       "the overview's tiles", tmp_path / "streamlit.log")
            overview_text = browser.evaluate(TEXT_JS)
            overview = screenshot(browser, tmp_path / "overview_fi.png")
        with chromium(url + "/henkilostoraportti?lang=fi&month=2025-12", tmp_path) as browser:
            # The table (a canvas grid) and the copy block, not their loading skeletons.
            wait_until(lambda: "Lähtövaihtuvuus\t" in (browser.evaluate(TEXT_JS) or "")
                       and not browser.evaluate(RUNNING_JS), 90, "the henkilöstöraportti page",
                       tmp_path / "streamlit.log")
            wait_until(lambda: browser.evaluate("document.querySelectorAll('canvas').length") or 0, 20,
                       "the report table")
            time.sleep(1.5)
            report_text = browser.evaluate(TEXT_JS)
            report = screenshot(browser, tmp_path / "henkilostoraportti_fi.png")
    check_not_blank(overview)
    check_not_blank(report)
    assert "Yleiskuva" in overview_text and "Henkilötyövuodet (HTV2)" in overview_text
    assert f"1{NB}800{NB}€" in overview_text
    assert "Page not found" not in report_text
    assert "Lähtövaihtuvuus" in report_text and f"20,0{NB}%" in report_text
