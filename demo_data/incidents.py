"""Work injury and incident reports: near misses several times more frequent than accidents.

Reports are filed some days after the event, so an event late in one month can be reported
(and delivered) in the next. Accidents with lost days open a sick spell (mostly ASK).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .absence import ASK, SJK
from .organisation import ROUND_THE_CLOCK, Organisation
from .population import TIM, People

TYPES = ("OLYCKSFALL", "TILLBUD", "ARBETSSJUKDOM", "FARDOLYCKSFALL")
RATE_PER_EMPLOYEE_MONTH = {"OLYCKSFALL": 0.0011, "TILLBUD": 0.0050, "ARBETSSJUKDOM": 0.0001,
                           "FARDOLYCKSFALL": 0.00018}
DESCRIPTIONS = {
    "OLYCKSFALL": ("Halkade på vått golv", "Stickskada av kanyl", "Lyftskada vid förflyttning av patient",
                   "Slog huvudet i skåpdörr"),
    "TILLBUD": ("Hotfull situation med patient", "Nära att halka i trappa", "Trasig patientlyft upptäcktes",
                "Nära förväxling av läkemedel"),
    "ARBETSSJUKDOM": ("Belastningsbesvär", "Hudbesvär av handskar"),
    "FARDOLYCKSFALL": ("Cykelolycka på väg till arbetet", "Halkade på parkeringen på väg hem"),
}


@dataclass
class Report:
    number: str
    event_day: int
    report_day: int
    unit: int
    type: str
    lost_days: int
    serious: bool
    person: int  # -1 when no person is named
    description: str


@dataclass
class Incidents:
    next_no: int = 1
    pending: list[Report] = field(default_factory=list)

    def month(self, rng: np.random.Generator, org: Organisation, people: People, first: int,
              last: int) -> tuple[list[Report], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Reports filed this month, and the sick spells the month's events cause:
        (reports, people, spell start, spell days, cause)."""
        act = people.active_idx()
        headcount = act.size
        ward = np.array([org.kind[u] in ROUND_THE_CLOCK for u in people.unit[act].tolist()], dtype=bool)
        free = (people.form[act] != TIM) & (people.sp_id[act] < 0) & (people.hire[act] < first)
        reports: list[Report] = []
        spell_who, spell_start, spell_days, spell_cause = [], [], [], []
        taken: set[int] = set()
        free_pool, free_w = act[free], np.where(ward[free], 2.0, 1.0)
        all_w = np.where(ward, 2.0, 1.0)
        units = org.open_units()
        unit_w = org.target[units] * np.array([2.0 if org.kind[u] in ROUND_THE_CLOCK else 1.0
                                               for u in units.tolist()])
        for typ in TYPES:
            n = int(rng.poisson(RATE_PER_EMPLOYEE_MONTH[typ] * headcount))
            named = typ != "TILLBUD"
            for _ in range(n):
                day = int(rng.integers(first, last + 1))
                with_person = named or rng.random() < 0.3
                person = -1
                if with_person:
                    pool, w = (free_pool, free_w) if named else (act, all_w)
                    if pool.size == 0:
                        continue
                    person = int(pool[rng.choice(pool.size, p=w / w.sum())])
                    if person in taken:
                        continue
                    taken.add(person)
                    unit = int(people.unit[person])
                else:
                    unit = int(units[rng.choice(units.size, p=unit_w / unit_w.sum())])
                lost = 0
                if typ == "OLYCKSFALL" and rng.random() < 0.4:
                    lost = int(min(1 + rng.geometric(0.15), 90))
                elif typ == "ARBETSSJUKDOM" and rng.random() < 0.6:
                    lost = int(min(1 + rng.geometric(0.05), 180))
                elif typ == "FARDOLYCKSFALL" and rng.random() < 0.5:
                    lost = int(min(1 + rng.geometric(0.12), 90))
                delay = 0 if rng.random() < 0.4 else int(min(rng.geometric(0.2), 45))
                serious = lost > 14 or rng.random() < (0.02 if typ == "TILLBUD" else 0.04)
                desc = DESCRIPTIONS[typ][int(rng.integers(len(DESCRIPTIONS[typ])))]
                reports.append(Report(f"IA-{self.next_no:07d}", day, day + delay, unit, typ, lost,
                                      serious, person, desc))
                self.next_no += 1
                if lost and person >= 0 and people.form[person] != TIM:
                    spell_who.append(person)
                    spell_start.append(min(day + int(rng.integers(0, 2)), last))
                    spell_days.append(lost)
                    spell_cause.append(ASK if rng.random() < 0.7 else SJK)
        reports.sort(key=lambda r: (r.report_day, r.number))
        due = [r for r in self.pending + reports if r.report_day <= last]
        self.pending = [r for r in self.pending + reports if r.report_day > last]
        return (due, np.array(spell_who, dtype=np.int64), np.array(spell_start, dtype=np.int64),
                np.array(spell_days, dtype=np.int64), np.array(spell_cause, dtype=np.int64))
