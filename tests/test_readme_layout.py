"""The README's Layout table names the repository's folders as they are."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def layout_folders() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)/` \|", section, flags=re.MULTILINE)


def test_every_folder_in_the_layout_table_exists():
    folders = layout_folders()
    assert folders, "no Layout table in README.md"
    for folder in folders:
        assert (REPO / folder).is_dir(), folder


def test_every_top_level_folder_is_in_the_layout_table():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    top = {line.split("/", 1)[0] for line in tracked.splitlines() if "/" in line}
    top = {d for d in top if not d.startswith(".")}
    assert top <= set(layout_folders()), sorted(top - set(layout_folders()))


def readme_variables() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Where data lives\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE))


def test_every_setting_is_in_the_variables_table():
    """Each HRKPI_ variable the shared configuration or the dashboard reads has a row in the
    README's table (a setting nobody can find is not a setting)."""
    sources = [REPO / "hrkpi_config" / "__init__.py", REPO / "streamlit_app" / "times.py"]
    read = set()
    for path in sources:
        read |= set(re.findall(r'= "(HRKPI_[A-Z_]+)"', path.read_text(encoding="utf-8")))
    assert {"HRKPI_PROFILE", "HRKPI_ORG_TYPE", "HRKPI_TIMEZONE"} <= read
    assert read <= readme_variables(), sorted(read - readme_variables())
