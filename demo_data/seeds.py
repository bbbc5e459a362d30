"""The code seeds, read at run time so seeds/*.csv stay the single source of codes."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from hrkpi_config import SEEDS_DIR


def _rows(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    path = seeds_dir / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Seeds:
    profession_group: dict[str, str]  # profession code -> profession group
    pay_types: frozenset[str]
    personnel_cost_pay_types: frozenset[str]
    absence_causes: frozenset[str]
    exit_reasons: frozenset[str]
    survey_questions: tuple[str, ...]

    def require(self, kind: str, codes: set[str] | list[str]) -> None:
        """Fail early, naming the seed, when the generator uses a code the seed lacks."""
        known = {"pay_types": self.pay_types, "absence_causes": self.absence_causes,
                 "exit_reasons": self.exit_reasons}[kind]
        missing = sorted(set(codes) - known)
        if missing:
            raise ValueError(f"seeds/{kind}.csv lacks the code(s) {missing} the demo generator uses")


def load_seeds(seeds_dir: Path = SEEDS_DIR) -> Seeds:
    pay_types = _rows(seeds_dir, "pay_types")
    return Seeds(
        profession_group={r["profession_code"]: r["profession_group"]
                          for r in _rows(seeds_dir, "professions")},
        pay_types=frozenset(r["pay_type_code"] for r in pay_types),
        personnel_cost_pay_types=frozenset(r["pay_type_code"] for r in pay_types
                                           if r["is_personnel_cost"].strip().lower() == "true"),
        absence_causes=frozenset(r["absence_cause_code"] for r in _rows(seeds_dir, "absence_causes")),
        exit_reasons=frozenset(r["exit_reason_code"] for r in _rows(seeds_dir, "exit_reasons")),
        survey_questions=tuple(r["question_code"] for r in _rows(seeds_dir, "survey_questions")),
    )
