"""The published vocabulary, read from the seeds dbt builds from (seeds/*.csv): windows,
breakdowns and breakdown values with their Swedish, English and Finnish labels. Declared once
there, so the dashboard cannot name a window or order a breakdown differently from the marts."""

from __future__ import annotations

import csv
from functools import lru_cache

from hrkpi_config import SEEDS_DIR

LANGS = ("sv", "en", "fi")


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _labels(row: dict[str, str]) -> dict[str, str]:
    return {lang: row[f"name_{lang}"] for lang in LANGS}


@lru_cache(maxsize=1)
def windows() -> dict[str, dict[str, str]]:
    """window_name -> labels, in the seed's order (window_no)."""
    rows = sorted(_rows("kpi_windows"), key=lambda r: int(r["window_no"]))
    return {r["window_name"]: _labels(r) for r in rows}


@lru_cache(maxsize=1)
def breakdowns() -> dict[str, dict[str, str]]:
    """breakdown -> labels, in the seed's order (breakdown_no; 'total' first)."""
    rows = sorted(_rows("kpi_breakdowns"), key=lambda r: int(r["breakdown_no"]))
    return {r["breakdown"]: _labels(r) for r in rows}


@lru_cache(maxsize=1)
def breakdown_values() -> dict[str, dict[str, str]]:
    """Every published breakdown_value but the profession groups (their own seed) -> labels, in
    reading order: breakdown_values' sort_order, with the employment types (their own seed, by
    primary_rank) right after the age groups, in the sort_order numbers left free for them."""
    rows = _rows("breakdown_values")
    ordered = [(int(r["sort_order"]), r["breakdown_value"], _labels(r)) for r in rows]
    last_age = max(int(r["sort_order"]) for r in rows if r["breakdown"] == "age_group")
    ordered += [(last_age + int(r["primary_rank"]), r["employment_type"], _labels(r))
                for r in _rows("employment_types")]
    return {value: labels for _n, value, labels in sorted(ordered, key=lambda o: o[0])}
