"""Synthetic Finnish henkilötunnus for the FI demo (HRKPI_PROFILE=FI), one per person.

Each code is derived from the person's synthetic personnummer (population.py draws those), so
birth date and legal gender stay the generator's own: DDMMYY from the date (a samordningsnummer's
day + 60 taken back), the individual number from its three serial digits, parity kept (odd =
man). The check character is the loader's own (`dagster_project.henkilotunnus`), so the two
cannot drift apart.

The century sign belongs to the code, not to the file: a person keeps theirs in every extract.
Most people have `-` (1900s) or `A` (2000s), the signs of every code issued before 2023; the
first persons of each century get each of the signs introduced in 2023 (`Y X W V U`,
`B C D E F`), and about 2 % of the others too, so even a small demo delivers every sign. One
person is written with `+` (born in the 1800s), the only way to exercise the oldest sign: the
loader derives their birth year a century earlier than the generator thinks, and they are
counted in the oldest age group. The demo never issues temporary codes (900-999).
"""

from __future__ import annotations

from dagster_project.henkilotunnus import CENTURY_SIGNS, check_character

NEW_SIGNS = {1900: ("Y", "X", "W", "V", "U"), 2000: ("B", "C", "D", "E", "F")}
CLASSIC_SIGN = {1800: "+", 1900: "-", 2000: "A"}
assert set(CENTURY_SIGNS) == {s for signs in NEW_SIGNS.values() for s in signs} | set(CLASSIC_SIGN.values())
ALL_SIGNS = tuple(CENTURY_SIGNS)
PERMANENT_MAX = 899  # 900-999 are temporary codes, which the demo does not issue


class HenkilotunnusTexts:
    """Each person's henkilötunnus, built once and extended as people are hired."""

    def __init__(self) -> None:
        self._codes: list[str] = []
        self._taken: set[tuple[str, int]] = set()  # (DDMMYY, individual number)
        self._seen_in_century: dict[int, int] = {1900: 0, 2000: 0}

    def _sign(self, century: int, person: int) -> str:
        k = self._seen_in_century.get(century, 0)
        self._seen_in_century[century] = k + 1
        new = NEW_SIGNS.get(century, ())
        if 1 <= k <= len(new):
            return new[k - 1]
        # A fixed hash of the person's index: deterministic, no random draws to shift.
        if new and (person * 2654435761) % 1000 < 20:
            return new[(person * 40503) % len(new)]
        return CLASSIC_SIGN.get(century, "-")

    def _code(self, pnr: str, person: int) -> str:
        year, month, day = int(pnr[:4]), int(pnr[4:6]), int(pnr[6:8])
        day = day - 60 if day > 60 else day
        century = year - year % 100
        if person == 0:
            century -= 100  # the one person written with '+'
        sign = CLASSIC_SIGN[1800] if century == 1800 else self._sign(century, person)
        ddmmyy = f"{day:02d}{month:02d}{year % 100:02d}"
        # 002-899 with the serial's parity: 898 is even, so the shift keeps odd odd.
        individual = 2 + (int(pnr[8:11]) - 2) % (PERMANENT_MAX - 1)
        while (ddmmyy, individual) in self._taken:
            individual = 2 + individual % (PERMANENT_MAX - 1)  # the next of the same parity
        self._taken.add((ddmmyy, individual))
        return f"{ddmmyy}{sign}{individual:03d}{check_character(f'{ddmmyy}{individual:03d}')}"

    def codes(self, pnr: list[str]) -> list[str]:
        """Every person's code so far, index = person."""
        for person in range(len(self._codes), len(pnr)):
            self._codes.append(self._code(pnr[person], person))
        return self._codes
