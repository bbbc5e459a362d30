"""Every relative link in the repository's Markdown files resolves inside the repository.

A clone stands alone: a link to a file beside the clone (such as a design folder next to
it), or to a missing file or heading, is a broken document. Links are checked as GitHub
renders them: relative to the file that holds them, `#anchor` against the headings of the
target file.
"""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Folders of things built or installed, never documents of the project.
NOT_DOCS = {".git", ".venv", "data", "target", "logs", "work", "node_modules"}

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)
HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"", re.I)


def markdown_files(root: Path = REPO) -> list[Path]:
    """The repository's Markdown files: tracked or new, not ignored (git), else by walking."""
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
                             cwd=root, capture_output=True, text=True, check=True).stdout
        files = [root / line for line in out.splitlines() if line]
    except (OSError, subprocess.CalledProcessError):
        files = [p for p in root.rglob("*.md") if not NOT_DOCS & set(p.relative_to(root).parts[:-1])]
    return sorted(p for p in files if p.is_file())


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link in a heading keeps its text
    text = text.replace("`", "").strip().lower()
    kept = "".join(ch for ch in text
                   if ch in " -_" or unicodedata.category(ch)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    out = set(HTML_ANCHOR.findall(text))
    for heading in HEADING.findall(text):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(path: Path) -> list[str]:
    """Link targets in the file, code blocks and code spans left out."""
    text = CODE_SPAN.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))
    return INLINE_LINK.findall(text) + REFERENCE_DEF.findall(text)


def problems_in(path: Path, root: Path = REPO) -> list[str]:
    out = []
    where = path.relative_to(root)
    for target in links(path):
        if not target or SCHEME.match(target):
            continue  # web addresses are not files of the repository
        file_part, _, anchor = target.partition("#")
        if file_part.startswith("/"):
            out.append(f"{where}: '{target}' is an absolute path; link relative to the file")
            continue
        resolved = Path(os.path.normpath(path.parent / file_part)) if file_part else path
        if resolved != root and root not in resolved.parents:
            out.append(f"{where}: '{target}' leaves the repository")
            continue
        if not resolved.exists():
            out.append(f"{where}: '{target}' does not exist")
            continue
        if anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            out.append(f"{where}: '{target}' names no heading of {resolved.relative_to(root)}")
    return out


def test_the_docs_are_found():
    found = {p.relative_to(REPO).as_posix() for p in markdown_files()}
    assert {"README.md", "docs/README.md", "docs/architecture.md", "docs/extracts.md",
            "docs/kpi-catalogue.md", "docs/definitions.md", "docs/auditing.md"} <= found


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_resolves_inside_the_repository(path: Path):
    assert problems_in(path) == []


def test_the_readme_links_to_every_document_in_docs():
    readme_targets = {os.path.normpath(t.partition("#")[0]) for t in links(REPO / "README.md")}
    for doc in sorted((REPO / "docs").glob("*.md")):
        assert doc.relative_to(REPO).as_posix() in readme_targets, doc.name


def test_no_file_points_outside_the_clone():
    """No committed file (code, test or document) reads the design folder beside the clone."""
    outside = ("../" + "shared", "/work/" + "shared")
    hits = []
    for rel in subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.splitlines():
        path = REPO / rel
        if not path.is_file() or path.suffix not in {".md", ".py", ".sql", ".yml", ".toml", ".cfg", ".txt", ""}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        hits += [f"{rel}: {s}" for s in outside if s in text]
    assert hits == []


def test_the_checker_finds_broken_links(tmp_path: Path):
    """The checker itself: a missing file, a missing heading, a link out of the root and an
    absolute path are each reported; good links, web addresses and code are not."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A title\n\n## Second part, `code`\n", encoding="utf-8")
    page = tmp_path / "docs" / "b.md"
    page.write_text(
        "[ok](a.md) [ok anchor](a.md#second-part-code) [self](#local) [web](https://example.org/x)\n"
        "[missing](c.md) [bad anchor](a.md#nothing) [out](../../elsewhere/x.md) [abs](/etc/passwd)\n"
        "`[in code](nowhere.md)`\n\n```\n[in a block](nowhere.md)\n```\n\n## Local\n\n"
        "[ref]: ../README.md\n",
        encoding="utf-8")
    problems = problems_in(page, tmp_path)
    assert [p.split("'")[1] for p in problems] == ["c.md", "a.md#nothing", "../../elsewhere/x.md", "/etc/passwd",
                                                  "../README.md"]
