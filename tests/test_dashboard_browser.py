"""The real dashboard in a real browser: `streamlit run` as a subprocess, headless Chromium.

Chromium is driven over the DevTools protocol (websockets is already installed with the
stack) so the screenshot is taken after the overview has rendered its tiles, not of the
loading skeleton. Screenshots go to pytest's tmp dir, and also to $HRKPI_SCREENSHOT_DIR
when that is set (for looking at them by hand).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
STREAMLIT = Path(sys.executable).parent / "streamlit"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout_s: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.25)
    extra = f"\n--- {log} ---\n{log.read_text(errors='replace')[-3000:]}" if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}{extra}")


@contextmanager
def streamlit_server(published_db: Path, tmp: Path) -> Iterator[str]:
    port = free_port()
    log = tmp / "streamlit.log"
    env = {**os.environ, "HRKPI_PUBLISHED_DB": str(published_db)}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(STREAMLIT), "run", str(REPO / "streamlit_app" / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        def healthy() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_until(healthy, 60, "the streamlit server", log)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


class Browser:
    """Minimal DevTools-protocol client: navigate, evaluate, screenshot."""

    def __init__(self, ws_url: str) -> None:
        from websockets.sync.client import connect

        self.ws = connect(ws_url, max_size=None, open_timeout=10)
        self.next_id = 0

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv(timeout=60))
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                return msg["result"]

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def close(self) -> None:
        self.ws.close()


@contextmanager
def chromium(url: str, tmp: Path, size: tuple[int, int] = (1400, 1000)) -> Iterator[Browser]:
    profile = tmp / "chromium-profile"
    log = tmp / "chromium.log"
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--remote-debugging-port=0",
             f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}", url],
            stdout=subprocess.DEVNULL, stderr=err,
        )
    browser = None
    try:
        def devtools_port() -> int | None:
            if proc.poll() is not None:
                raise AssertionError(f"chromium exited with {proc.returncode}:\n{log.read_text()}")
            m = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", log.read_text())
            return int(m.group(1)) if m else None

        port = wait_until(devtools_port, 30, "chromium's DevTools port", log)

        def page_target() -> str | None:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
                pages = [p for p in json.load(r) if p.get("type") == "page"]
            return pages[0]["webSocketDebuggerUrl"] if pages else None

        browser = Browser(wait_until(page_target, 30, "a chromium page"))
        # The window size includes browser chrome; pin the viewport itself.
        browser.call("Emulation.setDeviceMetricsOverride", width=size[0], height=size[1], deviceScaleFactor=1,
                     mobile=False)
        yield browser
    finally:
        if browser:
            browser.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(browser: Browser, path: Path) -> Path:
    png = base64.b64decode(browser.call("Page.captureScreenshot", format="png")["data"])
    path.write_bytes(png)
    keep = os.environ.get("HRKPI_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)
    return path


def png_colours(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct colours) of an 8-bit RGB(A) PNG, read without extra packages."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    bit_depth, colour_type = header[8], header[9]
    assert bit_depth == 8 and colour_type in (2, 6), f"unexpected PNG format {bit_depth}/{colour_type}"
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        if y % 4 == 0:  # a sample of rows is plenty to tell a page from a blank
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 2))
        prev = line
    return width, height, len(colours)


TILES_JS = "document.querySelectorAll('[data-testid=\"stMetric\"]').length"
TEXT_JS = "document.body ? document.body.innerText : ''"
MAIN_TEXT_JS = "document.querySelector('[data-testid=\"stMain\"]').innerText"
RUNNING_JS = "document.querySelector('[data-testid=\"stStatusWidget\"]') !== null"


def capture_overview(published_db: Path, tmp: Path, name: str) -> tuple[Path, str]:
    with streamlit_server(published_db, tmp) as url, chromium(url + "/", tmp) as browser:
        wait_until(lambda: (browser.evaluate(TILES_JS) or 0) > 0, 60, "the overview's KPI tiles",
                   tmp / "streamlit.log")
        # Sparklines and badges render just after the tiles.
        wait_until(lambda: browser.evaluate("document.querySelectorAll('canvas, svg').length") or 0, 20,
                   "the sparklines")
        time.sleep(1.5)
        text = browser.evaluate(TEXT_JS)
        return screenshot(browser, tmp / name), text


@pytest.fixture(scope="module")
def browser_required() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` to run browser tests")


def check_not_blank(png: Path) -> None:
    assert png.exists() and png.stat().st_size > 0
    width, height, colours = png_colours(png)
    assert (width, height) == (1400, 1000)
    # A blank or skeleton page has a handful of greys; the overview has text, badges and charts.
    assert colours > 50, f"{png} looks blank: only {colours} distinct colours"


def test_overview_renders_in_chromium(browser_required, tmp_path: Path) -> None:
    import dashboard_fixture

    db = dashboard_fixture.build(tmp_path / "dev.duckdb")
    png, text = capture_overview(db, tmp_path, "overview_dev.png")
    check_not_blank(png)
    # Sick leave, Mar 2025, whole region: 512 / 8000 hours = 6.4 %, target 5.0 % -> red.
    assert "Sjukfrånvaro" in text
    assert "6,4\u00a0%" in text
    assert "Mål ≤ 5,0\u00a0%" in text
    assert "Röd" in text


def test_deep_link_on_a_fresh_server_opens_the_page_without_page_not_found(browser_required, tmp_path: Path) -> None:
    """The first visit after server start goes straight to a sub-page (streamlit issue 9624)."""
    import dashboard_fixture

    db = dashboard_fixture.build(tmp_path / "dev.duckdb")
    with streamlit_server(db, tmp_path) as url, chromium(url + "/nyckeltal?kpi=sick_leave_pct", tmp_path) as browser:
        # The KPI page's trend heading (the page itself, not the overview), with the run
        # finished: while it runs, the status widget ("Stop") shows and elements still stream in.
        wait_until(lambda: "Utveckling över tid" in (browser.evaluate(TEXT_JS) or "")
                   and not browser.evaluate(RUNNING_JS), 60, "the KPI page", tmp_path / "streamlit.log")
        wait_until(lambda: browser.evaluate("document.querySelectorAll('canvas, svg').length") or 0, 20,
                   "the trend chart")
        text = browser.evaluate(TEXT_JS)
        png = screenshot(browser, tmp_path / "deep_link_kpi.png")
    check_not_blank(png)
    assert "Page not found" not in text
    # Sick leave, Mar 2025, whole region: 512 / 8000 hours = 6.4 % against a ceiling of 5.0 % -> red.
    assert "6,4\u00a0%" in text and "Röd" in text


# --- the file the pipeline publishes from the golden fixture ------------------------------

SETTLED_JS = ("document.querySelector('[data-testid=\"stStatusWidget\"], [data-testid*=\"Skeleton\"], "
              "[data-stale=\"true\"]') === null")


def open_and_capture(published_db: Path, tmp: Path, path: str, wait_for: str, name: str,
                     size: tuple[int, int] = (1400, 1000), js: dict[str, str] | None = None) -> tuple[Path, str, dict]:
    """Open `path` on a fresh server, wait until `wait_for` shows and the run settled, then
    screenshot; returns the PNG, the page text and the values of the `js` expressions."""
    with streamlit_server(published_db, tmp) as url, chromium(url + path, tmp, size=size) as browser:
        wait_until(lambda: wait_for in (browser.evaluate(TEXT_JS) or ""), 90, repr(wait_for), tmp / "streamlit.log")
        wait_until(lambda: browser.evaluate(SETTLED_JS), 60, "the run to finish", tmp / "streamlit.log")
        time.sleep(2)  # charts draw just after the elements arrive
        text = browser.evaluate(TEXT_JS)
        values = {k: browser.evaluate(expr) for k, expr in (js or {}).items()}
        return screenshot(browser, tmp / name), text, values


@pytest.fixture(scope="module")
def golden_published(browser_required, request) -> Path:
    return request.getfixturevalue("published_golden_db")


def test_oversikt_deep_link_opens_the_overview(golden_published, tmp_path: Path) -> None:
    """/oversikt, the overview's own name, opens the overview, not "Page not found"."""
    png, text, js = open_and_capture(golden_published, tmp_path, "/oversikt", "Strategins läge", "overview_golden.png",
                                     js={"main": MAIN_TEXT_JS})
    check_not_blank(png)
    assert "Page not found" not in text
    main = js["main"]
    # The strategy summary first, its five areas before the first tile; sick leave 3,8 %
    # (190 / 5000 h) is within its 6 % ceiling: Sunt och tryggt arbete meets all 5 targets.
    assert main.index("Strategins läge") < main.index("5 av 5 mål nås") < main.index("Sjukfrånvaro")
    assert main.index("Lön och villkor") < main.index("Tillträdesomsättning")
    assert "3,8\u00a0%" in main
    assert main.index("Sjukfrånvaro") < main.index("Övriga nyckeltal") < main.index("Antal anställda")


def test_kpi_page_in_the_tiles_window_with_status_in_words(golden_published, tmp_path: Path) -> None:
    png, text, _ = open_and_capture(golden_published, tmp_path, "/nyckeltal?kpi=exit_turnover_pct",
                                    "Utveckling över tid", "kpi_exit_turnover_golden.png")
    check_not_blank(png)
    # The tile's figure: 2 exits / 29,0833 mean permanent headcount over 12 months = 6,9 %,
    # against a ceiling of 10 % -> green, in colour and words; numerator named.
    assert "6,9\u00a0%" in text and "Grön" in text and "målet nås" in text
    assert "Visas som rullande 12 mån: målet gäller den perioden." in text


def test_survey_index_as_survey_waves(golden_published, tmp_path: Path) -> None:
    png, text, _ = open_and_capture(golden_published, tmp_path, "/nyckeltal?kpi=leadership_index",
                                    "Enkät för enkät", "kpi_leadership_golden.png")
    check_not_blank(png)
    # One survey in the golden fixture, MU2025 of Dec 2025: 73,9 from 22 respondents of 28
    # invited (78,6 %).
    assert "MU2025 (dec 2025)" in text and "73,9" in text and "78,6\u00a0%" in text
    assert "Täljare" not in text and "Nämnare" not in text and "Andel av" not in text


def test_data_status_fits_its_width_and_names_the_time_zone(golden_published, tmp_path: Path) -> None:
    cut = ("Array.from(document.querySelectorAll('[data-testid=\"stMetricValue\"] div, "
           "[data-testid=\"stMetricValue\"]')).filter(e => e.scrollWidth > e.clientWidth + 1).length")
    overflow = ("(() => { const m = document.querySelector('[data-testid=\"stMain\"]'); "
                "return m.scrollWidth - m.clientWidth; })()")
    png, text, js = open_and_capture(golden_published, tmp_path, "/datastatus", "Månader per uttag",
                                     "data_status_golden.png", js={"cut": cut, "overflow": overflow})
    check_not_blank(png)
    assert js["cut"] == 0, "a metric on the data status page is cut off"
    assert js["overflow"] <= 0
    assert "(Europe/Stockholm)" in text and "Page not found" not in text


def test_phone_width_overview_strategy_first_and_an_area_on_one_screen(golden_published, tmp_path: Path) -> None:
    """On a 390 x 844 phone the summary comes first and the five indicators of Kompetens och
    utveckling, two tiles abreast without sparklines, fit one screen."""
    def top(selector: str) -> str:
        return f"document.querySelector('{selector}').getBoundingClientRect().top"

    area = ("(() => { const h = Array.from(document.querySelectorAll('[data-testid=\"stMain\"] h3'))"
            ".find(e => e.innerText.trim() === 'Kompetens och utveckling'); "
            "const last = document.querySelector('.st-key-tile_agency_cost_share_pct'); "
            "return last.getBoundingClientRect().bottom - h.getBoundingClientRect().top; })()")
    abreast = ("document.querySelector('.st-key-tile_entry_turnover_pct').getBoundingClientRect().top === "
               "document.querySelector('.st-key-tile_exit_turnover_pct').getBoundingClientRect().top")
    sparklines = ("Array.from(document.querySelectorAll('[data-testid=\"stMetricChart\"]'))"
                  ".filter(e => e.offsetParent !== null).length")
    png, text, js = open_and_capture(
        golden_published, tmp_path, "/", "Strategins läge", "overview_phone_golden.png", size=(390, 844),
        js={"summary": top('.st-key-tile_entry_turnover_pct'), "area": area, "abreast": abreast,
            "sparklines": sparklines, "summary_top": "Array.from(document.querySelectorAll('h3'))"
            ".find(e => e.innerText.trim() === 'Strategins läge').getBoundingClientRect().top"})
    assert png.exists() and png_colours(png)[:2] == (390, 844)
    assert js["summary_top"] < js["summary"]
    assert js["abreast"] is True
    assert js["sparklines"] == 0
    assert 0 < js["area"] <= 844, f"Kompetens och utveckling takes {js['area']} px on an 844 px screen"


# --- staff supply outlook and national reference lines (issue 17, items 7 and 8) ----------

def test_staff_supply_page_in_chromium(browser_required, tmp_path: Path) -> None:
    import dashboard_fixture

    db = dashboard_fixture.build(tmp_path / "dev.duckdb")
    png, text, _ = open_and_capture(db, tmp_path, "/pensionsavgangar", "Per yrkesgrupp", "staff_supply_dev.png")
    check_not_blank(png)
    assert "Page not found" not in text
    # By hand (dashboard_fixture.supply_rows): 43 of the region's 1 014 reach 69 in 2026 (4,2 %);
    # the small-group rule is said on the page.
    assert "Pensionsålder: 69 år." in text
    assert "43 (4,2\u00a0%)" in text
    assert "Dold – färre än 11 personer, så att ingen enskild kan pekas ut." in text


def test_trend_reference_line_in_chromium(browser_required, tmp_path: Path) -> None:
    import dashboard_fixture

    db = dashboard_fixture.build(tmp_path / "dev.duckdb")
    png, text, js = open_and_capture(db, tmp_path, "/nyckeltal?kpi=sick_leave_pct", "Referenslinje",
                                     "kpi_reference_dev.png",
                                     js={"charts": "document.querySelectorAll('canvas, svg').length"})
    check_not_blank(png)
    # SKR's regions' sick leave of 2021, with its source, beside the region's trend.
    assert "Referenslinje – Riket, regioner: 6,4\u00a0% (2021). Källa: Läkartidningen 2022-03" in text
    assert js["charts"] > 0
