"""The Dagster UI as the controller opens it: the project's dagster.yaml, read by a real instance."""

from __future__ import annotations

import dagster as dg

from dagster_project import config


def test_dagster_yaml_turns_off_the_newsletter_prompt(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    home = config.dagster_home()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        # The UI shows its newsletter dialog only when the instance says nux is enabled
        # (dagster_graphql's shouldShowNux); one refresh at a time still holds.
        assert instance.nux_enabled is False
        assert instance.get_settings("telemetry") == {"enabled": False}


# --- runs that tell themselves apart, checks that say what they test -------------------------

def test_runs_are_tagged_with_what_they_loaded(corrected_run) -> None:
    from conftest import GOLDEN_LANDING

    _, results, tags = corrected_run
    first, second = (tags[r.run_id] for r in results)
    files = len(list(GOLDEN_LANDING.glob("*/*.csv")))
    # The golden fixture covers Jan 2025 to Jan 2026 (13 months); every file is new at first.
    assert first["hrkpi/periods"] == "2025-01..2026-01 (13 months)"
    assert first["hrkpi/files"] == f"{files} loaded, 0 replaced"
    # The correction: one file replaced, its month.
    assert second["hrkpi/periods"] == "2025-12"
    assert second["hrkpi/files"] == "absence_202512.csv (replaced)"
    assert "hrkpi/rejected" not in second
    assert second["hrkpi/trigger"] == "test: corrected"


def test_run_tags_name_a_rejected_file() -> None:
    import datetime as dt

    from dagster_project.run_tags import loads_tags

    tags = loads_tags([("payroll_202601.csv", "payroll", dt.date(2026, 1, 1), "rejected"),
                       ("absence_202601.csv", "absence", dt.date(2026, 1, 1), "loaded"),
                       ("employees_202512.csv", "employees", dt.date(2025, 12, 1), "skipped_duplicate")])
    assert tags == {"hrkpi/periods": "2026-01", "hrkpi/files": "absence_202601.csv",
                    "hrkpi/rejected": "payroll_202601.csv"}
    assert loads_tags([]) == {"hrkpi/periods": "none", "hrkpi/files": "no new or changed files"}


def test_landing_sensor_tags_the_run_with_the_files_that_arrived(tmp_path, monkeypatch) -> None:
    import json
    import os
    import shutil
    import time

    from conftest import GOLDEN_LANDING, warehouse_env
    from dagster_project.definitions import landing_sensor

    landing = tmp_path / "landing"
    shutil.copytree(GOLDEN_LANDING, landing)
    with warehouse_env(tmp_path, landing), dg.build_sensor_context() as ctx:
        first = landing_sensor(ctx)
        assert first.tags == {"hrkpi/trigger": "landing sensor"}  # nothing seen before
        assert json.loads(ctx.cursor)["fingerprint"] == first.run_key
        f = landing / "absence" / "absence_202512.csv"
        os.utime(f, (time.time() + 5, time.time() + 5))
        second = landing_sensor(ctx)
        assert second.tags == {"hrkpi/trigger": "landing sensor: absence_202512.csv"}
        assert isinstance(landing_sensor(ctx), dg.SkipReason)
        (landing / "survey" / "survey_202512.csv").unlink()  # a survey is not needed every month
        assert landing_sensor(ctx).tags == {"hrkpi/trigger": "landing sensor: files removed"}


def test_every_asset_check_carries_its_dbt_tests_description() -> None:
    from dagster_project.definitions import defs

    specs = {s.key.name: s for a in defs().assets if isinstance(a, dg.AssetsDefinition) for s in a.check_specs}
    assert len(specs) >= 60
    missing = sorted(name for name, s in specs.items() if not (s.description or "").strip())
    assert missing == [], f"asset checks without a description (write `description:` in the dbt YAML): {missing}"
    unique = next(s for name, s in specs.items() if name == "unique_mart_kpi_catalogue_kpi_id")
    assert unique.description == "No two rows of mart_kpi_catalogue have the same kpi_id."
    privacy = next(s for name, s in specs.items() if name.startswith("suppression_not_recoverable_kpi_values"))
    assert privacy.description.startswith("Privacy: no suppressed figure can be worked out by subtraction")


# --- a failed run says why in one line ------------------------------------------------------

def test_a_failed_runs_first_error_says_the_reason_in_one_line(tmp_path, capfd) -> None:
    import shutil

    from conftest import GOLDEN_LANDING, warehouse_env
    from dagster_project.definitions import defs

    landing = tmp_path / "landing"
    shutil.copytree(GOLDEN_LANDING, landing)
    bad = landing / "payroll" / "payroll_202601.csv"
    bad.write_bytes(bad.read_bytes().replace(b";", b",", 3))  # the header's first separators
    reason = ("payroll_202601.csv: rejected: missing required columns: Period, Personnummer, Kostnadsställe, "
              "Löneart (header, line 1)")
    with warehouse_env(tmp_path, landing), dg.DagsterInstance.ephemeral() as instance:
        result = defs().resolve_job_def("refresh").execute_in_process(
            instance=instance, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}})
        assert not result.success
        records = instance.all_logs(result.run_id)
        run_tags = instance.get_run_by_id(result.run_id).tags
    errors = [r for r in records if r.level >= 40]
    # The first error names the file and the reason, on one line.
    assert errors[0].user_message.endswith(reason) and "\n" not in errors[0].user_message
    failure = next(r.dagster_event for r in records if r.dagster_event and r.dagster_event.is_step_failure)
    assert failure.step_key == "raw__payroll"
    assert failure.step_failure_data.error.message.strip().endswith(reason)
    assert "\n" not in failure.step_failure_data.error.message.strip()
    run_failure = next(r.dagster_event for r in records if r.dagster_event and r.dagster_event.is_run_failure)
    assert "Steps failed: ['raw__payroll']." in run_failure.message
    assert run_tags["hrkpi/rejected"] == "payroll_202601.csv"
    # The console names the publish step's missing input once, not once per dbt model.
    err = capfd.readouterr().err
    line = next(x for x in err.splitlines() if "Dependencies for step published__hr_kpi" in x)
    assert line.endswith("were not executed: ['hr_kpi_dbt_assets']. Not executing."), line


def test_a_failed_dbt_build_says_how_many_and_which_first() -> None:
    from dagster_project.dbt_assets import build_failure_line

    failures = [{"node": "test.hr_kpi.unique_combination_kpi_values_kpi_id__period", "status": "fail", "message": "2"},
                {"node": "model.hr_kpi.kpi_values", "status": "error", "message": "boom\nline 2"}]
    assert build_failure_line(failures) == (
        "dbt build: 2 failed (unique_combination_kpi_values_kpi_id__period and 1 more); nothing is published. "
        "Failing rows are in the test_failures schema of the build database; each failure is in this step's details.")


def test_user_error_keeps_one_line_and_the_details_apart() -> None:
    from dagster_project.failures import UserError

    error = UserError("dbt build: 1 failed\n(see below)", details=["a: fail 3\nrows"])
    assert error.description == "dbt build: 1 failed (see below)"
    assert error.metadata["details"].value == "- a: fail 3 rows"
