"""The synthetic demo generator writes contract-conformant, internally consistent extracts.

One small run (300 employees x 14 months, 202509-202610) is generated once and read back
with a plain CSV reader, independently of the generator's own code."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from dagster_project.config import REPO_ROOT, SEEDS_DIR
from dagster_project.contracts import EXTRACT_ORDER, EXTRACTS
from demo_data import generate, last_full_month
from demo_data.personnummer import luhn_valid

END = 202610
MONTHS = 14
PERIODS = [202509, 202510, 202511, 202512] + [202600 + m for m in range(1, 11)]
PNR_FORMS = {
    "long_dash": re.compile(r"^\d{8}-\d{4}$"),
    "long_plain": re.compile(r"^\d{12}$"),
    "short": re.compile(r"^\d{6}[-+]\d{4}$"),
}


def _luhn_ok(number: str) -> bool:
    """Independent check: doubling every other digit of YYMMDDNNN, from the first."""
    digits = re.sub(r"[-+]", "", number)
    digits = digits[2:] if len(digits) == 12 else digits
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return len(digits) == 10 and total % 10 == 0


def _ten(number: str) -> str:
    digits = re.sub(r"[-+]", "", number)
    return digits[2:] if len(digits) == 12 else digits


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _date(text: str) -> date:
    t = text.replace("-", "")
    return date(int(t[:4]), int(t[4:6]), int(t[6:8]))


def _seed_codes(name: str) -> set[str]:
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8") as f:
        return {row[0] for i, row in enumerate(csv.reader(f)) if i}


class Extracts:
    """Every file of a run, decoded the way a careful reader would (BOM, UTF-8, else cp1252)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.encoding: dict[Path, str] = {}
        self.headers: dict[Path, list[str]] = {}
        self.rows: dict[tuple[str, int], list[dict[str, str]]] = {}
        self.files: dict[tuple[str, int], Path] = {}
        for path in sorted(root.glob("*/*.csv")):
            raw = path.read_bytes()
            if raw.startswith(b"\xef\xbb\xbf"):
                enc, text = "utf-8-sig", raw[3:].decode("utf-8")
            else:
                try:
                    enc, text = "utf-8", raw.decode("utf-8")
                except UnicodeDecodeError:
                    enc, text = "cp1252", raw.decode("cp1252")
            self.encoding[path] = enc
            reader = csv.reader(text.splitlines(), delimiter=";")
            header = next(reader)
            body = list(reader)
            assert all(len(r) == len(header) for r in body), f"{path}: ragged row"
            extract, period = path.parent.name, int(path.stem.rsplit("_", 1)[1])
            self.headers[path] = header
            self.files[(extract, period)] = path
            self.rows[(extract, period)] = [dict(zip(header, r)) for r in body]

    def all(self, extract: str) -> list[dict[str, str]]:
        return [r for (e, _), rows in sorted(self.rows.items()) if e == extract for r in rows]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Extracts]:
    out = tmp_path_factory.mktemp("synthetic") / "landing"
    summary = generate(out, employees=300, months=MONTHS, end_period=END, seed=42, progress=False)
    return summary, Extracts(out)


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.csv")):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def test_luhn_reference_numbers() -> None:
    # Skatteverket's worked example 811218-9876, and the same number with a wrong check digit.
    assert luhn_valid("811218-9876") and luhn_valid("198112189876") and luhn_valid("19811218-9876")
    assert not luhn_valid("811218-9877")
    assert _luhn_ok("811218-9876") and not _luhn_ok("811218-9877")


def test_default_end_is_last_full_month() -> None:
    assert last_full_month(date(2026, 11, 22)) == 202610
    assert last_full_month(date(2027, 1, 5)) == 202612


def test_file_set_and_headers(run) -> None:
    summary, ex = run
    expected = {(e, p) for e in EXTRACT_ORDER if e != "survey" for p in PERIODS} | {("survey", 202604)}
    assert set(ex.files) == expected
    assert summary["files"] == len(expected)
    for (extract, period), path in ex.files.items():
        contract = [c.header for c in EXTRACTS[extract].columns]
        header = ex.headers[path]
        assert header[: len(contract)] == contract, path
        assert set(header[len(contract):]) <= set(EXTRACTS[extract].dropped_headers), path
        assert all(r["Period"] == str(period) for r in ex.rows[(extract, period)]), path
    assert summary["rows"] == {e: len(ex.all(e)) for e in EXTRACT_ORDER}


def test_formats_are_mixed_across_files(run) -> None:
    _, ex = run
    assert set(ex.encoding.values()) == {"utf-8", "utf-8-sig", "cp1252"}
    date_styles, pnr_styles = set(), set()
    for (extract, _), rows in ex.rows.items():
        if extract in ("absence", "employees") and rows:
            col = "Från datum" if extract == "absence" else "Anställningsdatum"
            date_styles.add(len(rows[0][col]))
        for r in rows:
            if r.get("Personnummer"):
                pnr_styles.update(k for k, rx in PNR_FORMS.items() if rx.match(r["Personnummer"]))
    assert date_styles == {8, 10}
    assert pnr_styles == {"long_dash", "long_plain", "short"}


def test_every_personnummer_is_valid_and_one_per_person(run) -> None:
    _, ex = run
    seen = 0
    for (extract, _), rows in ex.rows.items():
        for r in rows:
            pnr = r.get("Personnummer", "")
            if extract == "incidents" and pnr == "":
                continue
            if "Personnummer" in r:
                assert any(rx.match(pnr) for rx in PNR_FORMS.values()), pnr[:6]
                assert _luhn_ok(pnr), f"{extract}: failed Luhn {pnr[:6]}"
                seen += 1
    assert seen > 10_000
    # One number per employee number and one employee number per number, across months.
    by_emp: dict[str, set[str]] = defaultdict(set)
    for r in ex.all("employees"):
        by_emp[r["Anställningsnummer"]].add(_ten(r["Personnummer"]))
    assert all(len(v) == 1 for v in by_emp.values())
    assert len({next(iter(v)) for v in by_emp.values()}) == len(by_emp)
    # Some samordningsnummer (day of month + 60) are among them.
    assert any(int(_ten(p)[4:6]) > 60 for v in by_emp.values() for p in v)
    # Kön, where given, is the legal gender the number carries (odd ninth digit = man).
    for r in ex.all("employees"):
        if r["Kön"]:
            assert r["Kön"] == ("M" if int(_ten(r["Personnummer"])[8]) % 2 else "K")
    assert 0 < sum(r["Kön"] == "" for r in ex.all("employees")) < 0.1 * len(ex.all("employees"))


def test_generation_is_deterministic(tmp_path: Path, run) -> None:
    summary, ex = run
    again = tmp_path / "again"
    generate(again, employees=300, months=MONTHS, end_period=END, seed=42, progress=False)
    assert _digest(again) == _digest(ex.root)
    other = tmp_path / "other"
    generate(other, employees=300, months=MONTHS, end_period=END, seed=43, progress=False)
    assert _digest(other) != _digest(ex.root)


def test_codes_come_from_the_seeds_and_units_from_org_units(run) -> None:
    _, ex = run
    checks = [("employees", "Yrkeskod", "professions"), ("payroll", "Löneart", "pay_types"),
              ("absence", "Frånvaroorsak", "absence_causes"), ("survey", "Fråga", "survey_questions")]
    for extract, column, seed in checks:
        assert {r[column] for r in ex.all(extract)} <= _seed_codes(seed), column
    reasons = {r["Orsak"] for r in ex.all("employment_events") if r["Händelse"] == "AVG"}
    assert "" not in reasons and reasons <= _seed_codes("exit_reasons")
    assert {"EGEN", "PENS", "VIS"} <= reasons
    for (extract, period), rows in ex.rows.items():
        if extract == "org_units":
            continue
        units = {u["Kostnadsställe"] for u in ex.rows[("org_units", period)]}
        assert {r["Kostnadsställe"] for r in rows if "Kostnadsställe" in r} <= units, (extract, period)


def test_org_units_form_one_tree_each_month(run) -> None:
    _, ex = run
    for period in PERIODS:
        org = {r["Kostnadsställe"]: r for r in ex.rows[("org_units", period)]}
        roots = [c for c, r in org.items() if r["Överordnad"] == ""]
        assert len(roots) == 1 and org[roots[0]]["Nivå"] == "1"
        for code, r in org.items():
            assert code.isdigit()
            if r["Överordnad"]:
                assert int(org[r["Överordnad"]]["Nivå"]) + 1 == int(r["Nivå"])


def _register(ex: Extracts, period: int) -> dict[str, dict[str, str]]:
    return {_ten(r["Personnummer"]): r for r in ex.rows[("employees", period)]}


def test_reorganisation_moves_verksamheter_and_closes_an_enhet(run) -> None:
    _, ex = run
    changes = []
    for prev, cur in zip(PERIODS, PERIODS[1:]):
        a = {r["Kostnadsställe"]: r for r in ex.rows[("org_units", prev)]}
        b = {r["Kostnadsställe"]: r for r in ex.rows[("org_units", cur)]}
        moved = [c for c in a.keys() & b.keys() if a[c]["Överordnad"] != b[c]["Överordnad"]]
        closed = a.keys() - b.keys()
        if moved or closed:
            changes.append((cur, moved, closed))
    assert len(changes) == 1
    period, moved, closed = changes[0]
    assert moved and len(closed) == 1
    closed_unit = next(iter(closed))
    before = [p for p, r in _register(ex, PERIODS[PERIODS.index(period) - 1]).items()
              if r["Kostnadsställe"] == closed_unit]
    byte = {_ten(r["Personnummer"]) for r in ex.rows[("employment_events", period)] if r["Händelse"] == "BYTE"}
    assert before and set(before) <= byte


def test_events_reconcile_with_the_register(run) -> None:
    _, ex = run
    for prev, cur in zip(PERIODS, PERIODS[1:]):
        old, new = _register(ex, prev), _register(ex, cur)
        events = ex.rows[("employment_events", cur)]
        by_kind: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
        for e in events:
            assert _date(e["Händelsedatum"]).year * 100 + _date(e["Händelsedatum"]).month == cur
            assert e["Personnummer"] and _ten(e["Personnummer"]) not in by_kind[e["Händelse"]]
            by_kind[e["Händelse"]][_ten(e["Personnummer"])] = e
        hires, exits, moves = by_kind["NY"], by_kind["AVG"], by_kind["BYTE"]
        assert set(hires) == new.keys() - old.keys(), cur
        assert set(exits) == old.keys() - new.keys(), cur
        assert len(old) + len(hires) - len(exits) == len(new)
        changed = {p for p in old.keys() & new.keys() if old[p]["Kostnadsställe"] != new[p]["Kostnadsställe"]}
        assert set(moves) == changed, cur
        for p, e in hires.items():
            assert (e["Kostnadsställe"], e["Anställningsform"]) == (new[p]["Kostnadsställe"], new[p]["Anställningsform"])
        for p, e in exits.items():
            assert e["Kostnadsställe"] == old[p]["Kostnadsställe"] and e["Orsak"]
        for p, e in moves.items():
            assert e["Kostnadsställe"] == new[p]["Kostnadsställe"]
        # Per unit: opening + hires + moves in - moves out - exits = closing.
        flow: Counter[str] = Counter()
        for r in old.values():
            flow[r["Kostnadsställe"]] += 1
        for p, e in hires.items():
            flow[e["Kostnadsställe"]] += 1
        for p, e in exits.items():
            flow[e["Kostnadsställe"]] -= 1
        for p, e in moves.items():
            flow[e["Kostnadsställe"]] += 1
            flow[old[p]["Kostnadsställe"]] -= 1
        closing = Counter(r["Kostnadsställe"] for r in new.values())
        assert +flow == closing, cur
    events = ex.all("employment_events")
    assert {e["Anställningsform"] for e in events if e["Händelse"] == "NY"} == {"TV", "VI", "TIM"}
    assert {e["Anställningsform"] for e in events if e["Händelse"] == "AVG"} == {"TV", "VI", "TIM"}
    june_vis = [e for e in events if e["Period"] == "202606" and e["Orsak"] == "VIS"]
    assert june_vis and all(e["Anställningsform"] in ("VI", "TIM") for e in june_vis)


def test_register_rows_follow_the_employment_form(run) -> None:
    _, ex = run
    for r in ex.all("employees"):
        if r["Anställningsform"] == "TIM":
            assert r["Sysselsättningsgrad"] == "" and _num(r["Ordinarie timmar"]) == 0
        else:
            assert r["Sysselsättningsgrad"] in ("100", "80", "75", "50")
            hours = _num(r["Ordinarie timmar"])
            assert 0 <= hours <= 23 * 7.9 * int(r["Sysselsättningsgrad"]) / 100
            # Zero only for someone whose first day fell after the month's last working day.
            assert hours > 0 or _date(r["Anställningsdatum"]).strftime("%Y%m") == r["Period"]
            assert _num(r["Månadslön"]) > 20000
        assert r["Chef"] in ("J", "N")
        period = int(r["Period"])
        assert _date(r["Anställningsdatum"]) < date(period // 100 + period % 100 // 12, period % 100 % 12 + 1, 1)
    # A full-timer employed the whole of October 2026 (22 working days) has 22 x 7.9 hours.
    full = [r for r in ex.rows[("employees", 202610)]
            if r["Sysselsättningsgrad"] == "100" and _date(r["Anställningsdatum"]) < date(2026, 10, 1)]
    assert full and {r["Ordinarie timmar"] for r in full} == {"173,80"}


def test_absence_rows_lie_inside_their_period_and_spells_continue(run) -> None:
    _, ex = run
    spells: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for (extract, period), rows in sorted(ex.rows.items()):
        if extract != "absence":
            continue
        for r in rows:
            start, frm, to = _date(r["Ärende startdatum"]), _date(r["Från datum"]), _date(r["Till datum"])
            assert frm.year * 100 + frm.month == period and to.year * 100 + to.month == period
            assert start <= frm <= to
            assert r["Omfattning"] in ("25", "50", "75", "100")
            spells[r["Ärende-ID"]].append((period, r))
    crossing = 0
    for rows in spells.values():
        assert len({(r["Ärende startdatum"].replace("-", ""), r["Frånvaroorsak"]) for _, r in rows}) == 1
        for (p0, r0), (p1, r1) in zip(rows, rows[1:]):
            crossing += 1
            # Consecutive months, the spell running through the month boundary.
            assert _date(r1["Från datum"]).day == 1 and (_date(r1["Från datum"]) - _date(r0["Till datum"])).days == 1
    assert crossing > 50
    assert any(_date(r["Ärende startdatum"]) < date(2025, 9, 1) for r in ex.rows[("absence", 202509)])
    assert {r["Frånvaroorsak"] for r in ex.all("absence")} >= {"SJK", "SEM", "FPE", "VAB", "KOM", "TJL"}


def test_absence_hours_never_exceed_ordinary_hours(run) -> None:
    _, ex = run
    for period in PERIODS:
        register = _register(ex, period)
        hours: Counter[str] = Counter()
        for r in ex.rows[("absence", period)]:
            person = _ten(r["Personnummer"])
            assert person in register and register[person]["Anställningsform"] != "TIM"
            hours[person] += round(_num(r["Frånvarotimmar"]) * 100)
        for person, h in hours.items():
            assert h <= round(_num(register[person]["Ordinarie timmar"]) * 100), period


def test_sick_leave_level_is_plausible_and_higher_in_winter(run) -> None:
    _, ex = run

    def rate(periods: list[int]) -> float:
        sick = sum(_num(r["Frånvarotimmar"]) for p in periods for r in ex.rows[("absence", p)]
                   if r["Frånvaroorsak"] in ("SJK", "ASK"))
        ordinary = sum(_num(r["Ordinarie timmar"]) for p in periods for r in ex.rows[("employees", p)])
        return sick / ordinary * 100

    assert 4.0 < rate(PERIODS) < 9.0
    assert rate([202601, 202602, 202603]) > rate([202606, 202607, 202608])


def test_payroll_lines(run) -> None:
    _, ex = run
    lines = ex.all("payroll")
    for r in lines:
        assert int(r["Avser period"]) <= int(r["Period"])
    assert any(int(r["Avser period"]) < int(r["Period"]) for r in lines)
    assert any(_num(r["Belopp"]) < 0 for r in lines if int(r["Avser period"]) < int(r["Period"]))
    codes = Counter(r["Löneart"] for r in lines)
    assert {"1100", "1110", "1410", "1510", "1520", "1620", "1910"} <= codes.keys()
    # Every monthly-paid person in the register is paid a salary that month.
    for period in (202604, 202610):
        salaried = {_ten(r["Personnummer"]) for r in ex.rows[("payroll", period)] if r["Löneart"] == "1100"}
        monthly = {p for p, r in _register(ex, period).items() if r["Anställningsform"] != "TIM"}
        assert monthly <= salaried
    # Hourly pay carries hours; vacation supplements are paid in summer, not in winter.
    assert all(r["Antal"] for r in lines if r["Löneart"] == "1110")
    summer = sum(r["Löneart"] == "1620" for r in ex.rows[("payroll", 202607)])
    winter = sum(r["Löneart"] == "1620" for r in ex.rows[("payroll", 202602)])
    assert summer > 3 * winter


def test_agency_invoices_peak_in_summer_and_include_credit_notes(run) -> None:
    _, ex = run

    def cost(period: int) -> float:
        return sum(_num(r["Belopp"]) for r in ex.rows[("agency_costs", period)])

    assert cost(202607) > cost(202603)
    rows = ex.all("agency_costs")
    credit = [r for r in rows if _num(r["Belopp"]) < 0]
    assert credit and all(_num(r["Timmar"]) < 0 for r in credit)
    assert {r["Yrkesgrupp"] for r in rows} <= {"LAK", "SSK", "USK", "OVR"}


def test_incidents(run) -> None:
    _, ex = run
    rows = ex.all("incidents")
    numbers = [r["Ärendenummer"] for r in rows]
    assert len(numbers) == len(set(numbers))
    for r in rows:
        reported = _date(r["Anmälningsdatum"])
        assert _date(r["Händelsedatum"]) <= reported
        assert reported.year * 100 + reported.month == int(r["Period"])
        assert r["Allvarlig"] in ("J", "N") and int(r["Sjukfrånvarodagar"]) >= 0
        if r["Typ"] != "TILLBUD":
            assert r["Personnummer"]
    kinds = Counter(r["Typ"] for r in rows)
    assert kinds["TILLBUD"] > 2 * kinds["OLYCKSFALL"] > 0
    assert any(r["Personnummer"] == "" for r in rows)


def test_survey_closes_in_april_with_one_row_per_unit_and_question(run) -> None:
    _, ex = run
    rows = ex.rows[("survey", 202604)]
    enheter = {r["Kostnadsställe"] for r in ex.rows[("org_units", 202604)] if r["Nivå"] == "4"}
    questions = _seed_codes("survey_questions")
    assert Counter((r["Kostnadsställe"], r["Fråga"]) for r in rows) == Counter(
        {(u, q): 1 for u in enheter for q in questions})
    monthly_paid = Counter(r["Kostnadsställe"] for r in ex.rows[("employees", 202604)]
                           if r["Anställningsform"] != "TIM")
    for r in rows:
        invited, answered = int(r["Inbjudna"]), int(r["Svarande"])
        assert invited == monthly_paid[r["Kostnadsställe"]] > 0
        assert 0 <= answered <= invited
        assert sum(int(r[f"Svar {i}"]) for i in range(1, 6)) == answered


def test_command_line(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    done = subprocess.run(
        [sys.executable, "-m", "demo_data", "--out", str(out), "--employees", "150",
         "--months", "2", "--end", "202401", "--seed", "7", "--quiet"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    )
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert (summary["first_period"], summary["last_period"], summary["files"]) == (202312, 202401, 14)
    assert (out / "payroll" / "payroll_202312.csv").exists()
    bad = subprocess.run([sys.executable, "-m", "demo_data", "--out", str(out), "--end", "202413"],
                         cwd=REPO_ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "YYYYMM" in bad.stderr
