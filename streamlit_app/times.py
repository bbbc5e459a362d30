"""Times as the organisation reads them: in its time zone, with the zone named.

The pipeline writes its audit times (publish_log.published_at, load_log.started_at and
finished_at) as timestamps without a zone, in UTC. The dashboard shows them in the
organisation's zone, HRKPI_TIMEZONE (an IANA name; by default the organisation profile's:
Europe/Stockholm, or Europe/Helsinki under HRKPI_PROFILE=FI), with the zone's abbreviation
(CET/CEST, EET/EEST), so '2026-12-01 23:42 CET' is never mistaken for UTC.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from hrkpi_config import PROFILES, profile_code

ENV_TIMEZONE = "HRKPI_TIMEZONE"
DEFAULT_TIMEZONE = "Europe/Stockholm"


def timezone() -> ZoneInfo:
    name = os.environ.get(ENV_TIMEZONE, "").strip() or PROFILES[profile_code()].timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"{ENV_TIMEZONE}={name!r} is not a time zone name such as {DEFAULT_TIMEZONE}") from e


def to_local(ts: Any) -> dt.datetime | None:
    """A stored timestamp (naive = UTC, or zone-aware) in the organisation's zone."""
    if ts is None or (not isinstance(ts, dt.datetime) and pd.isna(ts)):
        return None
    if isinstance(ts, pd.Timestamp):
        ts = ts.to_pydatetime()
    if not isinstance(ts, dt.datetime):
        ts = dt.datetime.fromisoformat(str(ts))
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=dt.timezone.utc)
    return ts.astimezone(timezone())


def format_local(ts: Any, lang: str = "sv") -> str:  # noqa: ARG001  (same in both languages)
    """'2026-12-01 23:42 CET'; '' for a missing time."""
    local = to_local(ts)
    return "" if local is None else f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def localise_column(values: pd.Series) -> pd.Series:
    """A column of stored timestamps as local text, for tables and exports."""
    return values.map(format_local)
