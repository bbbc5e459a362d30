"""Keyed pseudonyms for personnummer.

The pseudonym is HMAC-SHA-256 over the normalised 12-digit number with a secret key from the
environment (`config.pseudonym_key()`): the same person gets the same key in every extract and
month, and without the key nobody can recompute it from a list of all possible numbers (the
space of personnummer is small enough to enumerate, so a plain hash would be reversible).
Birth year and legal gender are derived before the number is discarded.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from dagster_project.parsing import InvalidPersonnummer, mask_personnummer, parse_personnummer


def pseudonymise(normalised: str, key: bytes) -> str:
    """Hex HMAC-SHA-256 of a normalised 12-digit personnummer."""
    if len(normalised) != 12 or not normalised.isdigit():
        raise ValueError("expected a normalised 12-digit personnummer")
    return hmac.new(key, normalised.encode("ascii"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PersonFields:
    """What replaces one delivered personnummer value: either the derived fields or the reason
    it was rejected. `masked` is the only form of the number that may be shown."""

    person_key: str | None
    birth_year: int | None
    legal_gender: str | None
    masked: str
    error: str | None


@lru_cache(maxsize=1024)
def period_end(period: int) -> date:
    year, month = divmod(period, 100)
    return date(year, month, calendar.monthrange(year, month)[1])


class Pseudonymizer:
    """Derives PersonFields for raw values, remembering results: the same people recur in every
    file, so a refresh computes each HMAC about once instead of once per row."""

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ValueError("the pseudonym key is empty")
        # HMAC with the key already absorbed: each number costs one copy and two updates.
        self._hmac = hmac.new(key, digestmod=hashlib.sha256)
        self._cache: dict[tuple[str, int], PersonFields] = {}

    def fields(self, raw: str, period: int) -> PersonFields:
        value = raw.strip()
        # Only the 10-digit forms (10 or 11 characters) depend on the period: the century is
        # decided by age at the period's end.
        cache_key = (value, 0 if len(value) >= 12 else period)
        hit = self._cache.get(cache_key)
        if hit is None:
            hit = self._derive(value, period)
            self._cache[cache_key] = hit
        return hit

    def _derive(self, value: str, period: int) -> PersonFields:
        try:
            pnr = parse_personnummer(value, period_end(period))
        except InvalidPersonnummer as exc:
            return PersonFields(None, None, None, mask_personnummer(value), str(exc))
        h = self._hmac.copy()
        h.update(pnr.normalised.encode("ascii"))
        return PersonFields(h.hexdigest(), pnr.birth_year, pnr.legal_gender, pnr.masked, None)
