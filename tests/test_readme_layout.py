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
