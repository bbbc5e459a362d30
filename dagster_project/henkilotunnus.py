"""Finnish personal identity codes (henkilötunnus, HETU) as delivered by a wellbeing services
county's personnel system.

Format DDMMYYCZZZQ:

- DDMMYY the date of birth;
- C the century sign. Since 2023 each century has several signs, so the supply of individual
  numbers does not run out: `+` 1800s; `-` and `Y X W V U` 1900s; `A` and `B C D E F` 2000s.
  The sign belongs to the code: `010101A123X` and `010101B123X` would be two people;
- ZZZ the individual number, odd for men and even for women (legal gender). 002-899 are
  permanent codes from the Population Information System; 900-999 are temporary codes that an
  organisation (a hospital, a payroll system) gives someone before a permanent code exists;
- Q the check character: the nine digits DDMMYYZZZ as one integer mod 31, mapped onto
  `0123456789ABCDEFHJKLMNPRSTUVWXY` (G, I, O, Q and Z are never used). The century sign is not
  part of the check.

Temporary codes (900-999) are **accepted with a warning**: the person is counted and gets a
pseudonym like anyone else, and the loader notes in the file's load outcome how many rows had
one (never the codes). Quarantining them would drop real employees from every headcount and
sick-leave figure for as long as their permanent code is missing. The cost, written in
docs/definitions.md: when the permanent code arrives the person gets a new pseudonym, so for
the warehouse they are a new person from that month (their history does not follow them).

Nothing here keeps or returns a full code except `Henkilotunnus.normalised`, which only the
pseudonymizer reads; every message shows `mask()`'s form (`010180-****`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
assert len(CHECK_CHARACTERS) == 31

CENTURY_SIGNS: dict[str, int] = {
    "+": 1800,
    "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
    "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000,
}

TEMPORARY_FROM = 900  # individual numbers 900-999 are temporary codes

# The whole value, case-insensitive (a lower-case letter is the same sign or check character).
_HETU_RE = re.compile(r"(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])", re.IGNORECASE)

# Anything shaped like a henkilötunnus inside longer text, for masking: six digits, a century
# sign, three digits and a letter or digit. Wider than the valid codes on purpose (any letter
# after the digits, both cases), so a code with a typo is masked too. A shape with `-` or `+`
# and four digits is also a Swedish personnummer shape and is masked by that rule first. RE2
# syntax (no look-around), so DuckDB's regexp_replace can use it too.
HETU_SHAPE = r"(\d{6})[-+A-FU-Ya-fu-y]\d{3}[0-9A-Za-z]"
_HETU_SHAPE_RE = re.compile(HETU_SHAPE)
MASK_REPLACEMENT_SQL = r"\1-****"

# A valid-looking code inside text (word boundaries), for the "no id in a text column" rule:
# candidates found here are then checked with parse().
_HETU_IN_TEXT_RE = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])", re.IGNORECASE)


class InvalidHenkilotunnus(ValueError):
    """The value is not a valid henkilötunnus; the message holds no digits of the code."""


@dataclass(frozen=True)
class Henkilotunnus:
    normalised: str  # the 11 characters, upper case: the pseudonymizer's input
    birth_date: date
    individual_number: int

    @property
    def birth_year(self) -> int:
        return self.birth_date.year

    @property
    def legal_gender(self) -> str:
        """'M' or 'K' (the warehouse's codes for men and women): odd individual number = man."""
        return "M" if self.individual_number % 2 else "K"

    @property
    def temporary(self) -> bool:
        return self.individual_number >= TEMPORARY_FROM

    @property
    def masked(self) -> str:
        return mask(self.normalised)


def check_character(nine_digits: str) -> str:
    """The check character for DDMMYYZZZ."""
    if len(nine_digits) != 9 or not nine_digits.isdigit():
        raise ValueError("expected the nine digits DDMMYYZZZ")
    return CHECK_CHARACTERS[int(nine_digits) % 31]


def parse(value: str) -> Henkilotunnus:
    """Parse a henkilötunnus (surrounding whitespace and lower case allowed).

    Rejects, each with its own reason: another format, an unknown century sign, an impossible
    date, individual number 000 or 001 (never issued), a wrong check character."""
    v = (value or "").strip().upper()
    m = _HETU_RE.fullmatch(v)
    if not m:
        raise InvalidHenkilotunnus("not in the henkilötunnus format DDMMYYCZZZQ (birth date, century sign, individual number, check character)")
    dd, mm, yy, sign, individual, check = m.groups()
    century = CENTURY_SIGNS.get(sign)
    if century is None:
        raise InvalidHenkilotunnus("unknown century sign (allowed: + - Y X W V U A B C D E F)")
    try:
        born = date(century + int(yy), int(mm), int(dd))
    except ValueError:
        raise InvalidHenkilotunnus("the date part is not a valid date") from None
    number = int(individual)
    if number < 2:
        raise InvalidHenkilotunnus("individual numbers 000 and 001 are not issued")
    if check_character(dd + mm + yy + individual) != check:
        raise InvalidHenkilotunnus("the check character is wrong")
    return Henkilotunnus(v, born, number)


def is_valid(value: str) -> bool:
    try:
        parse(value)
        return True
    except InvalidHenkilotunnus:
        return False


def mask(value: str) -> str:
    """The form shown in messages: date of birth kept, the rest hidden (`010180-****`). Works on
    invalid values too, so a rejected code is never shown whole."""
    v = (value or "").strip()
    m = re.fullmatch(r"(\d{6})\S*", v)
    if m and len(v) >= 7:
        return f"{m.group(1)}-****"
    return scrub(v) if _HETU_SHAPE_RE.search(v) else re.sub(r"[0-9]", "*", v)


def scrub(text: object) -> str:
    """`text` with every henkilötunnus-shaped run masked (`010180-****`)."""
    return _HETU_SHAPE_RE.sub(lambda m: f"{m.group(1)}-****", str(text))


def scrub_sql(expr: str) -> str:
    """The DuckDB expression for `scrub(expr)`."""
    return f"regexp_replace({expr}, '{HETU_SHAPE}', '{MASK_REPLACEMENT_SQL}', 'g')"


def find_in_text(text: str) -> list[str]:
    """Valid henkilötunnus codes inside `text` (for the rule that no text column may hold one)."""
    return [m.group(0) for m in _HETU_IN_TEXT_RE.finditer(text or "") if is_valid(m.group(0))]
