"""The example queries of docs/auditing.md run as written and agree with marts.kpi_values."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from hrkpi_config import default_audit_db

DOC = Path(__file__).resolve().parent.parent / "docs" / "auditing.md"
EXAMPLE = re.compile(r"<!-- example: (\w+) -->\s*```sql\n(.*?)```", re.S)
RECOMPUTED_KPIS = ("sick_leave_pct", "headcount", "agency_cost_sek")


def examples() -> dict[str, str]:
    return dict(EXAMPLE.findall(DOC.read_text(encoding="utf-8")))


def test_the_guide_has_every_example():
    assert set(examples()) == {*RECOMPUTED_KPIS, "mismatches", "trace", "history"}


@pytest.mark.parametrize("kpi_id", RECOMPUTED_KPIS)
def test_recomputed_kpi_equals_the_published_row(published_golden_db: Path, kpi_id: str):
    # The recomputations read the microdata: the audit store, which has the marts too.
    conn = duckdb.connect(str(default_audit_db(published_golden_db)), read_only=True)
    try:
        got = conn.execute(examples()[kpi_id]).fetchone()
        published = conn.execute(
            """select numerator, denominator, value, population_n from marts.kpi_values
               where kpi_id = ? and "window" = 'month' and breakdown = 'total'
                 and (org_unit_code, period) in (
                     select org_unit_code, period from marts.dim_org_unit
                     where level = 1 and period = (select max(period) from marts.dim_org_unit))""",
            [kpi_id],
        ).fetchone()
    finally:
        conn.close()
    assert published is not None and published[2] is not None
    assert float(got[0]) == pytest.approx(float(published[0]), abs=1e-4)
    if published[1] is not None:
        assert float(got[1]) == pytest.approx(float(published[1]), abs=1e-4)
    assert float(got[2]) == pytest.approx(float(published[2]), abs=0.005)
    assert got[3] == published[3]


def test_no_published_value_differs_from_its_numerator_and_denominator(published_golden_db: Path):
    conn = duckdb.connect(str(published_golden_db), read_only=True)
    try:
        assert conn.execute(examples()["mismatches"]).fetchall() == []
        shown = conn.execute("select count(*) from marts.kpi_values where value is not null").fetchone()[0]
    finally:
        conn.close()
    assert shown > 100  # the check covered real rows


def test_trace_and_history_answer_through_the_cli(published_golden_db: Path):
    cli = str(Path(sys.executable).parent / "duckdb")
    for name, min_rows in (("trace", 2), ("history", 3)):
        sql = examples()[name]
        result = subprocess.run([cli, "-readonly", "-csv", str(published_golden_db), "-c", sql],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        rows = result.stdout.strip().splitlines()[1:]
        assert len(rows) >= min_rows, (name, result.stdout)
    assert "absence_202601.csv" in subprocess.run(
        [cli, "-readonly", "-csv", str(published_golden_db), "-c", examples()["trace"]],
        capture_output=True, text=True).stdout
