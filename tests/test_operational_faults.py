"""Operational faults that are not about the delivered data: a full disk, a file the refresh
may not read, a file that vanishes while the refresh runs. Each ends in one line naming the
file or the disk and what to do, no stack trace, and the last published figures intact
(issue 15, item 6)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import TEST_KEY, warehouse_env
from dagster_project.ingest import ensure_warehouse, load_extract
from test_privacy import golden_personnummer, leaks
from test_faults import assert_one_clear_line, golden_state, query, refresh_output, workspace  # noqa: F401

KEY = TEST_KEY.encode()
FIXTURE_LANDING = Path(__file__).resolve().parent / "fixtures" / "ingest" / "landing"


def published_figures(s) -> list[tuple]:
    return query(s.published_db, "select * from marts.kpi_values order by all")


@pytest.fixture
def small_disk(tmp_path: Path):
    """A tmpfs mounted at a folder, sized by the test; skipped where mounting is not allowed."""
    mounted: list[Path] = []

    def mount(folder: Path, size: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here: {proc.stderr.strip()}")
        mounted.append(folder)
        return folder

    def shrink(folder: Path, spare_bytes: int) -> None:
        """Resize the tmpfs at `folder` to what it holds now plus `spare_bytes`."""
        st = os.statvfs(folder)
        used = (st.f_blocks - st.f_bfree) * st.f_frsize
        subprocess.run(["mount", "-o", f"remount,size={used + spare_bytes}", str(folder)], check=True)

    mount.shrink = shrink
    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_under_the_published_store_is_one_line_and_keeps_the_last_publish(
        golden_state: Path, tmp_path: Path, small_disk):
    root = workspace(golden_state, tmp_path)  # a changed invoice: the publish has to write
    saved = tmp_path / "published-before"
    shutil.move(root / "published", saved)
    small_disk(root / "published", "512m")
    shutil.copytree(saved, root / "published", dirs_exist_ok=True)
    # Room for what is there and 64 KB more: the new publish's parts and catalog do not fit.
    small_disk.shrink(root / "published", 64 * 1024)
    with warehouse_env(root, root / "landing") as s:
        before = published_figures(s)
        code, out, err = refresh_output(root)
        assert code == 2, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert "Traceback" not in err and "Stack Trace" not in err, err
        assert any("the disk is full" in line and "free space" in line for line in lines), err
        assert not leaks(out + err, golden_personnummer())  # no personnummer of the fixture, in any spelling
        assert published_figures(s) == before


def load_org_units_reading_with(landing: Path, monkeypatch, read_bytes) -> tuple:
    """Load the org_units of `landing` with Path.read_bytes replaced by `read_bytes`:
    (the outcome, the connection)."""
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    conn = duckdb.connect()
    ensure_warehouse(conn)
    (outcome,) = load_extract(conn, "org_units", landing, key=KEY)
    return outcome, conn


def test_a_landing_file_the_refresh_may_not_read_is_rejected_naming_it(monkeypatch):
    # The tests run as root, for whom file modes do not apply: the refusal is simulated at the
    # one call that reads a delivery.
    denied = FIXTURE_LANDING / "org_units"
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.parent == denied:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    o, conn = load_org_units_reading_with(FIXTURE_LANDING, monkeypatch, read_bytes)
    assert o.status == "rejected"
    assert "cannot be read: permission denied" in o.message and "read access" in o.message
    assert conn.execute("select status, file_name from audit.load_log").fetchall() == [("rejected", o.file)]


def test_a_landing_file_that_vanishes_during_the_refresh_is_rejected_and_tried_again(tmp_path: Path, monkeypatch):
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    target = next((landing / "org_units").glob("*.csv"))
    kept = target.read_bytes()
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == target:
            self.unlink()  # moved away between listing the folder and reading it
        return real_read(self)

    o, conn = load_org_units_reading_with(landing, monkeypatch, read_bytes)
    assert o.status == "rejected"
    assert "the file vanished while the refresh ran" in o.message and "run the refresh again" in o.message
    monkeypatch.undo()
    target.write_bytes(kept)  # the delivery completes; the next refresh loads it
    (again,) = load_extract(conn, "org_units", landing, key=KEY)
    assert again.status == "loaded", again.message
