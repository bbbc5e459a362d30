"""The employees: who works where, on what terms, and how that changes month by month.

State lives in numpy arrays indexed by person; a person is hired once and never rehired,
so the index doubles as the employee number. Dates are day numbers (days since 1970-01-01).
Hires, exits and internal moves are decided here and nowhere else, which keeps the
employment events and the register consistent by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .organisation import CLINICAL, Organisation
from .personnummer import make_numbers

TV, VI, TIM = 0, 1, 2
FORM_CODES = np.array(["TV", "VI", "TIM"], dtype=object)
GROUPS = ("physician", "nurse", "assistant_nurse", "allied_health", "administration", "service")
UNIT_MANAGER, HEAD_OF_DEPARTMENT = "1122", "1121"

# Share of each profession group by enhet kind (order of GROUPS).
KIND_MIX: dict[str, tuple[float, ...]] = {
    "vard": (0.07, 0.38, 0.45, 0.03, 0.04, 0.03), "psyk": (0.06, 0.30, 0.50, 0.06, 0.05, 0.03),
    "akut": (0.18, 0.45, 0.28, 0.01, 0.06, 0.02), "iva": (0.12, 0.60, 0.22, 0.01, 0.04, 0.01),
    "op": (0.10, 0.55, 0.28, 0.01, 0.05, 0.01), "forl": (0.10, 0.60, 0.25, 0.0, 0.05, 0.0),
    "mott": (0.25, 0.35, 0.15, 0.07, 0.18, 0.0), "dag": (0.15, 0.45, 0.25, 0.05, 0.10, 0.0),
    "vc": (0.22, 0.33, 0.15, 0.15, 0.15, 0.0), "rehab": (0.05, 0.10, 0.20, 0.55, 0.08, 0.02),
    "diag": (0.10, 0.20, 0.10, 0.45, 0.15, 0.0), "lab": (0.03, 0.02, 0.05, 0.80, 0.10, 0.0),
    "service": (0.0, 0.0, 0.0, 0.0, 0.08, 0.92), "kontor": (0.0, 0.0, 0.0, 0.0, 1.0, 0.0),
}
# Weights of profession codes within a group; a kind may override. Codes the seed has but
# this table lacks get weight 0.3, so a new seed code still appears.
CODE_WEIGHTS: dict[str, float] = {
    "2211": 0.15, "2212": 0.55, "2213": 0.30, "2221": 0.60, "2222": 0.35, "2223": 0.05,
    "5321": 0.90, "5322": 0.10, "2261": 0.35, "2262": 0.25, "2263": 0.25, "2641": 0.15,
    "4111": 0.60, "4112": 0.30, "2421": 0.10, "9111": 0.45, "9112": 0.35, "7111": 0.20,
}
KIND_CODE_WEIGHTS: dict[str, dict[str, float]] = {
    "vc": {"2211": 0.70, "2212": 0.0, "2213": 0.30},
    "forl": {"2223": 0.60, "2221": 0.30, "2222": 0.10},
    "psyk": {"5322": 0.50, "5321": 0.50},
    "lab": {"2263": 1.0, "2261": 0.0, "2262": 0.0, "2641": 0.0},
    "rehab": {"2261": 0.50, "2262": 0.40, "2641": 0.10, "2263": 0.0},
    "kontor": {"4112": 0.60, "2421": 0.40, "4111": 0.0},
}
# Full-time monthly salary from April 2026, SEK; earlier years step down ~3 % a year.
SALARY_2026: dict[str, float] = {
    "2211": 72000, "2212": 88000, "2213": 56000, "2221": 41000, "2222": 47500, "2223": 46500,
    "5321": 30000, "5322": 29800, "2261": 37000, "2262": 36500, "2263": 37500, "2641": 38000,
    "4111": 31500, "4112": 33000, "2421": 45000, "1121": 82000, "1122": 55000,
    "9111": 27000, "9112": 27200, "7111": 32000,
}
GROUP_SALARY = {"physician": 75000, "nurse": 43000, "assistant_nurse": 30000, "allied_health": 37000,
                "administration": 34000, "manager": 60000, "service": 28000}
FEMALE_SHARE = {"physician": 0.55, "nurse": 0.89, "assistant_nurse": 0.83, "allied_health": 0.80,
                "administration": 0.84, "manager": 0.74, "service": 0.58}
WOMEN_PAY_FACTOR = 0.97
ANNUAL_RAISE = 0.03


def day_of(d: np.datetime64) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def salary_level(code: str, group: str, day: int) -> float:
    """The profession's going full-time salary on a day; the yearly step comes in April."""
    d = np.datetime64(day, "D")
    year = int(d.astype("datetime64[Y]").astype(int)) + 1970
    month = int(d.astype("datetime64[M]").astype(int)) % 12 + 1
    wage_year = year if month >= 4 else year - 1
    return SALARY_2026.get(code, GROUP_SALARY.get(group, 35000)) * (1 + ANNUAL_RAISE) ** (wage_year - 2026)


@dataclass
class Events:
    person: np.ndarray
    kind: np.ndarray  # "NY" / "AVG" / "BYTE"
    day: np.ndarray
    form: np.ndarray
    unit: np.ndarray
    reason: np.ndarray  # exit reason or ""
    talk: np.ndarray  # "J" / "N" / ""


class People:
    FIELDS = {"birth": np.int64, "female": bool, "coord": bool, "unit": np.int64, "prof": np.int64,
              "form": np.int8, "rate": np.int64, "salary": np.float64, "manager": bool,
              "hire": np.int64, "end": np.int64, "active": bool, "summer": bool, "tim_level": np.float64,
              # the ongoing absence spell, see absence.py
              "sp_id": np.int64, "sp_cause": np.int8, "sp_start": np.int64, "sp_end": np.int64,
              "sp_ext": np.int64}
    NO_END = 10**7  # far in the future: an employment or spell with no planned end

    def __init__(self, seeds_professions: dict[str, str], capacity: int) -> None:
        self.n = 0
        self.pnr: list[str] = []
        self._taken: set[str] = set()
        self.prof_codes = np.array(sorted(seeds_professions), dtype=object)
        self.prof_group = np.array([seeds_professions[c] for c in self.prof_codes], dtype=object)
        missing = {UNIT_MANAGER, HEAD_OF_DEPARTMENT} - set(seeds_professions)
        if missing:
            raise ValueError(f"seeds/professions.csv lacks the manager code(s) {sorted(missing)}")
        self._mix_cache: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        for name, dtype in self.FIELDS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))

    # -- construction -------------------------------------------------------------------
    def _grow(self, extra: int) -> None:
        cap = len(self.birth)
        if self.n + extra <= cap:
            return
        new_cap = max(cap * 2, self.n + extra)
        for name in self.FIELDS:
            old = getattr(self, name)
            arr = np.zeros(new_cap, dtype=old.dtype)
            arr[: self.n] = old[: self.n]
            setattr(self, name, arr)

    def _codes_for(self, kind: str, group: str) -> tuple[np.ndarray, np.ndarray]:
        key = (kind, group)
        if key not in self._mix_cache:
            idx = np.flatnonzero(self.prof_group == group)
            if idx.size == 0:
                raise ValueError(f"seeds/professions.csv has no profession in group {group!r}")
            override = KIND_CODE_WEIGHTS.get(kind, {})
            w = np.array([override.get(c, CODE_WEIGHTS.get(c, 0.3)) for c in self.prof_codes[idx]])
            if w.sum() == 0:
                w = np.ones(idx.size)
            self._mix_cache[key] = (idx, w / w.sum())
        return self._mix_cache[key]

    def draw_professions(self, rng: np.random.Generator, kinds: list[str]) -> np.ndarray:
        out = np.empty(len(kinds), dtype=np.int64)
        for i, kind in enumerate(kinds):
            group = GROUPS[rng.choice(len(GROUPS), p=KIND_MIX[kind])]
            idx, w = self._codes_for(kind, group)
            out[i] = idx[rng.choice(idx.size, p=w)]
        return out

    def code_index(self, code: str) -> int:
        return int(np.flatnonzero(self.prof_codes == code)[0])

    def add(self, rng: np.random.Generator, units: np.ndarray, profs: np.ndarray,
            forms: np.ndarray, hire: np.ndarray, ages: np.ndarray, today: int) -> np.ndarray:
        """Add people; returns their indices. Salary follows profession, age and gender."""
        k = units.size
        self._grow(k)
        idx = np.arange(self.n, self.n + k)
        groups = self.prof_group[profs]
        female = rng.random(k) < np.array([FEMALE_SHARE[g] for g in groups])
        birth = (today - ages * 365.25 - rng.integers(0, 365, k)).astype(np.int64)
        coord = rng.random(k) < 0.02
        self.pnr.extend(make_numbers(rng, birth.astype("datetime64[D]"), female, coord, self._taken))
        rate = np.where(forms == TIM, 0, rng.choice([100, 80, 75, 50], k, p=[0.66, 0.11, 0.15, 0.08]))
        rate[np.isin(self.prof_codes[profs], [UNIT_MANAGER, HEAD_OF_DEPARTMENT])] = 100
        experience = np.clip(0.9 + 0.005 * (ages - 25), 0.9, 1.12)
        level = np.array([salary_level(c, g, today) for c, g in zip(self.prof_codes[profs], groups)])
        salary = level * experience * rng.lognormal(0, 0.06, k) * np.where(female, WOMEN_PAY_FACTOR, 1.0)
        cols = {"birth": birth, "female": female, "coord": coord, "unit": units, "prof": profs,
                "form": forms, "rate": rate, "salary": np.round(salary), "hire": hire,
                "manager": np.isin(self.prof_codes[profs], [UNIT_MANAGER, HEAD_OF_DEPARTMENT]),
                "end": np.full(k, self.NO_END), "active": np.ones(k, dtype=bool),
                "summer": np.zeros(k, dtype=bool), "tim_level": rng.gamma(2.0, 18.0, k),
                "sp_id": np.full(k, -1), "sp_cause": np.zeros(k), "sp_start": np.zeros(k),
                "sp_end": np.zeros(k), "sp_ext": np.zeros(k)}
        for name, values in cols.items():
            getattr(self, name)[idx] = values
        self.n += k
        return idx

    def ages(self, day: int, idx: np.ndarray) -> np.ndarray:
        return (day - self.birth[idx]) / 365.25

    def active_idx(self) -> np.ndarray:
        return np.flatnonzero(self.active[: self.n])


def fixed_term_end(rng: np.random.Generator, start: np.ndarray) -> np.ndarray:
    """Planned last day of fixed-term contracts: many end in June, some at New Year."""
    k = start.size
    d = start.astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(int) + 1970
    june = np.array([f"{y}-06-30" for y in year], dtype="datetime64[D]").astype(np.int64)
    june = np.where(june - start < 60, june + 365, june)
    dec = np.array([f"{y}-12-31" for y in year], dtype="datetime64[D]").astype(np.int64)
    dec = np.where(dec - start < 60, dec + 365, dec)
    months = rng.integers(6, 19, k)
    other = ((d.astype("datetime64[M]") + months + 1).astype("datetime64[D]") - 1).astype(np.int64)
    pick = rng.choice(3, k, p=[0.40, 0.15, 0.45])
    return np.choose(pick, [june, dec, other])


def initial_population(rng: np.random.Generator, org: Organisation, people: People, start_day: int) -> None:
    """Staff on the day before the first month, with their history (hire dates, contracts)."""
    units, kinds = [], []
    for u in org.open_units().tolist():
        n = max(2, int(round(org.target[u])))
        units += [u] * n
        kinds += [org.kind[u]] * n
    units_a = np.array(units, dtype=np.int64)
    profs = people.draw_professions(rng, kinds)
    # One unit manager per enhet; the head of each verksamhet sits in its first enhet.
    first_of_unit = np.r_[True, units_a[1:] != units_a[:-1]]
    profs[first_of_unit] = people.code_index(UNIT_MANAGER)
    parents = org.parent[units_a]
    first_of_verks = first_of_unit & np.r_[True, parents[1:] != parents[:-1]]
    second = np.flatnonzero(first_of_verks) + 1
    second = second[(second < units_a.size)]
    second = second[units_a[second] == units_a[second - 1]]
    profs[second] = people.code_index(HEAD_OF_DEPARTMENT)
    k = units_a.size
    clinical = np.array([kd in CLINICAL and kd != "vc" for kd in kinds])
    forms = rng.choice(3, k, p=[0.82, 0.10, 0.08]).astype(np.int8)
    forms[clinical & (rng.random(k) < 0.04)] = TIM
    forms[np.isin(people.prof_codes[profs], [UNIT_MANAGER, HEAD_OF_DEPARTMENT])] = TV
    ages = np.clip(rng.normal(44, 11, k), 21, 66)
    is_manager = np.isin(people.prof_codes[profs], [UNIT_MANAGER, HEAD_OF_DEPARTMENT])
    ages[is_manager] = np.maximum(ages[is_manager], rng.uniform(36, 50, is_manager.sum()))
    tenure = np.minimum(rng.exponential(8 * 365, k), (ages - 20) * 365)
    tenure = np.where(forms == VI, rng.integers(1, 300, k), tenure)
    tenure = np.where(forms == TIM, rng.integers(1, 1000, k), tenure)
    hire = (start_day - 1 - tenure).astype(np.int64)
    idx = people.add(rng, units_a, profs, forms, hire, ages, start_day - 1)
    vi = idx[forms == VI]
    people.end[vi] = fixed_term_end(rng, np.full(vi.size, start_day))


def _month_day(rng: np.random.Generator, first: int, last: int, k: int) -> np.ndarray:
    return rng.integers(first, last + 1, k).astype(np.int64)


def _pick_units(rng: np.random.Generator, org: Organisation, people: People, k: int, growth: float) -> np.ndarray:
    units = org.open_units()
    act = people.active_idx()
    size = np.bincount(people.unit[act][~people.summer[act]], minlength=len(org.codes))[units]
    deficit = np.maximum(org.target[units] * growth - size, 0) + 0.3
    return units[rng.choice(units.size, k, p=deficit / deficit.sum())]


def month_changes(rng: np.random.Generator, org: Organisation, people: People, first: int, last: int,
                  month: int, growth: float, moved_by_reorg: dict[int, int]) -> Events:
    """Decide this month's moves, exits and hires and apply them to the state.

    `moved_by_reorg` maps people of a closed enhet to their new enhet (moved on day one)."""
    rows: list[tuple[np.ndarray, str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    # Reorganisation moves first, so nothing this month refers to the closed enhet.
    if moved_by_reorg:
        who = np.array(sorted(moved_by_reorg), dtype=np.int64)
        people.unit[who] = [moved_by_reorg[p] for p in who.tolist()]
        rows.append((who, "BYTE", np.full(who.size, first), people.unit[who], np.full(who.size, ""),
                     np.full(who.size, "")))

    act = people.active_idx()
    act = act[~np.isin(act, list(moved_by_reorg))]
    age = people.ages(first, act)
    form = people.form[act]
    season = {1: 0.8, 6: 1.6, 7: 0.6, 8: 1.4, 12: 1.3}.get(month, 1.0)
    young = np.where(age < 30, 1.8, np.where(age > 50, 0.5, 1.0))
    own = np.where(form == TIM, 0.02, 0.0066 * season * young)
    pension = np.select([age >= 67, age >= 66, age >= 65, age >= 61], [0.30, 0.12, 0.08, 0.006], 0.0)
    pension = np.where(form == TIM, pension * 0.5, pension)
    hazards = np.stack([own, pension, np.full(act.size, 0.00015), np.full(act.size, 0.00005),
                        np.full(act.size, 0.0004)])
    reasons = np.array(["EGEN", "PENS", "UPPS", "DOD", "OVR"], dtype=object)
    u = rng.random(act.size)
    cum = np.cumsum(hazards, axis=0)
    leaves = u < cum[-1]
    reason = reasons[np.argmax(u[None, :] < cum, axis=0)]
    # Fixed-term and summer contracts ending this month: most leave, some stay on.
    ends = (people.end[act] <= last) & ~leaves
    roll = rng.random(act.size)
    ends_leave = ends & ((roll < 0.55) | people.summer[act])
    convert = ends & ~ends_leave & (roll < 0.80) & (form == VI)
    extend = ends & ~ends_leave & ~convert
    people.form[act[convert]] = TV
    people.end[act[convert]] = People.NO_END
    people.end[act[extend]] = fixed_term_end(rng, people.end[act[extend]] + 1)
    out = act[leaves | ends_leave]
    out_reason = np.where(ends_leave, "VIS", reason)[leaves | ends_leave]
    out_day = np.where(ends_leave[leaves | ends_leave], np.minimum(people.end[out], last),
                       np.where(out_reason == "PENS", last, _month_day(rng, first, last, out.size)))
    out_day = np.maximum(out_day, first)
    rows.append((out, "AVG", out_day, people.unit[out], out_reason.astype(object),
                 np.where(rng.random(out.size) < 0.60, "J", np.where(rng.random(out.size) < 0.05, "", "N"))))
    people.active[out] = False
    people.sp_id[out] = -1

    # Internal moves of monthly-paid staff, mostly within the same förvaltning.
    stay = np.setdiff1d(act, out)
    cand = stay[(people.form[stay] != TIM) & ~people.manager[stay] & (people.hire[stay] < first)]
    movers = cand[rng.random(cand.size) < 0.0035]
    if movers.size:
        units = org.open_units()
        w = org.target[units]
        new_units = np.empty(movers.size, dtype=np.int64)
        for i, p in enumerate(movers.tolist()):
            same = org.division[units] == org.division[people.unit[p]]
            pool = units[same] if rng.random() < 0.7 and same.sum() > 1 else units
            pw = w[same] if pool.size != units.size else w
            choice = pool[rng.choice(pool.size, p=pw / pw.sum())]
            new_units[i] = choice
        keep = new_units != people.unit[movers]
        movers, new_units = movers[keep], new_units[keep]
        people.unit[movers] = new_units
        move_day = np.where(rng.random(movers.size) < 0.6, first, _month_day(rng, first, last, movers.size))
        rows.append((movers, "BYTE", move_day, new_units, np.full(movers.size, ""), np.full(movers.size, "")))

    # Hires: replace leavers and grow slowly; summer temps in May and June; managers first.
    act_now = people.active_idx()
    regular = int((~people.summer[act_now]).sum())
    base_target = org.target.sum() * growth
    n_hire = max(0, int(round(base_target - regular + rng.normal(0, 0.002 * base_target))))
    units_open = org.open_units()
    has_manager = np.zeros(len(org.codes), dtype=bool)
    has_manager[people.unit[act_now[people.manager[act_now]]]] = True
    need_manager = units_open[~has_manager[units_open]]
    hire_units = _pick_units(rng, org, people, max(0, n_hire - need_manager.size), growth)
    kinds = [org.kind[x] for x in hire_units.tolist()]
    profs = people.draw_professions(rng, kinds)
    forms = rng.choice(3, hire_units.size, p=[0.50, 0.38, 0.12]).astype(np.int8)
    summer = np.zeros(hire_units.size, dtype=bool)
    if month in (5, 6):
        n_summer = int(rng.poisson(0.0125 * base_target))
        s_units = _pick_units(rng, org, people, n_summer, growth)
        s_units = s_units[np.array([org.kind[x] in CLINICAL or org.kind[x] == "service" for x in s_units.tolist()],
                                   dtype=bool)]
        hire_units = np.r_[hire_units, s_units]
        profs = np.r_[profs, people.draw_professions(rng, [org.kind[x] for x in s_units.tolist()])]
        forms = np.r_[forms, rng.choice([VI, TIM], s_units.size, p=[0.6, 0.4]).astype(np.int8)]
        summer = np.r_[summer, np.ones(s_units.size, dtype=bool)]
    hire_units = np.r_[need_manager, hire_units]
    profs = np.r_[np.full(need_manager.size, people.code_index(UNIT_MANAGER)), profs]
    forms = np.r_[np.full(need_manager.size, TV, dtype=np.int8), forms]
    summer = np.r_[np.zeros(need_manager.size, dtype=bool), summer]
    k = hire_units.size
    ages = np.where(summer, rng.uniform(18, 26, k), np.clip(rng.triangular(21, 30, 64, k), 21, 64))
    ages[: need_manager.size] = rng.uniform(35, 55, need_manager.size)
    hire_day = np.where(rng.random(k) < 0.4, first, _month_day(rng, first, last, k))
    new = people.add(rng, hire_units, profs, forms, hire_day, ages, first)
    people.summer[new] = summer
    vi_new = new[forms == VI]
    people.end[vi_new] = fixed_term_end(rng, hire_day[forms == VI])
    s_new = new[summer]
    if s_new.size:
        year = int(np.datetime64(first, "D").astype("datetime64[Y]").astype(int)) + 1970
        aug_end = day_of(np.datetime64(f"{year}-08-31"))
        people.end[s_new] = np.where(rng.random(s_new.size) < 0.7, aug_end, aug_end - 16)
    rows.append((new, "NY", hire_day, hire_units, np.full(k, ""),
                 np.where(rng.random(k) < 0.80, "J", np.where(rng.random(k) < 0.05, "", "N"))))

    person = np.concatenate([r[0] for r in rows]).astype(np.int64)
    return Events(
        person=person,
        kind=np.concatenate([np.full(r[0].size, r[1], dtype=object) for r in rows]),
        day=np.concatenate([np.asarray(r[2], dtype=np.int64) for r in rows]),
        form=FORM_CODES[people.form[person]],
        unit=np.concatenate([np.asarray(r[3], dtype=np.int64) for r in rows]),
        reason=np.concatenate([np.asarray(r[4], dtype=object) for r in rows]),
        talk=np.concatenate([np.asarray(r[5], dtype=object) for r in rows]),
    )


def yearly_raise(rng: np.random.Generator, people: People, first: int) -> np.ndarray:
    """Raise salaries of monthly-paid staff hired before the revision; returns the raise
    per person (SEK a month at full time, 0 for others) for retroactive pay."""
    act = people.active_idx()
    act = act[(people.form[act] != TIM) & (people.hire[act] < first)]
    pct = np.clip(rng.normal(ANNUAL_RAISE, 0.01, act.size), 0.01, 0.07)
    raise_sek = np.zeros(people.n)
    raise_sek[act] = np.round(people.salary[act] * pct)
    people.salary[act] += raise_sek[act]
    return raise_sek
