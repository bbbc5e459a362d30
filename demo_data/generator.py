"""Month-by-month generation of all eight extracts for a demo region (profile SE) or a demo
wellbeing services county (profile FI: henkilötunnus, euro, Finnish or Swedish headers).

Each month: reorganise (once), decide moves, exits and hires, revise salaries, draw
incidents and absence, pay everyone, invoice agency staff, run the spring survey, write
the files. Only the current state is kept in memory, so size is bounded by headcount.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
from tqdm import tqdm

from . import payroll as pay
from .absence import CAUSES, FULL_TIME_DAY_CENTI, Spells
from .agency import Agency
from .calendar import add_months, month_bounds, working_days
from .incidents import Incidents
from .organisation import Organisation, build_organisation
from .population import FORM_CODES, TIM, People, initial_population, month_changes, yearly_raise
from .seeds import load_seeds
from .survey import survey_rows
from .henkilotunnus import HenkilotunnusTexts
from .writer import PersonnummerTexts, dates, file_format, hundredths, integers, write_csv

EXIT_REASONS = ("EGEN", "PENS", "VIS", "UPPS", "DOD", "OVR")
PROFILES = ("SE", "FI")
# The generator's pay model is in Swedish kronor (öre). A Finnish county's amounts are the same
# pay at Finnish pay levels, in euro cents: a Finnish nurse earns about 3 300 €/month where a
# Swedish one earns 38 000 kr, close to this ratio (KT and SKR pay statistics, 2025).
SEK_PER_EUR_PAY_LEVEL = 11.5
# The FI demo's top unit: Österbotten's wellbeing services county is bilingual, Swedish first.
COUNTY_NAME_FI = "Välfärdsområdet Demoland"
# The Swedish region's words that a Finland-Swedish county does not use (it has no region
# office or län hospital; its hospitals are sjukhus, not lasarett, its health centres hälsostationer).
UNIT_WORDS_FI = (("Regionkontoret", "Välfärdsområdets kansli"), ("Regionservice", "Stödtjänster"),
                 ("Länssjukhuset Norr", "Norra sjukhuset"), (" lasarett", " sjukhus"),
                 ("Vårdcentralen", "Hälsostationen"))


def last_full_month(today: date) -> int:
    return add_months(today.year * 100 + today.month, -1)


def _day(d: np.datetime64) -> int:
    return int(d.astype(np.int64))


def _late_revision(seed: int, year: int) -> bool:
    """Some years the pay agreement comes late: April's raise is paid in June, with back pay."""
    return bool(np.random.default_rng([seed, year, 4]).random() < 0.5)


def generate(out_dir: Path, employees: int = 8000, months: int = 36, end_period: int | None = None,
             seed: int = 42, progress: bool = True, profile: str = "SE") -> dict:
    """Write every extract for `months` months ending with `end_period` into `out_dir`, for a
    Swedish region (`profile` SE) or a Finnish wellbeing services county (FI).

    Returns a summary: periods, files written and rows per extract."""
    out_dir = Path(out_dir)
    profile = profile.strip().upper()
    if profile not in PROFILES:
        raise ValueError(f"--profile must be one of {', '.join(PROFILES)} (got {profile!r})")
    if employees < 100:
        raise ValueError(f"--employees must be at least 100 (got {employees}): the organisation needs "
                         "enough units for a reorganisation")
    if months < 1:
        raise ValueError(f"--months must be at least 1 (got {months})")
    end_period = last_full_month(date.today()) if end_period is None else end_period
    if not (1 <= end_period % 100 <= 12 and 1900 <= end_period // 100 <= 2999):
        raise ValueError(f"--end must be YYYYMM (got {end_period})")
    seeds = load_seeds()
    seeds.require("pay_types", set(pay.CODES))
    seeds.require("absence_causes", set(CAUSES))
    seeds.require("exit_reasons", set(EXIT_REASONS))

    rng = np.random.default_rng(seed)
    start_period = add_months(end_period, -(months - 1))
    org = build_organisation(rng, employees)
    if profile == "FI":
        org.names[0] = COUNTY_NAME_FI
        for i, name in enumerate(org.names):
            for swedish, finland_swedish in UNIT_WORDS_FI:
                name = name.replace(swedish, finland_swedish)
            org.names[i] = name
    mood = rng.normal(72, 6, len(org.codes))
    people = People(seeds.profession_group, capacity=int(employees * (1.2 + 0.25 * months / 12)) + 100)
    first0 = _day(month_bounds(start_period)[0])
    initial_population(rng, org, people, first0)
    spells = Spells()
    spells.seed_ongoing(rng, people, first0)
    incidents = Incidents()
    agency = Agency(rng, org)
    pnr_texts = PersonnummerTexts() if profile == "SE" else HenkilotunnusTexts()
    reorg_at = months // 2 if months >= 3 else None
    heir: dict[int, int] = {}
    rows: dict[str, int] = defaultdict(int)
    files = 0
    start_headcount = int(people.active[: people.n].sum())

    for i in tqdm(range(months), disable=not progress, unit="month", desc="synthetic extracts"):
        period = add_months(start_period, i)
        first_d, last_d = month_bounds(period)
        first, last, month, year = _day(first_d), _day(last_d), period % 100, period // 100
        moved: dict[int, int] = {}
        if i == reorg_at:
            closed, new_home = org.reorganise()
            heir[closed] = new_home
            act = people.active_idx()
            moved = {int(p): new_home for p in act[people.unit[act] == closed]}
        events = month_changes(rng, org, people, first, last, month, 1.001 ** i, moved)

        retro: list[tuple[np.ndarray, np.ndarray, int]] = []
        april_first = _day(month_bounds(year * 100 + 4)[0])
        late = _late_revision(seed, year)
        if (month == 4 and not late) or (month == 6 and late):
            raised = yearly_raise(rng, people, april_first)
            if month == 6:
                who = np.flatnonzero(raised)
                for back in (year * 100 + 4, year * 100 + 5):
                    if back >= start_period:
                        retro.append((who, raised[who] * people.rate[who], back))

        reports, acc_who, acc_start, acc_days, acc_cause = incidents.month(rng, org, people, first, last)
        spells.open_after_events(people, acc_who, acc_start, acc_days, acc_cause)
        absence = spells.month(rng, people, first, last, month, acc_who)
        leaving = events.kind == "AVG"
        lines = pay.month_payroll(rng, org, people, absence, events.person[leaving], events.day[leaving],
                                  first, last, period, month, retro, start_period)
        own_cost = pay.personnel_cost_ore(lines, seeds.personnel_cost_pay_types)
        invoices = agency.month(rng, org, heir, month, i / 12, own_cost, last)
        survey = survey_rows(rng, org, people, mood, seeds.survey_questions) if month == 4 else None

        w = _Writer(out_dir, seed, period, first, org, people, pnr_texts, profile)
        written = [
            w.org_units(), w.employees(rng, first, last), w.payroll(lines), w.absence(absence),
            w.events(events), w.incidents(reports, heir), w.agency(invoices),
        ]
        if survey is not None:
            written.append(w.survey(survey, year))
        for extract, n in written:
            rows[extract] += n
            files += 1

    # Which profile's demo this folder holds: `make demo-data` refuses to reuse it under another.
    (out_dir / ".demo_profile").write_text(profile + "\n", encoding="utf-8")
    return {
        "out_dir": str(out_dir),
        "profile": profile,
        "first_period": start_period,
        "last_period": end_period,
        "months": months,
        "seed": seed,
        "headcount_start": start_headcount,
        "headcount_end": int(people.active[: people.n].sum()),
        "people_ever": people.n,
        "files": files,
        "rows": dict(rows),
    }


class _Writer:
    """Turns one month's state into the eight files, column by column in contract order."""

    def __init__(self, out_dir: Path, seed: int, period: int, first: int, org: Organisation,
                 people: People, pnr_texts: PersonnummerTexts | HenkilotunnusTexts, profile: str = "SE") -> None:
        self.out_dir, self.seed, self.period, self.first = out_dir, seed, period, first
        self.org, self.people, self.pnr_texts, self.profile = org, people, pnr_texts, profile
        self.unit_codes = np.array(org.codes, dtype=object)

    def _fmt(self, extract: str):
        return file_format(self.seed, extract, self.period, self.profile)

    def _money(self, ore: np.ndarray) -> list[str]:
        """Amounts in the profile's currency, two decimals: kronor as generated, or euro."""
        ore = np.asarray(ore, dtype=np.int64)
        if self.profile == "FI":
            ore = np.rint(ore / SEK_PER_EUR_PAY_LEVEL).astype(np.int64)
        return hundredths(ore)

    def _period(self, n: int) -> list[str]:
        return [str(self.period)] * n

    def _pnr(self, idx: np.ndarray, fmt) -> list[str]:
        if isinstance(self.pnr_texts, HenkilotunnusTexts):
            codes = np.array(self.pnr_texts.codes(self.people.pnr), dtype=object)
            return codes[np.asarray(idx, dtype=np.int64)].tolist()
        return self.pnr_texts.column(self.people.pnr, idx, self.people.ages(self.first, idx), fmt)

    def _write(self, extract: str, fmt, columns, extra=()) -> tuple[str, int]:
        _, n = write_csv(self.out_dir, extract, self.period, fmt, columns, extra)
        return extract, n

    def org_units(self) -> tuple[str, int]:
        snap = self.org.snapshot()
        cols = [self._period(len(snap))] + [[str(r[k]) for r in snap] for k in range(4)]
        return self._write("org_units", self._fmt("org_units"), cols)

    def employees(self, rng: np.random.Generator, first: int, last: int) -> tuple[str, int]:
        p, fmt = self.people, self._fmt("employees")
        idx = p.active_idx()
        n = idx.size
        form = p.form[idx]
        monthly = form != TIM
        days = working_days(np.maximum(p.hire[idx], first).astype("datetime64[D]"),
                            np.full(n, last).astype("datetime64[D]"))
        ordinary = np.where(monthly, days * FULL_TIME_DAY_CENTI * p.rate[idx] // 100, 0)
        gender = np.where(p.female[idx], "K", "M").astype(object)
        gender[rng.random(n) < 0.03] = ""  # some rows lack it: the loader derives it
        rate = np.array(integers(p.rate[idx]), dtype=object)
        rate[~monthly] = ""
        salary = np.array(self._money(p.salary[idx].astype(np.int64) * 100), dtype=object)
        salary[~monthly] = ""
        cols = [
            self._period(n), self._pnr(idx, fmt), [str(100000 + i) for i in idx.tolist()], gender.tolist(),
            self.unit_codes[p.unit[idx]].tolist(), p.prof_codes[p.prof[idx]].tolist(),
            FORM_CODES[form].tolist(), rate.tolist(), hundredths(ordinary), salary.tolist(),
            np.where(p.manager[idx], "J", "N").tolist(), dates(p.hire[idx], fmt),
        ]
        return self._write("employees", fmt, cols)

    def payroll(self, lines: pay.PayLines) -> tuple[str, int]:
        fmt = self._fmt("payroll")
        qty = np.array(hundredths(lines.centi), dtype=object)
        qty[~lines.has_quantity] = ""
        cols = [self._period(lines.person.size), self._pnr(lines.person, fmt),
                self.unit_codes[lines.unit].tolist(), lines.code.tolist(), qty.tolist(), self._money(lines.ore),
                integers(lines.refers_to)]
        return self._write("payroll", fmt, cols)

    def absence(self, a) -> tuple[str, int]:
        fmt = self._fmt("absence")
        cols = [self._period(a.person.size), self._pnr(a.person, fmt),
                [CAUSES[c] for c in a.cause.tolist()], [f"FR{s:08d}" for s in a.spell.tolist()],
                dates(a.start, fmt), dates(a.day_from, fmt), dates(a.day_to, fmt), integers(a.extent),
                hundredths(a.centi_hours)]
        return self._write("absence", fmt, cols)

    def events(self, e) -> tuple[str, int]:
        fmt = self._fmt("employment_events")
        order = np.lexsort((e.person, e.day))
        cols = [self._period(order.size), dates(e.day[order], fmt), self._pnr(e.person[order], fmt),
                e.kind[order].tolist(), e.form[order].tolist(), self.unit_codes[e.unit[order]].tolist(),
                e.reason[order].tolist(), e.talk[order].tolist()]
        return self._write("employment_events", fmt, cols)

    def incidents(self, reports, heir: dict[int, int]) -> tuple[str, int]:
        fmt = self._fmt("incidents")
        units = []
        for r in reports:
            u = r.unit
            while u in heir:
                u = heir[u]
            units.append(u)
        person = np.array([max(r.person, 0) for r in reports], dtype=np.int64)
        pnr = self._pnr(person, fmt) if reports else []
        pnr = [t if r.person >= 0 else "" for t, r in zip(pnr, reports)]
        # Some months the IA system also exports its free-text column; the loader drops it.
        with_text = self.period % 3 == 0
        cols = [self._period(len(reports)), [r.number for r in reports],
                dates(np.array([r.event_day for r in reports]), fmt),
                dates(np.array([r.report_day for r in reports]), fmt),
                self.unit_codes[np.array(units, dtype=np.int64)].tolist(), [r.type for r in reports],
                [str(r.lost_days) for r in reports], ["J" if r.serious else "N" for r in reports], pnr]
        if with_text:
            cols.append([r.description for r in reports])
        text_header = "Kuvaus" if fmt.finnish else "Beskrivning"
        return self._write("incidents", fmt, cols, (text_header,) if with_text else ())

    def agency(self, invoices) -> tuple[str, int]:
        fmt = self._fmt("agency_costs")
        cols = [self._period(len(invoices)), [x.number for x in invoices], [x.supplier for x in invoices],
                self.unit_codes[np.array([x.unit for x in invoices], dtype=np.int64)].tolist(),
                [x.group for x in invoices], hundredths(np.array([x.centi_hours for x in invoices])),
                self._money(np.array([x.ore for x in invoices])),
                dates(np.array([x.invoice_day for x in invoices]), fmt)]
        return self._write("agency_costs", fmt, cols)

    def survey(self, survey, year: int) -> tuple[str, int]:
        fmt = self._fmt("survey")
        name = "Henkilöstökysely" if fmt.finnish else "Medarbetarenkät"
        cols = [self._period(len(survey)), [f"{name} {year}"] * len(survey),
                [self.org.codes[u] for u, _, _ in survey], [q for _, q, _ in survey]]
        cols += [[str(v[k]) for _, _, v in survey] for k in range(7)]
        return self._write("survey", fmt, cols)
