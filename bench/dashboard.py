"""Dashboard timings for `make bench`: server-side rerun time of the real app in AppTest
against a published file (first load, a change of org unit, a change of KPI)."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import duckdb

from dagster_project.config import ENV_PUBLISHED_DB, REPO_ROOT

REPS = 5


def _timed(action) -> float:
    started = time.perf_counter()
    at = action()
    if at.exception:
        raise RuntimeError(at.exception)
    return time.perf_counter() - started


def _stats(samples: list[float]) -> dict:
    return {"median_ms": round(statistics.median(samples) * 1000), "max_ms": round(max(samples) * 1000), "n": len(samples)}


def dashboard_timings(published: Path) -> dict:
    os.environ[ENV_PUBLISHED_DB] = str(published)
    from streamlit.testing.v1 import AppTest

    conn = duckdb.connect(str(published), read_only=True)
    root, children = conn.execute(
        """select r.org_unit_code, list(c.org_unit_code order by c.org_unit_code)
           from marts.dim_org_unit r join marts.dim_org_unit c on c.parent_code = r.org_unit_code and c.period = r.period
           where r.level = 1 and r.period = (select max(period) from marts.dim_org_unit) group by 1"""
    ).fetchone()
    kpis = [r[0] for r in conn.execute("select kpi_id from marts.kpi_catalogue order by kpi_id").fetchall()]
    conn.close()

    at = AppTest.from_file(str(REPO_ROOT / "streamlit_app" / "app.py"), default_timeout=300)
    first = _timed(at.run)
    org_key = f"org_under_{root}"
    org_switch = [_timed(lambda c=c: at.selectbox(key=org_key).set_value(c).run())
                  for c in (children * REPS)[:REPS * 2]]
    at.switch_page("views/kpi.py").run()
    kpi_switch = [_timed(lambda k=k: at.selectbox(key="_w_kpi").set_value(k).run()) for k in (kpis * 2)[:REPS * 2]]
    return {"first_load_ms": round(first * 1000), "org_unit_change": _stats(org_switch), "kpi_change": _stats(kpi_switch)}
