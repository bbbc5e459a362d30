"""Synthetic Swedish personal identity numbers with valid Luhn check digits.

Numbers are drawn from the generator's seed, so they belong to nobody we know of; they
only have to look and validate like real ones so the loader's checks are exercised.
"""

from __future__ import annotations

import numpy as np

# The formats a source system may use; the loader must accept them all.
LONG_DASH = "YYYYMMDD-NNNN"
LONG_PLAIN = "YYYYMMDDNNNN"
SHORT = "YYMMDD-NNNN"  # '+' instead of '-' for people aged 100 or more
FORMATS = (LONG_DASH, LONG_PLAIN, SHORT)


def luhn_check_digit(nine_digits: str) -> int:
    """Check digit over the ten-digit form's first nine digits (YYMMDDNNN)."""
    total = 0
    for i, ch in enumerate(nine_digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def luhn_valid(number: str) -> bool:
    """True when the last digit of any accepted format is the Luhn check digit."""
    digits = number.replace("-", "").replace("+", "")
    if len(digits) == 12:
        digits = digits[2:]
    if len(digits) != 10 or not digits.isdigit():
        return False
    return luhn_check_digit(digits[:9]) == int(digits[9])


def make_numbers(rng: np.random.Generator, birth_dates: np.ndarray, female: np.ndarray,
                 coordination: np.ndarray, taken: set[str]) -> list[str]:
    """Twelve-digit numbers (YYYYMMDDNNNC), unique against and added to `taken`.

    The ninth digit's parity carries legal gender (odd = man); a samordningsnummer adds 60
    to the day of month.
    """
    out: list[str] = []
    years = birth_dates.astype("datetime64[Y]").astype(int) + 1970
    months = birth_dates.astype("datetime64[M]").astype(int) % 12 + 1
    days = (birth_dates - birth_dates.astype("datetime64[M]")).astype(int) + 1
    for y, mo, d, fem, coord in zip(years.tolist(), months.tolist(), days.tolist(),
                                    female.tolist(), coordination.tolist()):
        day = d + 60 if coord else d
        while True:
            serial = int(rng.integers(0, 100)) * 10 + int(rng.choice((0, 2, 4, 6, 8) if fem else (1, 3, 5, 7, 9)))
            nine = f"{y % 100:02d}{mo:02d}{day:02d}{serial:03d}"
            full = f"{y:04d}{mo:02d}{day:02d}{serial:03d}{luhn_check_digit(nine)}"
            if full not in taken:
                taken.add(full)
                out.append(full)
                break
    return out


def format_number(full: str, fmt: str, age_years: int) -> str:
    if fmt == LONG_DASH:
        return f"{full[:8]}-{full[8:]}"
    if fmt == LONG_PLAIN:
        return full
    return f"{full[2:8]}{'+' if age_years >= 100 else '-'}{full[8:]}"
