"""Absence spells: one ongoing spell per person at a time, cut into one row per month.

A spell keeps its id and start date across months; each month's row covers the part of
the spell inside the month. Hours are working days x the person's daily hours x extent,
floored to hundredths, so a month's absence never exceeds the ordinary hours (computed
the same way, see `ordinary_centi_hours`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .calendar import working_days
from .population import TIM, People

CAUSES = ("SJK", "ASK", "VAB", "SEM", "FPE", "TJL", "KOM")
SJK, ASK, VAB, SEM, FPE, TJL, KOM = range(len(CAUSES))
SICK = (SJK, ASK)
UNPAID = (VAB, FPE, TJL)
FULL_TIME_DAY_CENTI = 790  # 7.9 hours a working day at full time: ~165 hours a month

SICK_SEASON = {1: 1.3, 2: 1.35, 3: 1.2, 4: 1.0, 5: 0.9, 6: 0.85, 7: 0.7, 8: 0.9, 9: 1.0,
               10: 1.05, 11: 1.15, 12: 1.2}
VACATION = {6: 0.25, 7: 0.70, 8: 0.35, 12: 0.15}


def ordinary_centi_hours(days: np.ndarray, rate: np.ndarray) -> np.ndarray:
    return days * FULL_TIME_DAY_CENTI * rate // 100


@dataclass
class MonthAbsence:
    person: np.ndarray
    cause: np.ndarray
    spell: np.ndarray
    start: np.ndarray
    day_from: np.ndarray
    day_to: np.ndarray
    extent: np.ndarray
    centi_hours: np.ndarray
    work_days: np.ndarray

    def band_hours(self, lo: int, hi: int) -> np.ndarray:
        """Hours of each row on days lo..hi of its spell, spread evenly over calendar days."""
        d0 = self.day_from - self.start + 1
        d1 = self.day_to - self.start + 1
        overlap = np.maximum(0, np.minimum(d1, hi) - np.maximum(d0, lo) + 1)
        return self.centi_hours * overlap / (d1 - d0 + 1)


class Spells:
    def __init__(self) -> None:
        self.next_id = 1

    def _open(self, people: People, who: np.ndarray, cause: np.ndarray, start: np.ndarray,
              days: np.ndarray, extent: np.ndarray) -> None:
        people.sp_id[who] = np.arange(self.next_id, self.next_id + who.size)
        self.next_id += who.size
        people.sp_cause[who] = cause
        people.sp_start[who] = start
        people.sp_end[who] = start + np.maximum(days, 1) - 1
        people.sp_ext[who] = extent

    def seed_ongoing(self, rng: np.random.Generator, people: People, first: int) -> None:
        """Long sick leave and parental leave already running when the history starts."""
        act = people.active_idx()
        act = act[people.form[act] != TIM]
        roll = rng.random(act.size)
        sick, parental = act[roll < 0.05], act[(roll >= 0.05) & (roll < 0.075)]
        for who, cause, back, ahead, ext_p in (
            (sick, SJK, 300, 120, [0.45, 0.2, 0.25, 0.1]), (parental, FPE, 200, 120, [0.6, 0.1, 0.2, 0.1])
        ):
            start = np.maximum(first - rng.integers(1, back, who.size), people.hire[who])
            end = first + rng.exponential(ahead, who.size).astype(np.int64)
            self._open(people, who, np.full(who.size, cause), start, end - start + 1,
                       rng.choice([100, 75, 50, 25], who.size, p=ext_p))

    def open_after_events(self, people: People, who: np.ndarray, start: np.ndarray, days: np.ndarray,
                          cause: np.ndarray) -> None:
        """Sick spells following reported accidents (chosen among people without a spell)."""
        if who.size:
            self._open(people, who, cause, start, days, np.full(who.size, 100))

    def month(self, rng: np.random.Generator, people: People, first: int, last: int, month: int,
              event_people: np.ndarray) -> MonthAbsence:
        n = people.n
        eligible = people.active[:n] & (people.form[:n] != TIM)
        done = (people.sp_id[:n] >= 0) & (people.sp_end[:n] < first)
        people.sp_id[:n][done] = -1
        free = np.flatnonzero(eligible & (people.sp_id[:n] < 0))
        free = np.setdiff1d(free, event_people)
        self._new_spells(rng, people, free, first, last, month)
        has = np.flatnonzero(eligible & (people.sp_id[:n] >= 0))
        has = has[(people.sp_start[has] <= last) & (people.sp_end[has] >= first)]
        day_from = np.maximum(people.sp_start[has], first)
        day_to = np.minimum(people.sp_end[has], last)
        wd = working_days(day_from.astype("datetime64[D]"), day_to.astype("datetime64[D]"))
        centi = wd * FULL_TIME_DAY_CENTI * people.rate[has] * people.sp_ext[has] // 10000
        return MonthAbsence(person=has, cause=people.sp_cause[has].astype(np.int64), spell=people.sp_id[has],
                            start=people.sp_start[has], day_from=day_from, day_to=day_to,
                            extent=people.sp_ext[has], centi_hours=centi, work_days=wd)

    def _new_spells(self, rng: np.random.Generator, people: People, free: np.ndarray, first: int,
                    last: int, month: int) -> None:
        k = free.size
        if k == 0:
            return
        age = people.ages(first, free)
        parent_age = (age >= 25) & (age <= 45)
        season = SICK_SEASON[month]
        p = np.stack([
            np.full(k, 0.20 * season),                       # SJK
            np.full(k, 0.002),                                 # ASK: an older work injury flares up
            np.where(parent_age, 0.06 * season, 0.0),          # VAB
            np.full(k, VACATION.get(month, 0.04)),             # SEM
            np.where((age >= 25) & (age <= 42), 0.004, 0.0),   # FPE
            np.full(k, 0.002),                                 # TJL
            np.full(k, 0.03),                                  # KOM
        ])
        cum = np.cumsum(p, axis=0)
        u = rng.random(k)
        starts = u < cum[-1]
        cause = np.argmax(u[None, :] < cum, axis=0)[starts]
        who = free[starts]
        m = who.size
        lo = np.maximum(first, people.hire[who])
        start = lo + (rng.random(m) * (last - lo + 1)).astype(np.int64)
        kind = rng.random(m)
        sick_days = np.where(kind < 0.9, np.minimum(rng.geometric(0.28, m), 14),
                             np.where(kind < 0.962, rng.integers(15, 60, m),
                                      np.minimum(60 + rng.gamma(1.5, 80, m), 730).astype(np.int64)))
        sick_ext = np.where(kind < 0.9, 100, np.where(kind < 0.962, rng.choice([100, 50], m, p=[0.8, 0.2]),
                                                       rng.choice([100, 75, 50, 25], m, p=[0.45, 0.2, 0.25, 0.1])))
        vac_days = {7: rng.integers(21, 36, m), 6: rng.integers(7, 22, m), 8: rng.integers(7, 22, m),
                    12: rng.integers(5, 13, m)}.get(month, rng.integers(1, 8, m))
        days = np.select(
            [cause == SJK, cause == ASK, cause == VAB, cause == SEM, cause == FPE, cause == TJL, cause == KOM],
            [sick_days, rng.integers(7, 91, m), rng.integers(1, 4, m), vac_days, rng.integers(60, 301, m),
             rng.integers(14, 181, m), rng.integers(1, 3, m)])
        ext = np.select(
            [cause == SJK, cause == ASK, cause == VAB, cause == FPE, cause == TJL],
            [sick_ext, rng.choice([100, 50], m, p=[0.6, 0.4]), rng.choice([100, 50], m, p=[0.85, 0.15]),
             rng.choice([100, 75, 50, 25], m, p=[0.6, 0.1, 0.2, 0.1]), rng.choice([100, 50], m, p=[0.7, 0.3])],
            100)
        self._open(people, who, cause, start, days, ext)
