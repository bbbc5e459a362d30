"""Month arithmetic and Swedish working days (weekdays minus public holidays)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np


def add_months(period: int, n: int) -> int:
    y, m = divmod(period // 100 * 12 + period % 100 - 1 + n, 12)
    return y * 100 + m + 1


def month_bounds(period: int) -> tuple[np.datetime64, np.datetime64]:
    """First and last day of the month."""
    first = np.datetime64(f"{period // 100:04d}-{period % 100:02d}-01", "D")
    last = (first.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    return first, last


def _easter(year: int) -> date:
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def swedish_holidays(year: int) -> list[date]:
    """Public holidays and the eves that are days off under the collective agreements."""
    easter = _easter(year)
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    return [
        date(year, 1, 1), date(year, 1, 6), easter - timedelta(days=2), easter + timedelta(days=1),
        date(year, 5, 1), easter + timedelta(days=39), date(year, 6, 6), midsummer_eve,
        date(year, 12, 24), date(year, 12, 25), date(year, 12, 26), date(year, 12, 31),
    ]


@lru_cache(maxsize=None)
def holidays(first_year: int, last_year: int) -> np.ndarray:
    days = [d for y in range(first_year, last_year + 1) for d in swedish_holidays(y)]
    return np.array(days, dtype="datetime64[D]")


def working_days(start: np.ndarray, end_inclusive: np.ndarray) -> np.ndarray:
    """Working days in [start, end] per element (0 where end < start)."""
    start = np.asarray(start, dtype="datetime64[D]")
    stop = np.asarray(end_inclusive, dtype="datetime64[D]") + 1
    stop = np.maximum(stop, start)
    if start.size == 0:
        return np.zeros(0, dtype=np.int64)
    y0 = int(start.min().astype("datetime64[Y]").astype(int)) + 1970
    y1 = int(stop.max().astype("datetime64[Y]").astype(int)) + 1970
    return np.busday_count(start, stop, holidays=holidays(y0, y1)).astype(np.int64)
