"""What auditors rely on: a real SQL client on the published file, read-only, and the
published figures of earlier refreshes kept after corrections arrive."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import copy_golden_landing, run_refresh, warehouse_env

DUCKDB_CLI = str(Path(sys.executable).parent / "duckdb")


def cli(db: Path, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run([DUCKDB_CLI, "-readonly", "-csv", str(db), "-c", sql], capture_output=True, text=True)


def test_duckdb_cli_reads_the_published_file_read_only(published_golden_db: Path):
    version = subprocess.run([DUCKDB_CLI, "--version"], capture_output=True, text=True).stdout
    assert version.startswith(f"v{duckdb.__version__}"), "CLI and library must be the same DuckDB version"

    result = cli(published_golden_db, "select count(*) as n from marts.kpi_values where kpi_id = 'headcount'")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.splitlines()[1]) > 0

    write = cli(published_golden_db, "create table marts.scribble(a int)")
    assert write.returncode != 0
    assert "read-only" in (write.stderr + write.stdout).lower()


def _agency_total(db: Path, period: str) -> Decimal:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return conn.execute(
            """select v.numerator from marts.kpi_values v join marts.dim_org_unit o
                 on o.org_unit_code = v.org_unit_code and o.period = v.period and o.level = 1
               where v.kpi_id = 'agency_cost_sek' and v.period = ? and v."window" = 'month'
                 and v.breakdown = 'total'""",
            [period],
        ).fetchone()[0]
    finally:
        conn.close()


def _raise_first_invoice_line(path: Path, add_sek: int) -> None:
    """A corrected delivery: the first invoice line's Belopp goes up by add_sek."""
    raw = path.read_bytes()
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("cp1252"), "cp1252"
    lines = text.splitlines()
    header = [h.strip().lower() for h in lines[0].split(";")]
    col = header.index("belopp")
    fields = lines[1].split(";")
    amount = Decimal(fields[col].replace(",", ".").replace(" ", ""))
    fields[col] = str(amount + add_sek).replace(".", ",")
    lines[1] = ";".join(fields)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


def test_earlier_published_value_survives_a_correction(tmp_path: Path):
    landing = copy_golden_landing(tmp_path / "landing")
    with warehouse_env(tmp_path, landing) as s:
        assert run_refresh().success
        before = _agency_total(s.published_db, "2026-01-01")

        _raise_first_invoice_line(landing / "agency_costs" / "agency_costs_202601.csv", 1000)
        assert run_refresh().success
        after = _agency_total(s.published_db, "2026-01-01")
        assert after - before == Decimal(1000)

        conn = duckdb.connect(str(s.published_db), read_only=True)
        history = conn.execute(
            """select h.numerator, h.valid_from_publish_id, h.valid_to_publish_id
               from audit.kpi_values_history h join marts.dim_org_unit o
                 on o.org_unit_code = h.org_unit_code and o.period = h.period and o.level = 1
               where h.kpi_id = 'agency_cost_sek' and h.period = '2026-01-01' and h."window" = 'month'
                 and h.breakdown = 'total'
               order by h.valid_from_publish_id"""
        ).fetchall()
        publishes = conn.execute("select publish_id, status from audit.publish_log order by 1").fetchall()
        replaced = conn.execute(
            "select count(*) from audit.load_log where extract = 'agency_costs' and status = 'replaced'"
        ).fetchone()[0]
        conn.close()
        assert history == [(before, 1, 2), (after, 2, None)]
        assert publishes == [(1, "published"), (2, "published")]
        assert replaced == 1


@pytest.mark.parametrize("schema", ["marts", "audit"])
def test_published_file_exposes_no_personnummer_columns(published_golden_db: Path, schema: str):
    conn = duckdb.connect(str(published_golden_db), read_only=True)
    try:
        cols = [r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_schema = ?", [schema]
        ).fetchall()]
    finally:
        conn.close()
    assert cols
    assert not [c for c in cols if "personnummer" in c.lower() or c.lower() in ("pnr", "ssn")]
