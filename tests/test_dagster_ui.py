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
