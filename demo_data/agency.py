"""Agency-staff invoices: a few units rely on agency staff, most in summer.

The month's agency spend is a share of the month's own personnel cost (with PO), so the
agency cost share lands near the national level and drifts slowly down over the years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .organisation import CLINICAL, Organisation

SUPPLIERS = (("Nordisk Vårdbemanning AB", "NVB"), ("Läkarpoolen Sverige AB", "LPS"),
             ("Sköterskeförmedlingen i Mellansverige AB", "SKF"), ("Akutbemanning Öst AB", "ABO"),
             ("Vårdresurs Norrland AB", "VRN"))
GROUPS = ("LAK", "SSK", "USK", "OVR")
PRICE_PER_HOUR = np.array([1650.0, 980.0, 620.0, 750.0])
GROUP_MIX = {"vc": (0.75, 0.25, 0, 0), "akut": (0.4, 0.6, 0, 0), "iva": (0.3, 0.7, 0, 0), "op": (0.3, 0.7, 0, 0),
             "vard": (0.15, 0.55, 0.30, 0), "psyk": (0.35, 0.45, 0.20, 0)}
OTHER_MIX = (0.4, 0.4, 0.0, 0.2)
SEASON = np.array([0.85, 0.85, 0.9, 0.9, 0.95, 1.35, 1.7, 1.35, 0.95, 0.9, 0.85, 0.95])
SHARE_OF_PERSONNEL_COST = 0.039
YEARLY_DRIFT = 0.05  # the share falls this much (relatively) a year
PO_RATE = 0.40


@dataclass
class InvoiceLine:
    number: str
    supplier: str
    unit: int
    group: str
    centi_hours: int
    ore: int
    invoice_day: int


class Agency:
    def __init__(self, rng: np.random.Generator, org: Organisation) -> None:
        units = org.open_units()
        clinical = units[[org.kind[u] in CLINICAL for u in units.tolist()]]
        users = clinical[rng.random(clinical.size) < 0.25]
        self.users = users if users.size else clinical[:1]
        self.weight = rng.lognormal(0, 0.8, self.users.size)
        self.supplier = rng.integers(0, len(SUPPLIERS), self.users.size)
        self.next_no = 1

    def month(self, rng: np.random.Generator, org: Organisation, heir: dict[int, int], month: int,
              years_in: float, personnel_cost_ore: int, last: int) -> list[InvoiceLine]:
        share = SHARE_OF_PERSONNEL_COST * SEASON[month - 1] / SEASON.mean() * (1 - YEARLY_DRIFT) ** years_in
        budget = share * personnel_cost_ore * (1 + PO_RATE)
        on = rng.random(self.users.size) < 0.8
        idx = np.flatnonzero(on)
        if idx.size == 0:
            return []
        split = rng.gamma(2.0, 1.0, idx.size) * self.weight[idx]
        amounts = budget * split / split.sum()
        lines: list[InvoiceLine] = []
        for i, amount in zip(idx.tolist(), amounts.tolist()):
            unit = int(self.users[i])
            while unit in heir:
                unit = heir[unit]
            name, prefix = SUPPLIERS[int(self.supplier[i])]
            number = f"{prefix}-{self.next_no:07d}"
            self.next_no += 1
            day = last + int(rng.integers(3, 21))
            mix = GROUP_MIX.get(org.kind[unit], OTHER_MIX)
            for g, part in enumerate(mix):
                if part == 0:
                    continue
                price = PRICE_PER_HOUR[g] * rng.uniform(0.92, 1.08)
                half_hours = max(1, int(round(amount * part / 100 / price * 2)))
                hours = half_hours * 50  # centi-hours
                lines.append(InvoiceLine(number, name, unit, GROUPS[g], hours,
                                         int(round(hours / 100 * price * 100)), day))
        # Credit notes: a disputed part of an invoice comes back negative.
        for line in list(lines):
            if rng.random() < 0.03:
                back = max(50, int(line.centi_hours * rng.uniform(0.05, 0.3)) // 50 * 50)
                price = line.ore / line.centi_hours
                lines.append(InvoiceLine(f"{line.number}-K", line.supplier, line.unit, line.group, -back,
                                         -int(round(back * price)), line.invoice_day + int(rng.integers(5, 20))))
        return lines
