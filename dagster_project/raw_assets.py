"""Dagster assets raw/<extract>: one per extract, loading whatever is new in the landing folder.

Period-aware rather than partitioned: every run loads the files not yet loaded (same checksum
is skipped, a changed file replaces its month), and `RawLoadConfig.periods` forces chosen
months to be re-loaded. org_units comes first, since the other extracts are checked against
the month's organisation. A rejected file fails the step after its load-log and quarantine
rows are committed, so the run stops before publishing.
"""

# No `from __future__ import annotations`: Dagster reads the config annotation at definition time.

import re
from collections import Counter
from functools import lru_cache

import dagster as dg

from dagster_project.config import pseudonym_key, settings
from dagster_project.contracts import EXTRACT_ORDER, EXTRACTS
from dagster_project.failures import UserError
from dagster_project.ingest import REJECTED, FileOutcome, ensure_warehouse, load_extract
from dagster_project.parsing import scrub
from dagster_project.pseudonym import Pseudonymizer, guard_key
from dagster_project.warehouse import build_connection, writer_lock

ORG_UNITS_KEY = dg.AssetKey(["raw", "org_units"])


class RawLoadConfig(dg.Config):
    """Months (YYYYMM) to re-load even if their files were loaded before (re-load, backfill)."""

    periods: list[str] = []


def forced_periods(config: RawLoadConfig) -> set[int]:
    out = set()
    for p in config.periods:
        p = p.strip()
        if not re.fullmatch(r"\d{4}(0[1-9]|1[0-2])", p):
            raise UserError(description=f"periods: '{scrub(p)}' is not a month YYYYMM")
        out.add(int(p))
    return out


@lru_cache(maxsize=1)
def _pseudonymizer(key: bytes, person_id: str) -> Pseudonymizer:
    # The raw assets run one after the other in one process (in-process executor): sharing the
    # derived pseudonyms lets payroll, absence etc. reuse what employees computed. Held in
    # memory only, for the life of the run's process. Keyed on the profile's kind of id too: a
    # process that refreshes a Swedish and then a Finnish organisation must not reuse the rules.
    return Pseudonymizer(key, person_id=person_id)


def outcome_metadata(outcomes: list[FileOutcome]) -> dict:
    statuses = Counter(o.status for o in outcomes)
    lines = ["| file | period | status | read | loaded | quarantined | message |",
             "|---|---|---|---:|---:|---:|---|"]
    for o in outcomes:
        msg = o.message.replace("|", "/")
        lines.append(f"| {o.file} | {o.period or ''} | {o.status} | {o.rows_read} | {o.rows_loaded} | "
                     f"{o.rows_quarantined} | {msg} |")
    return {
        "files": len(outcomes),
        "rows_read": sum(o.rows_read for o in outcomes),
        "rows_loaded": sum(o.rows_loaded for o in outcomes),
        "rows_quarantined": sum(o.rows_quarantined for o in outcomes),
        "statuses": dict(sorted(statuses.items())),
        "periods_loaded": sorted({o.period for o in outcomes if o.status in ("loaded", "replaced") and o.period}),
        "outcomes": dg.MetadataValue.md("\n".join(lines)),
    }


def _raw_asset(name: str) -> dg.AssetsDefinition:
    extract = EXTRACTS[name]

    @dg.asset(
        key=["raw", name],
        group_name="raw",
        kinds={"duckdb"},
        deps=[] if name == "org_units" else [ORG_UNITS_KEY],
        description=f"{extract.title_sv}: {extract.description} Loaded from landing/{name}/{name}_YYYYMM.csv "
                    "under the extract contract; personnummer replaced by a keyed pseudonym.",
    )
    def _load(context: dg.AssetExecutionContext, config: RawLoadConfig) -> dg.MaterializeResult:
        s = settings()
        force = forced_periods(config)
        key = pseudonym_key()
        with writer_lock(s.build_db), build_connection(s.build_db) as conn:
            ensure_warehouse(conn)
            guard_key(conn, key)
            outcomes = load_extract(conn, name, s.landing_dir, key=key, force_periods=force,
                                    pseudonyms=_pseudonymizer(key, s.profile.person_id))
        for o in outcomes:
            log = context.log.error if o.status == REJECTED else context.log.info
            log(scrub(f"{o.file}: {o.status}, {o.rows_loaded}/{o.rows_read} rows loaded, "
                      f"{o.rows_quarantined} quarantined. {o.message}"))
        metadata = outcome_metadata(outcomes)
        rejected = [o for o in outcomes if o.status == REJECTED]
        if rejected:
            raise UserError(
                description=scrub("Rejected: " + " | ".join(o.message for o in rejected)),
                metadata=metadata,
            )
        return dg.MaterializeResult(metadata=metadata)

    return _load


@dg.asset(
    key=["raw", "deliveries"],
    group_name="raw",
    kinds={"duckdb"},
    deps=[dg.AssetKey(["raw", name]) for name in EXTRACT_ORDER],
    description="What each month has been delivered (a header-only file included), written by the raw "
                "assets as they load; a month is published once every extract that "
                "seeds/extract_requirements.csv marks needed_every_month is here.",
)
def raw_deliveries(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    s = settings()
    with writer_lock(s.build_db), build_connection(s.build_db) as conn:
        ensure_warehouse(conn)
        rows = conn.execute("select strftime(period, '%Y-%m'), missing from audit.period_completeness "
                            "where not complete order by period").fetchall()
        complete = conn.execute("select count(*), strftime(max(period), '%Y-%m') from audit.period_completeness "
                                "where complete").fetchone()
    incomplete = {month: ", ".join(missing) for month, missing in rows}
    for month, missing in incomplete.items():
        context.log.warning(f"{month} is incomplete and not published yet: missing {missing}")
    return dg.MaterializeResult(metadata={
        "complete_months": complete[0],
        "last_complete_month": complete[1] or "",
        "incomplete_months": dg.MetadataValue.json(incomplete),
    })


def build_raw_assets() -> list[dg.AssetsDefinition]:
    return [*(_raw_asset(name) for name in EXTRACT_ORDER), raw_deliveries]


RAW_ASSETS: list[dg.AssetsDefinition] = build_raw_assets()
