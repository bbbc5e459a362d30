"""The spring workplace health survey (HME plus participation questions), per enhet."""

from __future__ import annotations

import numpy as np

from .organisation import Organisation
from .population import TIM, People

# How a question's mean score (0-100) sits relative to the unit's overall mood.
QUESTION_OFFSET = {"HME01": 10, "HME02": 0, "HME03": -5, "HME04": 6, "HME05": 0, "HME06": 3,
                   "HME07": -3, "HME08": 7, "HME09": -9, "DEL01": -12, "DEL02": -16, "DEL03": -8,
                   "ARB01": -20}


def _answer_probabilities(mean_score: float) -> np.ndarray:
    """A discretised normal on the 1-5 scale whose mean is near 1 + score/25."""
    centre = 1 + mean_score / 25
    steps = np.arange(1, 6)
    w = np.exp(-0.5 * ((steps - centre) / 0.95) ** 2)
    return w / w.sum()


def survey_rows(rng: np.random.Generator, org: Organisation, people: People, mood: np.ndarray,
                questions: tuple[str, ...]) -> list[tuple[int, str, list[int]]]:
    """(unit, question, [Inbjudna, Svarande, Svar 1..5]) for every enhet with monthly-paid staff."""
    act = people.active_idx()
    act = act[people.form[act] != TIM]
    invited = np.bincount(people.unit[act], minlength=len(org.codes))
    rows: list[tuple[int, str, list[int]]] = []
    for u in org.open_units().tolist():
        n = int(invited[u])
        if n == 0:
            continue
        base = int(rng.binomial(n, rng.beta(7, 3)))
        unit_mood = mood[u] + rng.normal(0, 3)
        for q in questions:
            answered = base - int(rng.binomial(base, 0.03))
            p = _answer_probabilities(float(np.clip(unit_mood + QUESTION_OFFSET.get(q, 0), 5, 95)))
            counts = rng.multinomial(answered, p).tolist()
            rows.append((u, q, [n, answered, *counts]))
    return rows
