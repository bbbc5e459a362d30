"""Shared fixtures: isolated warehouse paths and the real pipeline run on the golden fixture."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from dagster_project import config as hrkpi_config

TESTS_DIR = Path(__file__).resolve().parent
GOLDEN_DIR = TESTS_DIR / "fixtures" / "golden"
GOLDEN_LANDING = GOLDEN_DIR / "landing"


def pytest_configure(config: pytest.Config) -> None:  # noqa: ARG001
    # The Dagster definitions are built from dbt's manifest: make it match the models
    # before any test module imports them.
    from dagster_project.dbt_project import ensure_manifest

    ensure_manifest(force=True)


# The pseudonym key of every test warehouse (tests/warehouse_builds.py loads with it too, so a
# build made there can continue from the golden run's build database).
TEST_KEY = "test-key-0123456789abcdef"


@contextmanager
def warehouse_env(root: Path, landing: Path | None = None) -> Iterator[hrkpi_config.Settings]:
    """Point every HRKPI_* variable at `root` for the duration, then restore them."""
    # The audit store beside the published file, owner-only, five publishes kept: the defaults.
    values = {
        hrkpi_config.ENV_LANDING: str(landing or root / "landing"),
        hrkpi_config.ENV_BUILD_DB: str(root / "build" / "warehouse.duckdb"),
        hrkpi_config.ENV_PUBLISHED_DB: str(root / "published" / "hr_kpi.duckdb"),
        hrkpi_config.ENV_DEMO: "1",
        hrkpi_config.ENV_PSEUDONYM_KEY: TEST_KEY,
        "DAGSTER_HOME": None, hrkpi_config.ENV_AUDIT_DB: None, hrkpi_config.ENV_AUDIT_GROUP: None,
        hrkpi_config.ENV_KEEP_PUBLISHES: None,
    }
    with hrkpi_config.environ(values):
        yield hrkpi_config.settings()


def run_refresh(run_config: dict | None = None):
    """Run the real `refresh` job in process on an ephemeral Dagster instance."""
    import dagster as dg

    from dagster_project.definitions import defs

    with dg.DagsterInstance.ephemeral() as instance:
        return defs().resolve_job_def("refresh").execute_in_process(
            instance=instance, run_config=run_config or {}, raise_on_error=False
        )


def copy_golden_landing(target: Path) -> Path:
    shutil.copytree(GOLDEN_LANDING, target)
    return target


@pytest.fixture(scope="session")
def golden_run(tmp_path_factory) -> Iterator[tuple[hrkpi_config.Settings, object]]:
    """The whole refresh (raw loads -> dbt build -> publish) on the golden fixture, once."""
    if not GOLDEN_LANDING.exists():
        pytest.fail(f"golden fixture missing: {GOLDEN_LANDING}")
    root = tmp_path_factory.mktemp("golden")
    landing = copy_golden_landing(root / "landing")
    with warehouse_env(root, landing) as s:
        result = run_refresh()
        yield s, result


@pytest.fixture(scope="session")
def published_golden_db(golden_run) -> Path:
    """Path of the published file built from the golden fixture by the real pipeline."""
    s, result = golden_run
    assert result.success, "the refresh of the golden fixture failed"
    return s.published_db


GOLDEN_FI_LANDING = TESTS_DIR / "fixtures" / "golden_fi" / "landing"


@pytest.fixture(scope="session")
def golden_fi_run(tmp_path_factory) -> Iterator[tuple[hrkpi_config.Settings, object]]:
    """The whole refresh on the Finnish golden fixture under HRKPI_PROFILE=FI, once. The
    profile is set only while it runs, so other tests keep the Swedish default."""
    root = tmp_path_factory.mktemp("golden_fi")
    landing = root / "landing"
    shutil.copytree(GOLDEN_FI_LANDING, landing)
    with hrkpi_config.environ({hrkpi_config.ENV_PROFILE: "FI"}), warehouse_env(root, landing) as s:
        result = run_refresh()
    yield s, result


# One small correction after the golden fixture's first refresh: a sick-leave spell's hours in
# December 2025 (S-0001, 160 -> 150 h), delivered as a new absence_202512.csv.
CORRECTION = ("absence/absence_202512.csv", "2025-12-31;100;160", "2025-12-31;100;150")


@pytest.fixture(scope="session")
def corrected_run(tmp_path_factory):
    """Two refreshes of the golden fixture with the correction between them, on one Dagster
    instance: (settings, [run of each refresh], {run id: its tags}). The published file
    then has two publishes, the second revising the corrected figures."""
    import dagster as dg

    from dagster_project.definitions import defs

    root = tmp_path_factory.mktemp("corrected")
    landing = copy_golden_landing(root / "landing")
    with warehouse_env(root, landing) as s, dg.DagsterInstance.ephemeral() as instance:
        results = []
        for step in ("first", "corrected"):
            if step == "corrected":
                name, text, corrected = CORRECTION
                data = (landing / name).read_bytes()
                assert data.count(text.encode()) == 1
                (landing / name).write_bytes(data.replace(text.encode(), corrected.encode()))
            results.append(defs().resolve_job_def("refresh").execute_in_process(
                instance=instance, raise_on_error=False, tags={"hrkpi/trigger": f"test: {step}"}))
        assert all(r.success for r in results)
        tags = {r.run_id: dict(instance.get_run_by_id(r.run_id).tags) for r in results}
        yield s, results, tags


@pytest.fixture
def publish_filters(monkeypatch) -> dict[str, str]:
    """schema.table -> the filter a publish limited its fingerprint to (publish_scope.py), for
    every publish while the test runs; a relation read in full is not in it."""
    from dagster_project import stores

    found: dict[str, str] = {}
    fingerprints = stores.fingerprints

    def recorded(conn, rels, cols, only=None):
        found.update(only or {})
        return fingerprints(conn, rels, cols, only)

    monkeypatch.setattr(stores, "fingerprints", recorded)
    return found
