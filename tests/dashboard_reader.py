"""The dashboard as a long-lived reader, for the fault tests (tests/test_faults.py).

Runs the real app with Streamlit's AppTest again and again in one process, as a server
does for its visitors: st.cache_data lives as long as the process, so a new publish is
only seen if the cache key (the published file's mtime and size) really changes. Each run
prints one JSON line: when it started and ended (wall clock, comparable with the test's
and with file times), the overview's tiles and any error shown. Stops when the stop file exists.

    HRKPI_PUBLISHED_DB=... .venv/bin/python tests/dashboard_reader.py STOP_FILE
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "streamlit_app" / "app.py"
PAUSE_S = 0.5  # leave the refresh some CPU on a small machine


def one_reply() -> dict:
    started = time.time()
    at = AppTest.from_file(str(APP), default_timeout=300).run()
    return {
        "started": started,
        "ended": time.time(),
        "tiles": {m.label: m.value for m in at.metric},
        "errors": [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]
        + [str(w.value) for w in at.warning],
    }


def main(stop_file: Path) -> None:
    while not stop_file.exists():
        print(json.dumps(one_reply(), ensure_ascii=False), flush=True)
        time.sleep(PAUSE_S)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
