"""Pay lines of a pay month: salary, supplements, absence effects and corrections.

Amounts are whole öre and quantities hundredths (hours or days), so files carry exact
two-decimal values. Lines of people who left this month are their final pay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .absence import SEM, SICK, UNPAID, MonthAbsence
from .calendar import add_months
from .organisation import CLINICAL, ROUND_THE_CLOCK, Organisation
from .population import TIM, People

FULL_TIME_MONTH_HOURS = 165.0
CODES = ("1100", "1110", "1150", "1310", "1320", "1350", "1410", "1420", "1430", "1510", "1520",
         "1610", "1620", "1910", "1920")
TIM_SEASON = {6: 1.6, 7: 2.4, 8: 1.7, 12: 1.2}
OVERTIME_SEASON = {6: 1.5, 7: 1.8, 8: 1.4, 12: 1.2}
CARE_GROUPS = ("physician", "nurse", "assistant_nurse")


@dataclass
class PayLines:
    person: np.ndarray
    code: np.ndarray
    centi: np.ndarray  # quantity in hundredths
    has_quantity: np.ndarray
    ore: np.ndarray
    refers_to: np.ndarray  # Avser period
    unit: np.ndarray


class _Builder:
    def __init__(self, period: int) -> None:
        self.period = period
        self.parts: list[tuple] = []

    def add(self, person, code: str, ore, centi=None, refers_to=None) -> None:
        person = np.asarray(person, dtype=np.int64)
        if person.size == 0:
            return
        ore = np.rint(np.broadcast_to(ore, person.shape)).astype(np.int64)
        has_q = np.full(person.size, centi is not None)
        centi_a = (np.rint(np.broadcast_to(centi, person.shape)).astype(np.int64) if centi is not None
                   else np.zeros(person.size, dtype=np.int64))
        ref = np.broadcast_to(self.period if refers_to is None else refers_to, person.shape).astype(np.int64)
        self.parts.append((person, np.full(person.size, code, dtype=object), centi_a, has_q, ore, ref))

    def build(self, people: People) -> PayLines:
        if not self.parts:
            z = np.zeros(0, dtype=np.int64)
            return PayLines(z, np.zeros(0, dtype=object), z, np.zeros(0, dtype=bool), z, z, z)
        cols = [np.concatenate([p[i] for p in self.parts]) for i in range(6)]
        order = np.lexsort((cols[5], cols[1].astype(str), cols[0]))
        person, code, centi, has_q, ore, ref = (c[order] for c in cols)
        return PayLines(person, code, centi, has_q, ore, ref, people.unit[person])


def month_payroll(rng: np.random.Generator, org: Organisation, people: People, absence: MonthAbsence,
                  leavers: np.ndarray, leave_day: np.ndarray, first: int, last: int, period: int,
                  month: int, retro: list[tuple[np.ndarray, np.ndarray, int]],
                  earliest_period: int) -> PayLines:
    b = _Builder(period)
    paid = np.r_[people.active_idx(), leavers]
    end_day = np.r_[np.full(paid.size - leavers.size, last), leave_day]
    start_day = np.maximum(people.hire[paid], first)
    frac = (end_day - start_day + 1) / (last - first + 1)
    form, rate, salary = people.form[paid], people.rate[paid], people.salary[paid]
    group = people.prof_group[people.prof[paid]]
    kind = np.array([org.kind[u] for u in people.unit[paid].tolist()], dtype=object)
    hourly = salary / FULL_TIME_MONTH_HOURS
    monthly = form != TIM
    care = np.isin(group, CARE_GROUPS) & ~people.manager[paid]
    ward = np.isin(kind, list(ROUND_THE_CLOCK))

    b.add(paid[monthly], "1100", (salary * rate / 100 * frac * 100)[monthly])
    # Hourly-paid: worked hours vary, peak in summer, many idle months outside it.
    tim = ~monthly
    tim_hours = people.tim_level[paid] * TIM_SEASON.get(month, 1.0) * rng.lognormal(0, 0.3, paid.size) * frac
    idle = rng.random(paid.size) < (0.05 if month in TIM_SEASON else 0.25)
    tim_hours = np.round(np.where(tim & ~idle, tim_hours, 0) * 2) / 2
    worked = tim & (tim_hours > 0)
    b.add(paid[worked], "1110", (tim_hours * hourly * 100)[worked], (tim_hours * 100)[worked])
    b.add(paid[worked], "1610", (0.12 * tim_hours * hourly * 100)[worked])

    # Unsocial hours for care staff on round-the-clock units.
    ob = care & ward & (rng.random(paid.size) < 0.9)
    ob_hours = np.where(tim, tim_hours * 0.35, rate / 100 * rng.uniform(18, 45, paid.size) * frac)
    ob_hours = np.round(ob_hours * 2) / 2
    ob &= ob_hours > 0
    b.add(paid[ob], "1410", (ob_hours * rng.uniform(45, 80, paid.size) * 100)[ob], (ob_hours * 100)[ob])

    # Overtime for full-timers, extra hours (mertid) for part-timers.
    season = OVERTIME_SEASON.get(month, 1.0)
    full = monthly & (rate == 100) & ~people.manager[paid]
    part = monthly & (rate < 100)
    ot = full & (rng.random(paid.size) < 0.22 * season)
    ot_hours = np.maximum(0.5, np.round(rng.gamma(1.5, 4, paid.size) * 2) / 2)
    b.add(paid[ot], "1310", (ot_hours * salary / 94 * 100)[ot], (ot_hours * 100)[ot])
    qot = ot & (rng.random(paid.size) < 0.35)
    q_hours = np.maximum(0.5, np.round(rng.gamma(1.2, 3, paid.size) * 2) / 2)
    b.add(paid[qot], "1320", (q_hours * salary / 72 * 100)[qot], (q_hours * 100)[qot])
    mt = part & (rng.random(paid.size) < 0.26 * season)
    mt_hours = np.maximum(0.5, np.round(rng.gamma(1.5, 5, paid.size) * 2) / 2)
    b.add(paid[mt], "1350", (mt_hours * hourly * 100)[mt], (mt_hours * 100)[mt])

    # On-call duty for hospital physicians, standby for technicians and theatre staff.
    jour = monthly & (group == "physician") & np.isin(kind, list(CLINICAL - {"vc"})) & (rng.random(paid.size) < 0.5)
    j_hours = np.round(rng.uniform(16, 48, paid.size) * frac)
    jour &= j_hours > 0
    b.add(paid[jour], "1420", (j_hours * hourly * 0.55 * 100)[jour], (j_hours * 100)[jour])
    codes = people.prof_codes[people.prof[paid]]
    standby = monthly & ((codes == "7111") | (np.isin(kind, ["op", "iva"]) & (group == "nurse")))
    standby &= rng.random(paid.size) < 0.3
    s_hours = np.round(rng.uniform(20, 80, paid.size))
    b.add(paid[standby], "1430", s_hours[standby] * 3500, (s_hours * 100)[standby])

    # Absence: sick deduction and sick pay (80 % days 2-14, 10 % days 15-90), unpaid leave,
    # vacation supplement.
    pos = np.full(people.n, -1, dtype=np.int64)
    pos[paid] = np.arange(paid.size)
    ab_pos = pos[absence.person]
    sick_row = np.isin(absence.cause, SICK)
    sick = np.bincount(ab_pos[sick_row], absence.centi_hours[sick_row], paid.size)
    paid_2_14 = np.bincount(ab_pos[sick_row], absence.band_hours(2, 14)[sick_row], paid.size)
    paid_15_90 = np.bincount(ab_pos[sick_row], absence.band_hours(15, 90)[sick_row], paid.size)
    has_sick = sick > 0
    b.add(paid[has_sick], "1520", -(sick * hourly)[has_sick], sick[has_sick])
    sick_pay = (0.8 * paid_2_14 + 0.1 * paid_15_90) * hourly
    pay_rows = (paid_2_14 + paid_15_90) > 0
    b.add(paid[pay_rows], "1510", sick_pay[pay_rows], (paid_2_14 + paid_15_90)[pay_rows])
    unpaid_row = np.isin(absence.cause, UNPAID)
    unpaid = np.bincount(ab_pos[unpaid_row], absence.centi_hours[unpaid_row], paid.size)
    b.add(paid[unpaid > 0], "1150", -(unpaid * hourly)[unpaid > 0], unpaid[unpaid > 0])
    vac_row = absence.cause == SEM
    vac_days = np.bincount(ab_pos[vac_row], absence.work_days[vac_row], paid.size)
    b.add(paid[vac_days > 0], "1620", (vac_days * salary * rate / 100 * 0.008 * 100)[vac_days > 0],
          (vac_days * 100)[vac_days > 0])

    # Final pay: untaken vacation days paid out.
    left = np.zeros(paid.size, dtype=bool)
    left[paid.size - leavers.size:] = True
    left &= monthly
    days_out = rng.integers(0, 21, paid.size)
    left &= days_out > 0
    b.add(paid[left], "1610", (days_out * salary * rate / 100 * 0.046 * 100)[left], (days_out * 100)[left])

    # Tax-free allowances: not personnel cost.
    travel = rng.random(paid.size) < np.where(np.isin(group, ["physician", "administration", "manager"]), 0.02, 0.003)
    t_days = rng.integers(1, 4, paid.size)
    b.add(paid[travel], "1910", t_days[travel] * 29000, t_days[travel] * 100)
    car = rng.random(paid.size) < 0.03
    b.add(paid[car], "1920", rng.integers(20, 400, paid.size)[car] * 250)

    # Retroactive pay of a late salary revision, one line per month it concerns.
    for who, amount_ore, refers in retro:
        b.add(who, "1100", amount_ore, refers_to=refers)
    # Corrections of earlier months: late-reported unsocial hours, overtime or leave.
    fix = np.flatnonzero((rng.random(paid.size) < 0.004) & monthly)
    back = rng.integers(1, 4, fix.size)
    refers = np.array([add_months(period, -k) for k in back.tolist()], dtype=np.int64)
    ok = refers >= earliest_period
    fix, refers = fix[ok], refers[ok]
    what = rng.integers(0, 3, fix.size)
    hours = np.round(rng.uniform(2, 20, fix.size) * 2) / 2
    sign = np.where(rng.random(fix.size) < 0.5, -1, 1)
    for code, w, ore, qty in (
        ("1410", what == 0, sign * hours * rng.uniform(45, 80, fix.size) * 100, sign * hours * 100),
        ("1310", what == 1, hours * salary[fix] / 94 * 100, hours * 100),
        ("1150", what == 2, -hours * hourly[fix] * 100, hours * 100),
    ):
        b.add(paid[fix[w]], code, ore[w], qty[w], refers_to=refers[w])
    return b.build(people)


def personnel_cost_ore(lines: PayLines, personnel_cost_codes: frozenset[str]) -> int:
    return int(lines.ore[np.isin(lines.code, list(personnel_cost_codes))].sum())
