"""A demo region's organisation: region -> förvaltningar -> verksamheter -> enheter.

Every enhet has a kind (ward, outpatient clinic, primary care centre, ...) that decides its
profession mix, whether its staff earn unsocial-hours pay and whether it hires agency staff.
One reorganisation moves verksamheter to another förvaltning and closes one enhet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

REGION_NAME = "Region Demoland"

# (förvaltning, share of staff, [(verksamhet, specialty, enhet kinds)])
DIVISIONS: list[tuple[str, float, list[tuple[str, str, list[str]]]]] = [
    ("Hälso- och sjukvårdsförvaltningen", 0.58, [
        ("Akutkliniken", "Akut", ["akut", "akut", "vard", "mott"]),
        ("Medicinkliniken", "Medicin", ["vard", "vard", "vard", "mott", "dag"]),
        ("Kirurgkliniken", "Kirurgi", ["vard", "vard", "mott", "op"]),
        ("Ortopedkliniken", "Ortopedi", ["vard", "vard", "mott", "op"]),
        ("Anestesi- och intensivvårdskliniken", "Intensivvård", ["iva", "op", "op"]),
        ("Kvinnokliniken", "Kvinnosjukvård", ["vard", "forl", "mott"]),
        ("Barn- och ungdomskliniken", "Barn", ["vard", "mott", "dag"]),
        ("Hjärtkliniken", "Kardiologi", ["vard", "vard", "mott"]),
        ("Röntgenkliniken", "Röntgen", ["diag", "diag", "diag"]),
        ("Laboratoriemedicin", "Laboratorium", ["lab", "lab", "lab"]),
        ("Neurologkliniken", "Neurologi", ["vard", "mott"]),
        ("Infektionskliniken", "Infektion", ["vard", "mott"]),
        ("Onkologkliniken", "Onkologi", ["vard", "dag", "mott"]),
        ("Geriatrikkliniken", "Geriatrik", ["vard", "vard", "mott"]),
        ("Rehabiliteringskliniken", "Rehabilitering", ["rehab", "rehab", "vard"]),
    ]),
    ("Psykiatriförvaltningen", 0.10, [
        ("Allmänpsykiatrin", "Allmänpsykiatri", ["psyk", "psyk", "mott"]),
        ("Rättspsykiatrin", "Rättspsykiatri", ["psyk", "psyk"]),
        ("Barn- och ungdomspsykiatrin", "BUP", ["mott", "mott", "psyk"]),
        ("Beroendevården", "Beroende", ["psyk", "mott"]),
    ]),
    ("Primärvårdsförvaltningen", 0.17, [
        (f"Primärvård {area} området", "", ["vc"]) for area in ("Norra", "Södra", "Östra", "Västra", "Centrala")
    ]),
    ("Regionservice", 0.09, [
        ("Lokalvården", "Lokalvård", ["service"]),
        ("Måltidsservice", "Måltid", ["service"]),
        ("Fastighetsförvaltningen", "Fastighet", ["service"]),
        ("Medicinsk teknik", "Medicinsk teknik", ["service", "kontor"]),
    ]),
    ("Regionkontoret", 0.06, [
        ("HR-avdelningen", "HR", ["kontor"]),
        ("Ekonomiavdelningen", "Ekonomi", ["kontor"]),
        ("Kommunikationsavdelningen", "Kommunikation", ["kontor"]),
        ("Digitaliseringsavdelningen", "Digitalisering", ["kontor"]),
    ]),
]
PRIMARY_CARE = 2  # index in DIVISIONS: receives the moved verksamheter ("nära vård")
MOVED_ON_REORG = ("Geriatrikkliniken", "Rehabiliteringskliniken")

SITES = ("Centralsjukhuset", "Länssjukhuset Norr", "Västerby lasarett", "Österås sjukhus",
         "Sjöstads lasarett", "Bergviks sjukhus")
PLACE_PREFIX = ("Ek", "Björk", "Lind", "Gran", "Tall", "Sjö", "Äng", "Ros", "Hag", "Berg", "Strand",
                "Sol", "Norr", "Söder", "Öster", "Väster", "Ås", "Dal", "Ljung", "Al")
PLACE_SUFFIX = ("backen", "by", "hem", "vik", "hagen", "torp", "dal", "holm", "lunda", "sta", "näs", "åsen")

# Kinds whose care staff work around the clock (unsocial-hours pay) and can hire agency staff.
ROUND_THE_CLOCK = frozenset({"vard", "psyk", "akut", "iva", "op", "forl"})
CLINICAL = ROUND_THE_CLOCK | {"mott", "dag", "vc", "rehab", "diag", "lab"}


def _enhet_name(kind: str, spec: str, ward_no: int, place: str, i: int) -> str:
    return {
        "vard": f"Avdelning {ward_no} {spec}",
        "psyk": f"Avdelning {ward_no} {spec}",
        "akut": "Akutmottagningen" if i == 0 else "Akutvårdsavdelningen",
        "iva": "Intensivvårdsavdelningen",
        "op": f"Operation och uppvak {spec}",
        "forl": "Förlossningen",
        "mott": f"Mottagning {spec}",
        "dag": f"Dagvård {spec}",
        "vc": f"Vårdcentralen {place}",
        "rehab": f"Rehabenhet {spec}",
        "diag": f"Bild och funktion {i + 1}",
        "lab": ("Klinisk kemi", "Klinisk mikrobiologi", "Transfusionsmedicin")[i % 3],
        "service": f"{spec} team {i + 1}",
        "kontor": f"{spec} enhet {i + 1}",
    }[kind]


@dataclass
class Organisation:
    codes: list[str]
    names: list[str]
    level: np.ndarray  # 1..4
    parent: np.ndarray  # index of the parent, -1 for the root; changes on the reorganisation
    kind: list[str]  # enhet kind, "" above level 4
    division: np.ndarray  # index of the level-2 ancestor, -1 for the root
    target: np.ndarray  # target headcount per enhet (0 above level 4)
    open: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.open is None:
            self.open = np.ones(len(self.codes), dtype=bool)

    def open_units(self) -> np.ndarray:
        return np.flatnonzero((self.level == 4) & self.open)

    def snapshot(self) -> list[tuple[str, str, str, int]]:
        """(code, name, parent code, level) of every open unit."""
        return [(self.codes[i], self.names[i], self.codes[p] if (p := int(self.parent[i])) >= 0 else "",
                 int(self.level[i])) for i in np.flatnonzero(self.open)]

    def reorganise(self) -> tuple[int, int]:
        """Move verksamheter to primary care and close one enhet.

        Returns (closed enhet, enhet that takes over its staff)."""
        verks = np.flatnonzero(self.level == 3)
        div0 = [int(v) for v in verks if self.division[v] == 0]
        moved = [v for v in div0 if self.names[v].split(" ")[0] in MOVED_ON_REORG] or div0[-1:]
        if len(moved) == len(div0):
            moved = moved[1:]
        new_parent = int(np.flatnonzero(self.level == 2)[PRIMARY_CARE])
        for v in moved:
            self.parent[v] = new_parent
            for u in np.flatnonzero(self.parent == v):
                self.division[u] = PRIMARY_CARE
            self.division[v] = PRIMARY_CARE
        units = self.open_units()
        for v in div0:
            if v in moved:
                continue
            children = [int(u) for u in units if self.parent[u] == v]
            if len(children) >= 2:
                closed = min(children, key=lambda u: (self.kind[u] != "dag", self.target[u], u))
                heir = max((u for u in children if u != closed), key=lambda u: (self.target[u], -u))
                self.open[closed] = False
                self.target[heir] += self.target[closed]
                self.target[closed] = 0
                return closed, heir
        raise ValueError("no verksamhet with two enheter to close one of; use more employees")


def build_organisation(rng: np.random.Generator, employees: int) -> Organisation:
    n_units = max(len(DIVISIONS) + 2, round(employees / 28))
    codes, names, level, parent, kind, division = ["100000"], [REGION_NAME], [1], [-1], [""], [-1]
    shares = np.array([d[1] for d in DIVISIONS])
    per_div = np.maximum(1, np.round(shares / shares.sum() * n_units).astype(int))
    per_div[0] = max(per_div[0], 4)  # room for the reorganisation to move one and close one
    ward_no, verks_no, unit_no = 10, 0, 0
    places = [p + s for p in PLACE_PREFIX for s in PLACE_SUFFIX]
    rng.shuffle(places)
    used: set[str] = set()
    for d, (div_name, _, templates) in enumerate(DIVISIONS):
        codes.append(f"1{d + 1}0000")
        names.append(div_name)
        level.append(2), parent.append(0), kind.append(""), division.append(d)
        div_idx = len(codes) - 1
        left = int(per_div[d])
        n_verks = max(min(3, left) if d == 0 else 1, round(left / 7))
        counts = np.full(n_verks, left // n_verks) + (np.arange(n_verks) < left % n_verks)
        for j, n_enh in enumerate(counts.tolist()):
            v_name, spec, kinds = templates[j % len(templates)]
            site = f" {SITES[(j // len(templates) - 1) % len(SITES)]}" if j >= len(templates) else ""
            codes.append(f"{200100 + 10 * verks_no}")
            names.append(v_name + site)
            level.append(3), parent.append(div_idx), kind.append(""), division.append(d)
            verks_no += 1
            v_idx = len(codes) - 1
            for i in range(n_enh):
                k = kinds[i % len(kinds)]
                place = places[unit_no % len(places)]
                name = _enhet_name(k, spec, ward_no, place, i) + site
                ward_no += k in ("vard", "psyk")
                base, n = name, 2
                while name in used:
                    name, n = f"{base} {n}", n + 1
                used.add(name)
                codes.append(f"{300101 + unit_no}")
                names.append(name)
                level.append(4), parent.append(v_idx), kind.append(k), division.append(d)
                unit_no += 1
    lv = np.array(level)
    target = np.zeros(len(codes))
    enh = np.flatnonzero(lv == 4)
    sizes = np.clip(rng.lognormal(np.log(26), 0.45, enh.size), 12, 90)
    small = rng.random(enh.size) < 0.07
    sizes[small] = rng.integers(6, 11, small.sum())
    big = ~small
    sizes[big] *= max(0.2, (employees - sizes[small].sum())) / sizes[big].sum()
    target[enh] = sizes
    return Organisation(codes=codes, names=names, level=lv, parent=np.array(parent), kind=kind,
                        division=np.array(division), target=target)
