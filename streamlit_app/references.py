"""National reference lines: published national figures (seeds/national_references.csv) drawn
beside a KPI's trend on its page and in the board pack, where the KPI and the organisation
type (HRKPI_ORG_TYPE) match. Every figure comes with its source; none is made up here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hrkpi_config import settings
from streamlit_app import queries
from streamlit_app.fmt import format_value, is_missing, t


@dataclass(frozen=True)
class Reference:
    value: float
    kind: str  # 'outcome' (one year's national figure) or 'goal' (a standing national goal)
    year: int | None
    label: str  # "Riket, regioner: 6,4 % (2021)", drawn beside the line
    population: str
    source_title: str
    source_url: str


def for_kpi(key: queries.FileKey, kpi, last_period: dt.date, lang: str) -> list[Reference]:
    """The standing national goal and the newest national figure of a year up to the chart's
    last month, for the KPI's unit and decimals. A national figure of a later year than the
    chart is not drawn: it would compare the past with a future the chart does not show."""
    cfg = settings()
    rows = queries.national_references(key, cfg.profile_code, cfg.org_type, kpi.kpi_id)
    org = t(f"org_type_{cfg.org_type}", lang)
    out: list[Reference] = []
    goals = rows[rows["kind"] == "goal"]
    outcomes = rows[(rows["kind"] == "outcome") & rows["year"].notna()]
    outcomes = outcomes[outcomes["year"].astype(int) <= last_period.year]
    for kind, picked in (("goal", goals.head(1)), ("outcome", outcomes.head(1))):
        for r in picked.itertuples(index=False):
            value = float(r.value)
            shown = format_value(value, kpi.unit, kpi.decimals, lang, kpi.kpi_id)
            year = None if is_missing(r.year) else int(r.year)
            label = t(f"reference_{kind}", lang, org=org, value=shown, year=year)
            out.append(Reference(value, kind, year, label, str(r.population), str(r.source_title),
                                 str(r.source_url)))
    return out
