"""docs/kpi-path.md promises that `grep -r exit_turnover_pct dbt/models` finds the KPI in every
model of its path (issue 14): each step model of the shared path, and the people counts it
reads, name it, so the KPI can be followed by its name."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_path_models() -> list[str]:
    text = (ROOT / "docs" / "kpi-path.md").read_text(encoding="utf-8")
    section = text.split("## The shared path", 1)[1].split("\n## ", 1)[0]
    models = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and (m := re.match(r"`((?:intermediate|marts)/[a-z_/]+)`", cells[2])):
            models.append(m.group(1))
    return models


def test_every_model_of_the_shared_path_names_exit_turnover_pct():
    models = shared_path_models()
    assert "marts/kpi_values" in models and "intermediate/kpi_windows/int_kpi_windowed" in models
    people = ["intermediate/int_population_members", "intermediate/int_kpi_population"]
    missing = [m for m in models + people
               if "exit_turnover_pct" not in (ROOT / "dbt" / "models" / f"{m}.sql").read_text(encoding="utf-8")]
    assert missing == []
