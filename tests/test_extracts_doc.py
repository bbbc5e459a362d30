"""docs/extracts.md lists every extract's columns as dagster_project/contracts.py declares them:
the same headers in the same order, the same required flag, the same closed code sets."""

from __future__ import annotations

import re
from pathlib import Path

from dagster_project.contracts import EXTRACT_ORDER, EXTRACTS

DOC = Path(__file__).resolve().parents[1] / "docs" / "extracts.md"
ROW = re.compile(r"^\| ([^|]+?) \| ([^|]+?) \| (yes|no) \| [^|]*\|$")


def documented() -> dict[str, list[tuple[str, str, bool]]]:
    """extract -> (header, type, required) rows of its table, in document order."""
    out: dict[str, list[tuple[str, str, bool]]] = {}
    section = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        m = ROW.match(line)
        if m and section in EXTRACTS:
            out.setdefault(section, []).append((m.group(1), m.group(2), m.group(3) == "yes"))
    return out


def test_every_extract_has_its_table_in_load_order():
    assert list(documented()) == list(EXTRACT_ORDER)


def test_the_tables_equal_the_contracts():
    doc = documented()
    for name in EXTRACT_ORDER:
        columns = EXTRACTS[name].columns
        assert [(h, r) for h, _t, r in doc[name]] == [(c.header, c.required) for c in columns], name
        for (header, type_, _r), c in zip(doc[name], columns):
            if c.allowed:
                assert type_.split(" / ") == list(c.allowed), f"{name}.{header}"
            if c.kind == "personnummer":
                assert type_ == "personnummer", f"{name}.{header}"


def test_dropped_free_text_columns_are_named():
    text = DOC.read_text(encoding="utf-8")
    for name in EXTRACT_ORDER:
        for header in EXTRACTS[name].dropped_headers:
            assert f"`{header}`" in text, header
