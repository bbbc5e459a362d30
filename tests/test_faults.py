"""Faults: a refresh killed with SIGKILL in the dbt build and in the publish, and readers
(the dashboard, an auditor's SQL session) holding the published store meanwhile.

Everything is real: the refresh command (`python -m dagster_project.refresh`) runs as a
subprocess in its own session with its own Dagster instance, dbt runs as its child, and
the whole process group is killed. The moment to kill is read from what the processes
show, never guessed with a sleep: the dbt process in the refresh's session and dbt's
progress lines on the refresh's output; the publish's staging catalog appearing beside the
published store (dagster_project/stores.py).

Each test starts from the state the golden fixture's refresh left (build database,
published file, landing folder) and then raises one invoice, so there is something new
to publish. agency_costs_202601.csv holds a single invoice, F-5003, of 26,400 SEK; it
becomes 30,000 SEK. By hand (EXPECTED.md, agency_cost_sek): the root's January figure goes
from 26,400 to 30,000 and its rolling 12 months from 158,400 to 158,400 - 26,400 + 30,000 =
162,000. Nothing else in the fixture changes.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import warehouse_env
from test_dashboard_browser import wait_until
from test_pipeline import query, sha256

REPO = Path(__file__).resolve().parent.parent
NB = "\u00a0"
ROOT_UNIT = "1000"
AGENCY_FILE = Path("agency_costs") / "agency_costs_202601.csv"
OLD_JANUARY, NEW_JANUARY = 26400.0, 30000.0
OLD_ROLLING, NEW_ROLLING = 158400.0, 162000.0
# How the overview tile shows them (SEK, under a million: in full, Swedish format).
OLD_TILE, NEW_TILE = f"26{NB}400{NB}kr", f"30{NB}000{NB}kr"
AGENCY_TILE = "Kostnad för bemanningspersonal"
SICK_TILE = "Sjukfrånvaro"  # 190 / 5000 h = 3,8 % in January 2026, untouched by the change
SAFETY_TIMEOUT_S = 600  # only against a hung process; no assertion is about speed


# --- the warehouse each test starts from ---------------------------------------------------

@pytest.fixture(scope="module")
def golden_state(golden_run, tmp_path_factory) -> Path:
    """A copy of what the golden refresh left: landing folder, build database, published file."""
    s, result = golden_run
    assert result.success, "the refresh of the golden fixture failed"
    base = tmp_path_factory.mktemp("faults-base")
    shutil.copytree(s.landing_dir, base / "landing")
    (base / "build").mkdir()
    shutil.copyfile(s.build_db, base / "build" / s.build_db.name)
    # Both stores: the catalogs, the parts they read and the earlier publishes' catalogs.
    shutil.copytree(s.published_db.parent, base / "published")
    return base


def workspace(golden_state: Path, tmp_path: Path) -> Path:
    """This test's own warehouse, with the invoice of January 2026 raised to 30,000 SEK."""
    root = tmp_path / "warehouse"
    shutil.copytree(golden_state, root)
    invoice = root / "landing" / AGENCY_FILE
    text = invoice.read_bytes().decode("utf-8")
    assert ";26400,00;" in text
    invoice.write_bytes(text.replace(";26400,00;", ";30000,00;").encode("utf-8"))
    return root


def agency_sql(window: str = "month") -> str:
    return ("select value from marts.kpi_values where kpi_id = 'agency_cost_sek' and period = date '2026-01-01' "
            f"and \"window\" = '{window}' and org_unit_code = '{ROOT_UNIT}' and breakdown = 'total'")


def agency_cost(conn: duckdb.DuckDBPyConnection, window: str = "month") -> float:
    (value,) = conn.execute(agency_sql(window)).fetchone()
    return float(value)


def published_figures(db: Path) -> tuple[float, float, int]:
    """January and rolling agency cost at the root, and the row count, read read-only."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return agency_cost(conn), agency_cost(conn, "rolling_12m"), \
            conn.execute("select count(*) from marts.kpi_values").fetchone()[0]
    finally:
        conn.close()


# By hand: the invoice belongs to 1211, so agency cost and agency cost share change there
# and in its parents 1210, 1200 and 1000, for the three windows ending January 2026.
CHANGED_BY_THE_INVOICE = sorted(
    (kpi, unit, window)
    for kpi in ("agency_cost_sek", "agency_cost_share_pct")
    for unit in ("1000", "1200", "1210", "1211")
    for window in ("month", "rolling_12m", "year"))


def kpi_rows_differing(before: Path, after: Path) -> tuple[list, list]:
    """(kpi, unit, window) of the rows only `before` has and of those only `after` has."""
    conn = duckdb.connect(":memory:")
    try:
        for alias, path in (("before", before), ("after", after)):
            conn.execute(f"attach '{path}' as {alias} (read_only)")
        only = """select kpi_id, org_unit_code, "window" from
                  (select * from {0}.marts.kpi_values except all select * from {1}.marts.kpi_values)
                  where period = date '2026-01-01' and breakdown = 'total' union all
                  select kpi_id, org_unit_code, 'not January 2026 or not a total' from
                  (select * from {0}.marts.kpi_values except all select * from {1}.marts.kpi_values)
                  where period <> date '2026-01-01' or breakdown <> 'total' order by all"""
        return (conn.execute(only.format("before", "after")).fetchall(),
                conn.execute(only.format("after", "before")).fetchall())
    finally:
        conn.close()


def assert_only_the_invoice_changed(golden_state: Path, published: Path) -> None:
    """Nothing lost, nothing else altered: every other row of marts.kpi_values is as before."""
    gone, new = kpi_rows_differing(golden_state / "published" / published.name, published)
    assert gone == CHANGED_BY_THE_INVOICE
    assert new == CHANGED_BY_THE_INVOICE


def staging_copies(published: Path) -> list[Path]:
    """Catalogs being written beside the dashboard store or the audit store, and parts being
    written: whatever a publish killed before its renames would leave."""
    from hrkpi_config import default_audit_db

    audit = default_audit_db(published)
    return sorted([*published.parent.glob(f".{published.name}.*.tmp"), *audit.parent.glob(f".{audit.name}.*.tmp"),
                   *published.parent.glob("parts/*/**/*.tmp"), *audit.parent.glob("parts/*/**/*.tmp")])


def audit_store(published: Path) -> Path:
    from hrkpi_config import default_audit_db

    return default_audit_db(published)


# --- the refresh as a real process ----------------------------------------------------------

_started: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_refresh_left_running():
    """A failed assertion must not leave a refresh writing into pytest's temp folders."""
    yield
    while _started:
        proc = _started.pop()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(SAFETY_TIMEOUT_S)


def start_refresh(root: Path, log: Path) -> subprocess.Popen:
    """`python -m dagster_project.refresh` in its own session (so its process group is the
    refresh with its dbt child), with the HRKPI_* variables warehouse_env has set."""
    env = {**os.environ, "DAGSTER_HOME": str(root / "dagster_home"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dagster_project.refresh"], cwd=REPO, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    _started.append(proc)
    return proc


def finish_refresh(proc: subprocess.Popen, log: Path) -> str:
    proc.wait(SAFETY_TIMEOUT_S)
    output = log.read_text(errors="replace")
    assert proc.returncode == 0, f"refresh failed ({proc.returncode}):\n{output[-4000:]}"
    return output


def run_refresh_command(root: Path, log: Path) -> str:
    return finish_refresh(start_refresh(root, log), log)


def session_processes(session_id: int) -> dict[int, str]:
    """Live processes of a session (zombies hold nothing and are left out): pid -> command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended while we looked
            continue
        state, _ppid, _pgrp, session = stat[stat.rindex(")") + 2:].split()[:4]
        if int(session) == session_id and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def still_running(proc: subprocess.Popen, log: Path) -> None:
    if proc.poll() is not None:
        raise AssertionError(f"the refresh ended ({proc.returncode}) before the fault could be injected:\n"
                             f"{log.read_text(errors='replace')[-3000:]}")


def dbt_is_building(proc: subprocess.Popen, log: Path) -> bool:
    """dbt build runs in the refresh's session and has already replaced a table in the build
    database (dbt's progress lines reach the refresh's output through dagster-dbt)."""
    still_running(proc, log)
    dbt = [cmd for cmd in session_processes(proc.pid).values() if "dbt build" in cmd]
    return bool(dbt) and "OK created sql table model intermediate." in log.read_text(errors="replace")


def kill_session(proc: subprocess.Popen) -> None:
    """SIGKILL the refresh's whole process group and wait until none of it is left."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(SAFETY_TIMEOUT_S)
    assert proc.returncode == -signal.SIGKILL
    wait_until(lambda: not session_processes(proc.pid), 60, "every process of the killed refresh to exit")


# --- 1. SIGKILL during the dbt build --------------------------------------------------------

def test_sigkill_during_dbt_build_leaves_the_published_file_and_the_next_refresh_publishes(
        golden_state: Path, tmp_path: Path):
    root = workspace(golden_state, tmp_path)
    with warehouse_env(root, root / "landing") as s:
        before = sha256(s.published_db)
        _, _, kpi_rows = published_figures(s.published_db)

        log = tmp_path / "killed.log"
        proc = start_refresh(root, log)
        wait_until(lambda: dbt_is_building(proc, log), SAFETY_TIMEOUT_S, "dbt build to replace a table", log)
        kill_session(proc)

        # The published file is the very same file and answers read-only with its old figures.
        assert sha256(s.published_db) == before
        assert published_figures(s.published_db) == (OLD_JANUARY, OLD_ROLLING, kpi_rows)
        assert staging_copies(s.published_db) == []
        # The killed run's raw load of the new invoice had committed; its dbt build never finished.
        assert query(s.build_db, "select count(*) from audit.load_log where file_name = ? and status = 'replaced'",
                     [AGENCY_FILE.name])[0][0] == 1
        assert query(s.build_db, "select count(*) from audit.dbt_build")[0][0] == 1  # the golden run's only

        # The next refresh opens the build database the kill left (DuckDB replays its WAL),
        # takes the writer lock the dead process held, rebuilds everything and publishes.
        run_refresh_command(root, tmp_path / "next.log")
        assert published_figures(s.published_db) == (NEW_JANUARY, NEW_ROLLING, kpi_rows)
        assert_only_the_invoice_changed(golden_state, s.published_db)
        assert query(s.published_db, "select publish_id, status from audit.publish_log order by 1") == [
            (1, "published"), (2, "published")]
        assert query(s.published_db, "select success from audit.dbt_build order by finished_at") == [(True,), (True,)]
        # Dagster cannot see a process die: the killed run stays 'started' in the run history,
        # and it held nothing up.
        import dagster as dg

        os.environ["DAGSTER_HOME"] = str(root / "dagster_home")  # warehouse_env restores it
        with dg.DagsterInstance.get() as instance:
            assert sorted(r.status.value for r in instance.get_runs()) == ["STARTED", "SUCCESS"]


# --- 2. SIGKILL while the publish is copying -----------------------------------------------

BALLAST_ROWS = 30_000_000  # ~240 MB of incompressible integers


def give_real_size(build_db: Path) -> None:
    """Grow the microdata towards a real region's size (the M benchmark publishes 870 MB).

    The golden stores are a few MB, written and flushed in moments; with a large
    intermediate table to write the publish takes long enough that the test sees its
    staging catalogs before the renames.
    """
    conn = duckdb.connect(str(build_db))
    try:
        conn.execute(f"create table intermediate.ballast as select hash(i) as x from range({BALLAST_ROWS}) t(i)")
        conn.execute("checkpoint")
    finally:
        conn.close()


def wait_for_staging_copy(proc: subprocess.Popen, log: Path, published: Path) -> Path:
    """Poll tightly: the copy exists only between the publish's start and its rename."""
    deadline = time.monotonic() + SAFETY_TIMEOUT_S
    while time.monotonic() < deadline:
        found = staging_copies(published)
        if found:
            return found[0]
        still_running(proc, log)
        time.sleep(0.002)
    raise AssertionError(f"no staging copy appeared beside {published}")


def test_sigkill_during_publish_copy_leaves_the_published_file_and_the_next_refresh_cleans_up(
        golden_state: Path, tmp_path: Path):
    root = workspace(golden_state, tmp_path)
    try:
        with warehouse_env(root, root / "landing") as s:
            give_real_size(s.build_db)
            before, audit_before = sha256(s.published_db), sha256(audit_store(s.published_db))
            _, _, kpi_rows = published_figures(s.published_db)

            log = tmp_path / "killed.log"
            proc = start_refresh(root, log)
            staging = wait_for_staging_copy(proc, log, s.published_db)
            kill_session(proc)

            assert sha256(s.published_db) == before, "the publish renamed its catalog before the kill"
            assert sha256(audit_store(s.published_db)) == audit_before
            assert published_figures(s.published_db) == (OLD_JANUARY, OLD_ROLLING, kpi_rows)
            assert staging.exists() and staging.name in (
                f".{s.published_db.name}.{proc.pid}.tmp", f".{audit_store(s.published_db).name}.{proc.pid}.tmp")
            # The build database committed the publish's record before the copy began.
            assert query(s.build_db, "select publish_id, status from audit.publish_log order by 1") == [
                (1, "published"), (2, "published")]

            output = run_refresh_command(root, tmp_path / "next.log")
            assert staging_copies(s.published_db) == []
            assert "Removed the half-written files of 1 interrupted publish(es)" in output
            assert published_figures(s.published_db) == (NEW_JANUARY, NEW_ROLLING, kpi_rows)
            assert_only_the_invoice_changed(golden_state, s.published_db)
            # The story: 1 was published, 2 was killed before its rename, 3 is what readers see now.
            assert query(s.published_db, "select publish_id, status from audit.publish_log order by 1") == [
                (1, "published"), (2, "interrupted"), (3, "published")]
            # No figure is said to be valid from or until a publish nobody could read.
            assert query(s.published_db, """select count(*) from audit.kpi_values_history
                                            where 2 in (valid_from_publish_id, valid_to_publish_id)""") == [(0,)]
            assert query(s.published_db, """select value, valid_from_publish_id, valid_to_publish_id
                                            from audit.kpi_values_history
                                            where kpi_id = 'agency_cost_sek' and period = date '2026-01-01'
                                              and "window" = 'month' and org_unit_code = ? and breakdown = 'total'
                                            order by valid_from_publish_id""", [ROOT_UNIT]) == [
                (OLD_JANUARY, 1, 3), (NEW_JANUARY, 3, None)]
            # The killed publish's catalogs are gone, not kept as an earlier publish.
            assert [p.name for p in sorted((s.published_db.parent / "publishes").glob("*.duckdb"))] == [
                "hr_kpi.000001.duckdb", "hr_kpi.000003.duckdb"]
    finally:
        # ~1 GB of copies: do not leave them in pytest's kept temp folders.
        shutil.rmtree(root, ignore_errors=True)


# --- 3. The dashboard and an auditor reading while a refresh runs -------------------------

class AuditorSession:
    """The DuckDB CLI as an auditor runs it (`make sql`): read-only, opened once, left open."""

    def __init__(self, db: Path, read_only: bool = True) -> None:
        mode = ["-readonly"] if read_only else []
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "duckdb"), *mode, "-csv", "-noheader", str(db)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)

    def ask(self, sql: str) -> str:
        """One query with a one-line answer (the CLI flushes after every statement)."""
        self.proc.stdin.write(sql + ";\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], SAFETY_TIMEOUT_S)
        assert ready, "the auditor's session did not answer"
        return self.proc.stdout.readline().strip()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(SAFETY_TIMEOUT_S)


def read_replies(out: Path) -> list[dict]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_dashboard_and_auditor_keep_answering_during_a_refresh_that_they_do_not_block(
        golden_state: Path, tmp_path: Path):
    root = workspace(golden_state, tmp_path)
    with warehouse_env(root, root / "landing") as s:
        auditor = AuditorSession(s.published_db)
        assert float(auditor.ask(agency_sql())) == OLD_JANUARY
        stop, out = tmp_path / "stop-reader", tmp_path / "replies.jsonl"
        with open(out, "wb") as fh, open(tmp_path / "reader.log", "wb") as err:
            reader = subprocess.Popen([sys.executable, str(REPO / "tests" / "dashboard_reader.py"), str(stop)],
                                      cwd=REPO, env=dict(os.environ), stdout=fh, stderr=err)
        try:
            wait_until(lambda: read_replies(out), SAFETY_TIMEOUT_S, "the dashboard's first reply")

            log = tmp_path / "refresh.log"
            proc = start_refresh(root, log)
            wait_until(lambda: dbt_is_building(proc, log), SAFETY_TIMEOUT_S, "dbt build to replace a table", log)
            building_since = time.time()
            assert float(auditor.ask(agency_sql())) == OLD_JANUARY
            # Wait for a reply the dashboard gave while the refresh was running.
            wait_until(lambda: proc.poll() is not None
                       or any(r["started"] > building_since for r in read_replies(out)),
                       SAFETY_TIMEOUT_S, "a dashboard reply during the refresh")
            finish_refresh(proc, log)
            finished_at = time.time()
            # The copy's last write, just before its rename into place.
            renamed_at = s.published_db.stat().st_mtime

            # The auditor's session still reads the file it opened; a new session sees the publish.
            assert float(auditor.ask(agency_sql())) == OLD_JANUARY
            assert published_figures(s.published_db)[:2] == (NEW_JANUARY, NEW_ROLLING)
            assert_only_the_invoice_changed(golden_state, s.published_db)
            # The dashboard notices the new file by itself: its cache is keyed on the file.
            wait_until(lambda: any(r["started"] > finished_at for r in read_replies(out)),
                       SAFETY_TIMEOUT_S, "a dashboard reply after the refresh")
        finally:
            stop.touch()
            reader.wait(SAFETY_TIMEOUT_S)
            auditor.close()

        replies = read_replies(out)
        assert [r["errors"] for r in replies if r["errors"]] == []
        before = [r for r in replies if r["ended"] < renamed_at]
        assert any(r["started"] > building_since for r in before), "no dashboard reply while the refresh ran"
        assert all(r["tiles"][AGENCY_TILE] == OLD_TILE for r in before)
        after = [r for r in replies if r["started"] > finished_at]
        assert after and all(r["tiles"][AGENCY_TILE] == NEW_TILE for r in after)
        # Old figures until the rename, new ones after it, never back again.
        shown = [r["tiles"][AGENCY_TILE] for r in replies]
        assert shown == sorted(shown, key=[OLD_TILE, NEW_TILE].index)
        assert {r["tiles"][SICK_TILE] for r in replies} == {f"3,8{NB}%"}
        assert query(s.published_db, "select publish_id, status from audit.publish_log order by 1") == [
            (1, "published"), (2, "published")]


def small_published_file(path: Path, agency_january: float) -> Path:
    conn = duckdb.connect(str(path))
    try:
        conn.execute("create schema marts")
        conn.execute(f"create table marts.kpi_values as select 'agency_cost_sek' as kpi_id, {agency_january} as value")
    finally:
        conn.close()
    return path


def test_a_query_in_flight_in_another_session_does_not_pin_the_replaced_file(tmp_path: Path):
    """One Streamlit server runs its visitors' sessions in threads of one process. DuckDB
    shares one database instance per path within a process, so a connection still open in
    one session used to make a new connect in another read the file renamed away, and the
    old figure was cached under the new file's key until the next publish."""
    from streamlit_app import queries

    published = small_published_file(tmp_path / "hr_kpi.duckdb", OLD_JANUARY)
    other_session = duckdb.connect(str(published), read_only=True)
    try:
        os.replace(small_published_file(tmp_path / ".hr_kpi.duckdb.1.tmp", NEW_JANUARY), published)
        df = queries._fetch(queries.file_key(published), "select value from marts.kpi_values")
        assert df["value"].tolist() == [NEW_JANUARY]
        # The other session goes on reading the file it opened, as the auditor's does.
        assert other_session.execute("select value from marts.kpi_values").fetchone() == (OLD_JANUARY,)
    finally:
        other_session.close()


def test_a_sql_client_writing_to_the_published_file_gets_a_clear_refusal_not_a_half_publish(
        golden_state: Path, tmp_path: Path):
    """An auditor's client opened without -readonly locks the published file exclusively."""
    from dagster_project.publish import PublishRefused, publish

    root = workspace(golden_state, tmp_path)
    with warehouse_env(root, root / "landing") as s:
        before = sha256(s.published_db)
        (run_id,) = query(s.build_db, "select run_id from audit.dbt_build where success")[0]
        client = AuditorSession(s.published_db, read_only=False)
        try:
            assert float(client.ask(agency_sql())) == OLD_JANUARY  # the session is open and holds the lock
            with pytest.raises(PublishRefused, match=r"open for writing in another process .*duckdb -readonly"):
                publish(s.build_db, s.published_db, run_id)
        finally:
            client.close()
        assert sha256(s.published_db) == before
        assert query(s.build_db, "select publish_id, status from audit.publish_log") == [(1, "published")]
        assert staging_copies(s.published_db) == []
        # Once the session is closed the same build publishes (its figures are the golden ones).
        assert publish(s.build_db, s.published_db, run_id).publish_id == 2
        assert published_figures(s.published_db)[:2] == (OLD_JANUARY, OLD_ROLLING)


# --- configuration and environment faults: one line, what to do, exit 2 ----------------------

def refresh_output(root: Path, **env: str) -> tuple[int, str, str]:
    """The refresh command run to its end with extra environment, (exit code, stdout, stderr)."""
    full = {**os.environ, "DAGSTER_HOME": str(root / "dagster_home"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            **env}
    proc = subprocess.run([sys.executable, "-m", "dagster_project.refresh"], cwd=REPO, env=full,
                          capture_output=True, text=True, timeout=SAFETY_TIMEOUT_S)
    return proc.returncode, proc.stdout, proc.stderr


def assert_one_clear_line(stderr: str, *needles: str) -> str:
    """stderr is one line, no stack trace, holding every needle."""
    assert "Traceback" not in stderr and "Stack Trace" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def persons(build_db: Path) -> int:
    return query(build_db, "select count(distinct person_key) from raw.employees")[0][0]


def test_a_changed_pseudonym_key_is_refused_with_how_to_re_key(golden_state: Path, tmp_path: Path):
    """Another key would make every person two: 35 people would become 67 (issue 15)."""
    root = workspace(golden_state, tmp_path)
    with warehouse_env(root, root / "landing") as s:
        before, people = sha256(s.published_db), persons(s.build_db)
        # One pseudonym per person delivered in the employee registers.
        delivered = {line.split(";")[1] for f in (root / "landing" / "employees").glob("*.csv")
                     for line in f.read_bytes().decode("utf-8", "replace").splitlines()[1:] if line}
        assert people == len(delivered) == 36
        code, _out, err = refresh_output(root, HRKPI_PSEUDONYM_KEY="another-key-" + "9" * 30)
        assert code == 2
        assert_one_clear_line(err, "Configuration error: HRKPI_PSEUDONYM_KEY is not the key", str(s.build_db),
                              "full reload", "move the build database")
        assert "another-key" not in err  # the key itself is never shown
        assert sha256(s.published_db) == before
        assert persons(s.build_db) == people
        # What the warehouse stores is a keyed fingerprint, not the key.
        (fingerprint,) = query(s.build_db, "select fingerprint from audit.pseudonym_key")[0]
        assert len(fingerprint) == 64 and "test-key" not in fingerprint


def test_the_raw_load_itself_refuses_another_key(golden_state: Path, tmp_path: Path):
    """The Dagster asset (UI, sensor, schedule) checks too, not only the command's preflight."""
    from dagster_project.config import ConfigError
    from dagster_project.ingest import ensure_warehouse
    from dagster_project.pseudonym import guard_key

    root = workspace(golden_state, tmp_path)
    conn = duckdb.connect(str(root / "build" / "warehouse.duckdb"))
    try:
        ensure_warehouse(conn)
        guard_key(conn, b"test-key-0123456789abcdef")  # the golden run's key passes
        with pytest.raises(ConfigError, match="not the key this build database was built with"):
            guard_key(conn, b"x" * 40)
        assert conn.execute("select count(*) from audit.pseudonym_key").fetchone()[0] == 1
    finally:
        conn.close()


@pytest.mark.parametrize("key, needle", [
    ("demo-key-not-secret-do-not-use-for-real-data", "is the public demo key"),
    ("only-twenty-characters", "shorter than 32 characters"),
    ("", "HRKPI_PSEUDONYM_KEY is not set"),
])
def test_real_data_mode_refuses_the_demo_key_short_keys_and_no_key(golden_state: Path, tmp_path: Path, key, needle):
    root = workspace(golden_state, tmp_path)
    with warehouse_env(root, root / "landing") as s:
        before = sha256(s.published_db)
        code, _out, err = refresh_output(root, HRKPI_DEMO="0", HRKPI_PSEUDONYM_KEY=key)
        assert code == 2
        assert_one_clear_line(err, "Configuration error: ", needle, "secrets.token_hex(32)")
        assert sha256(s.published_db) == before


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_corrupt_build_database_is_one_line_naming_it(golden_state: Path, tmp_path: Path, damage):
    root = workspace(golden_state, tmp_path)
    with warehouse_env(root, root / "landing") as s:
        before = sha256(s.published_db)
        data = s.build_db.read_bytes()
        s.build_db.write_bytes(b"not a database\n" * 1000 if damage == "garbage" else data[:len(data) // 3])
        code, _out, err = refresh_output(root)
        assert code == 2, err
        assert_one_clear_line(err, f"the build database {s.build_db} cannot be opened", "full reload")
        assert sha256(s.published_db) == before


def test_a_missing_landing_folder_is_a_configuration_error(golden_state: Path, tmp_path: Path):
    root = workspace(golden_state, tmp_path)
    with warehouse_env(root, root / "nowhere") as s:
        before = sha256(s.published_db)
        code, _out, err = refresh_output(root)
        assert code == 2
        assert_one_clear_line(err, f"the landing folder {root / 'nowhere'} does not exist", "HRKPI_LANDING_DIR")
        assert sha256(s.published_db) == before


# --- completeness: a half-delivered month is kept, not published -------------------------------

def test_a_month_with_only_its_register_is_loaded_but_not_published(golden_state: Path, tmp_path: Path):
    """February's register and organisation arrive before payroll, absence and events: the
    refresh loads them, publishes, and the published figures still end in January."""
    root = tmp_path / "warehouse"
    shutil.copytree(golden_state, root)
    for extract in ("employees", "org_units"):
        january = (root / "landing" / extract / f"{extract}_202601.csv").read_bytes()
        (root / "landing" / extract / f"{extract}_202602.csv").write_bytes(january.replace(b"202601;", b"202602;"))
    with warehouse_env(root, root / "landing") as s:
        before = query(s.published_db, "select * from marts.kpi_values order by all")
        run_refresh_command(root, tmp_path / "partial.log")
        assert query(s.build_db, "select count(*) from raw.employees where period = 202602")[0][0] == 33
        assert query(s.published_db, "select max(period) from marts.kpi_values")[0][0].isoformat() == "2026-01-01"
        assert query(s.published_db, "select * from marts.kpi_values order by all") == before
        assert query(s.published_db, "select missing, complete from audit.period_completeness "
                                     "where period = date '2026-02-01'") == [
            (["absence", "employment_events", "payroll"], False)]


def test_a_part_deleted_by_hand_is_written_again_by_the_next_publish(golden_state: Path, tmp_path: Path, publish_filters: dict):
    """A publish that reads only what changed names the last publish's parts of the other
    periods (publish_scope.py). If one of them is gone (deleted by hand, a broken disk), the
    publish must not name a missing file: it reads that relation in full and writes the part
    again, and the dashboard store gives the build's figures."""
    from dagster_project.publish import publish
    from test_history import run_id

    root = tmp_path / "warehouse"
    shutil.copytree(golden_state / "landing", root / "landing")
    shutil.copytree(golden_state / "build", root / "build")
    with warehouse_env(root) as s:
        first = publish(s.build_db, s.published_db, run_id(s.build_db))
        parts = sorted((s.published_db.parent / "parts" / "marts.kpi_values").glob("period=2025-12-01/*.parquet"))
        assert len(parts) == 1
        parts[0].unlink()
        publish_filters.clear()
        second = publish(s.build_db, s.published_db, run_id(s.build_db))
        # The second publish read only what changed, except the relation that lost a part.
        assert "marts.kpi_values" not in publish_filters and "intermediate.int_kpi_month_rollup" in publish_filters
        assert (second.publish_id, second.kpi_rows_changed) == (first.publish_id + 1, 0)
        assert parts[0].exists(), "the deleted part was not written again"
        conn = duckdb.connect()
        try:
            conn.execute(f"attach '{s.build_db}' as build (read_only)")
            conn.execute(f"attach '{s.published_db}' as shown (read_only)")
            assert conn.execute("""select (select count(*) from (from build.marts.kpi_values
                                                              except all from shown.marts.kpi_values)),
                                          (select count(*) from (from shown.marts.kpi_values
                                                              except all from build.marts.kpi_values))""").fetchone() \
                == (0, 0)
        finally:
            conn.close()
