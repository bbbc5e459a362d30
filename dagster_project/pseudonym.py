"""Keyed pseudonyms for personal identity numbers: Swedish personnummer, Finnish henkilötunnus.

The pseudonym is HMAC-SHA-256 over the normalised number (12 digits for a personnummer, the 11
upper-case characters of a henkilötunnus, century sign included) with a secret key from the
environment (`config.pseudonym_key()`): the same person gets the same key in every extract and
month, and without the key nobody can recompute it from a list of all possible numbers (both
spaces are small enough to enumerate, so a plain hash would be reversible). The two normal
forms cannot collide: a henkilötunnus always holds a century sign, a personnummer never does.
Birth year and legal gender are derived before the number is discarded. Which ids are accepted
is the organisation profile's (`HRKPI_PROFILE`: SE personnummer, FI henkilötunnus).
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import duckdb

from dagster_project import henkilotunnus
from dagster_project.config import ENV_PSEUDONYM_KEY, ConfigError
from dagster_project.parsing import InvalidPersonnummer, mask_personnummer, parse_personnummer

PERSON_ID_KINDS = ("personnummer", "henkilotunnus")
# The rule quoted in quarantine reasons for the person column, per kind of id.
PERSON_ID_RULES = {
    "personnummer": "personnummer or samordningsnummer with a valid Luhn check digit",
    "henkilotunnus": "henkilötunnus DDMMYYCZZZQ: a valid date, century sign + - Y X W V U A B C D E F "
                     "and the check character",
}


def pseudonymise(normalised: str, key: bytes) -> str:
    """Hex HMAC-SHA-256 of a normalised 12-digit personnummer or 11-character henkilötunnus."""
    if not ((len(normalised) == 12 and normalised.isdigit()) or henkilotunnus.is_valid(normalised)):
        raise ValueError("expected a normalised 12-digit personnummer or a henkilötunnus")
    return hmac.new(key, normalised.encode("ascii"), hashlib.sha256).hexdigest()


# --- the key guard ------------------------------------------------------------------------------

# HMAC of a fixed label under the key: the same key gives the same fingerprint, and the
# fingerprint says nothing about the key (nor about any pseudonym, whose input is a 12-digit number).
_FINGERPRINT_LABEL = b"hrkpi pseudonym key fingerprint v1"


def key_fingerprint(key: bytes) -> str:
    return hmac.new(key, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


class KeyMismatch(ConfigError):
    """The pseudonym key is not the one the warehouse was built with."""


REKEY_HOW = ("To re-key deliberately, do a full reload: stop every refresh, move the build database "
             "(HRKPI_BUILD_DB) away and run the refresh again with the new key; it reloads every file in the "
             "landing folder, so every person gets a pseudonym under the new key.")


def guard_key(conn: duckdb.DuckDBPyConnection, key: bytes) -> str:
    """Refuse a key other than the warehouse's; a warehouse without a recorded key records this one.

    Pseudonyms from two keys would make every person two people (joins across months and
    extracts break silently), so a changed key is a configuration error, never a fresh start.
    """
    conn.execute("create schema if not exists audit")
    conn.execute("create table if not exists audit.pseudonym_key (fingerprint varchar not null, "
                 "recorded_at timestamp not null)")
    fingerprint = key_fingerprint(key)
    rows = [r[0] for r in conn.execute("select fingerprint from audit.pseudonym_key").fetchall()]
    if not rows:
        conn.execute("insert into audit.pseudonym_key values (?, current_timestamp::timestamp)", [fingerprint])
    elif fingerprint not in rows:
        raise KeyMismatch(f"{ENV_PSEUDONYM_KEY} is not the key this build database was built with (its "
                          f"fingerprint {fingerprint[:12]} differs from the recorded {rows[0][:12]}); a different "
                          f"key would split every person in two. Set the original key. {REKEY_HOW}")
    return fingerprint


def recorded_fingerprint(db_path) -> str | None:
    """The key fingerprint a build database holds, read without writing (None: none recorded)."""
    conn = duckdb.connect(str(db_path), read_only=True)
    try:
        exists = conn.execute("select count(*) from information_schema.tables where table_schema = 'audit' "
                              "and table_name = 'pseudonym_key'").fetchone()[0]
        if not exists:
            return None
        row = conn.execute("select fingerprint from audit.pseudonym_key limit 1").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


@dataclass(frozen=True)
class PersonFields:
    """What replaces one delivered personnummer value: either the derived fields or the reason
    it was rejected. `masked` is the only form of the number that may be shown."""

    person_key: str | None
    birth_year: int | None
    legal_gender: str | None
    masked: str
    error: str | None
    temporary: bool = False  # a temporary henkilötunnus (individual number 900-999)


@lru_cache(maxsize=1024)
def period_end(period: int) -> date:
    year, month = divmod(period, 100)
    return date(year, month, calendar.monthrange(year, month)[1])


class Pseudonymizer:
    """Derives PersonFields for raw values, remembering results: the same people recur in every
    file, so a refresh computes each HMAC about once instead of once per row."""

    def __init__(self, key: bytes, person_id: str | None = None) -> None:
        if not key:
            raise ValueError("the pseudonym key is empty")
        if person_id is None:
            from dagster_project.config import settings

            person_id = settings().profile.person_id
        if person_id not in PERSON_ID_KINDS:
            raise ValueError(f"unknown kind of person id: {person_id!r}")
        self.person_id = person_id
        self.rule = PERSON_ID_RULES[person_id]
        # HMAC with the key already absorbed: each number costs one copy and two updates.
        self._hmac = hmac.new(key, digestmod=hashlib.sha256)
        self._cache: dict[tuple[str, int], PersonFields] = {}

    def fields(self, raw: str, period: int) -> PersonFields:
        value = raw.strip()
        # Only the 10-digit forms (10 or 11 characters) depend on the period: the century is
        # decided by age at the period's end.
        # A henkilötunnus carries its century.
        cache_key = (value, 0 if len(value) >= 12 or self.person_id == "henkilotunnus" else period)
        hit = self._cache.get(cache_key)
        if hit is None:
            hit = self._derive(value, period)
            self._cache[cache_key] = hit
        return hit

    def _derive(self, value: str, period: int) -> PersonFields:
        if self.person_id == "henkilotunnus":
            return self._derive_henkilotunnus(value)
        try:
            pnr = parse_personnummer(value, period_end(period))
        except InvalidPersonnummer as exc:
            return PersonFields(None, None, None, mask_personnummer(value), str(exc))
        h = self._hmac.copy()
        h.update(pnr.normalised.encode("ascii"))
        return PersonFields(h.hexdigest(), pnr.birth_year, pnr.legal_gender, pnr.masked, None)

    def _derive_henkilotunnus(self, value: str) -> PersonFields:
        try:
            hetu = henkilotunnus.parse(value)
        except henkilotunnus.InvalidHenkilotunnus as exc:
            # Eleven characters from six digits on: masked as a henkilötunnus; anything else
            # (a personnummer delivered by mistake) as a personnummer would be.
            shaped = len(value.strip()) == 11 and value.strip()[:6].isdigit()
            masked = henkilotunnus.mask(value) if shaped else mask_personnummer(value)
            return PersonFields(None, None, None, masked, str(exc))
        h = self._hmac.copy()
        h.update(hetu.normalised.encode("ascii"))
        return PersonFields(h.hexdigest(), hetu.birth_year, hetu.legal_gender, hetu.masked, None,
                            temporary=hetu.temporary)
