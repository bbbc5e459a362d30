"""Configuration that the orchestrator (dagster_project) and the dashboard (streamlit_app)
share: where the data lives, how much memory DuckDB may take, and the extracts' names.

Every setting is an environment variable with a default under the git-ignored `data/`
folder at the repository root. dbt's profiles.yml reads the same variables; the Makefile
and `Settings.as_env()` export them so a dbt run started from Dagster sees exactly these
paths. Kept apart from both sides so the dashboard does not import the orchestrator; the
pseudonym key, which only the loader may read, is in dagster_project/config.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
SEEDS_DIR = REPO_ROOT / "seeds"

ENV_LANDING = "HRKPI_LANDING_DIR"
ENV_BUILD_DB = "HRKPI_BUILD_DB"
ENV_PUBLISHED_DB = "HRKPI_PUBLISHED_DB"
ENV_PSEUDONYM_KEY = "HRKPI_PSEUDONYM_KEY"
ENV_DEMO = "HRKPI_DEMO"
ENV_MEMORY_LIMIT = "HRKPI_DUCKDB_MEMORY_LIMIT"
ENV_PROFILE = "HRKPI_PROFILE"
# The audit store: the pseudonymised microdata (raw, staging, intermediate) auditors trace
# figures to, published apart from the dashboard's store and readable by its owner only.
ENV_AUDIT_DB = "HRKPI_AUDIT_DB"
ENV_AUDIT_GROUP = "HRKPI_AUDIT_GROUP"
ENV_KEEP_PUBLISHES = "HRKPI_KEEP_PUBLISHES"
DEFAULT_KEEP_PUBLISHES = 5
ENV_ORG_TYPE = "HRKPI_ORG_TYPE"

# DuckDB takes up to 80 % of the machine's memory by default; a refresh on a shared server
# should spill to disk (beside the build file) instead. dbt's profile has the same default.
DEFAULT_MEMORY_LIMIT = "3GB"

# The extracts' Swedish names, as HR staff know them: the contracts (dagster_project/
# contracts.py) title each extract with these, the dashboard labels the load log with them.
EXTRACT_TITLES_SV = {
    "employees": "Personalregister",
    "payroll": "Lönetransaktioner",
    "absence": "Frånvaro",
    "employment_events": "Personalomsättning",
    "incidents": "Arbetsskador och tillbud",
    "agency_costs": "Bemanningspersonal",
    "survey": "Arbetshälsoenkät",
    "org_units": "Organisation",
}


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Profile:
    """What the organisation profile (HRKPI_PROFILE) selects. dbt reads the same variable as
    `var('hrkpi_profile')` (dbt_project.yml); Dagster and Streamlit through `settings()`."""

    code: str
    person_id: str  # the ids the person column accepts: 'personnummer' or 'henkilotunnus'
    currency: str  # ISO 4217 code of every amount in the extracts
    national_definitions: str  # whose definitions are published beside the common KPIs
    statutory_page: str  # the dashboard page of the annual statutory figures
    default_language: str  # 'sv', 'fi' or 'en'
    default_org_type: str  # the organisation type (ORG_TYPES) unless HRKPI_ORG_TYPE says otherwise


PROFILES: dict[str, Profile] = {
    # A Swedish region or municipality: SKR's definitions, the annual-report sick-leave table.
    "SE": Profile("SE", "personnummer", "SEK", "SKR", "sick_leave_statutory", "sv", "region"),
    # A Finnish wellbeing services county: KT's personnel-report indicators as well. Swedish
    # stays the default language: Österbotten, whose strategy names the indicators, is bilingual.
    "FI": Profile("FI", "henkilotunnus", "EUR", "KT", "henkilostoraportti", "sv", "wellbeing_county"),
}
DEFAULT_PROFILE = "SE"

# The organisation type picks the national reference figures (seeds/national_references.csv)
# drawn beside a KPI: a region's sick leave is compared with the regions', a municipality's
# with the municipalities'. A Swedish profile covers both, so it is a setting of its own.
ORG_TYPES = ("region", "municipality", "wellbeing_county")


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    build_db: Path
    published_db: Path
    demo: bool
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    profile_code: str = DEFAULT_PROFILE
    audit_db_path: Path | None = None  # None: the default beside the published file
    audit_group: str | None = None  # a group that may read the audit store and the build database
    keep_publishes: int = DEFAULT_KEEP_PUBLISHES
    org_type: str = PROFILES[DEFAULT_PROFILE].default_org_type

    @property
    def profile(self) -> Profile:
        return PROFILES[self.profile_code]

    @property
    def data_dir(self) -> Path:
        return self.published_db.parent

    @property
    def audit_db(self) -> Path:
        """The audit store's catalog: in a folder of its own beside the published file, so the
        folder's permissions (owner only, or the audit group) guard every file in it."""
        return self.audit_db_path or default_audit_db(self.published_db)

    def as_env(self) -> dict[str, str]:
        """The variables to hand to a subprocess (dbt) so it sees the same paths."""
        return {
            ENV_LANDING: str(self.landing_dir),
            ENV_BUILD_DB: str(self.build_db),
            ENV_PUBLISHED_DB: str(self.published_db),
            ENV_DEMO: "1" if self.demo else "0",
            ENV_MEMORY_LIMIT: self.memory_limit,
            ENV_PROFILE: self.profile_code,
            ENV_AUDIT_DB: str(self.audit_db),
            ENV_AUDIT_GROUP: self.audit_group or "",
            ENV_KEEP_PUBLISHES: str(self.keep_publishes),
        }


def default_audit_db(published_db: Path) -> Path:
    return published_db.parent / "audit" / "hr_kpi_audit.duckdb"


def keep_publishes() -> int:
    """HRKPI_KEEP_PUBLISHES: how many publishes' stores stay on disk, at least 1 (the current)."""
    value = os.environ.get(ENV_KEEP_PUBLISHES, "").strip()
    if not value:
        return DEFAULT_KEEP_PUBLISHES
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{ENV_KEEP_PUBLISHES}={value!r} is not a whole number of 1 or more; it is how many "
                          f"publishes stay readable on disk (default {DEFAULT_KEEP_PUBLISHES}).")
    return int(value)


def env_path(var: str, default: Path) -> Path:
    """The path in environment variable `var`, absolute, or `default` when it is unset or empty."""
    value = os.environ.get(var, "").strip()
    return Path(value).expanduser().resolve() if value else default


def profile_code() -> str:
    """HRKPI_PROFILE, upper-cased; SE when unset. Anything else than SE or FI is an error, not
    a silent fallback: a Finnish county loaded under SE rules would reject every id."""
    value = os.environ.get(ENV_PROFILE, "").strip().upper() or DEFAULT_PROFILE
    if value not in PROFILES:
        raise ConfigError(f"{ENV_PROFILE}={value!r} is not a known organisation profile; use one of "
                          f"{', '.join(PROFILES)}.")
    return value


def org_type(profile: str) -> str:
    """HRKPI_ORG_TYPE, lower-cased; the profile's default when unset. An unknown type is an
    error: it would silently draw no national reference at all."""
    value = os.environ.get(ENV_ORG_TYPE, "").strip().lower() or PROFILES[profile].default_org_type
    if value not in ORG_TYPES:
        raise ConfigError(f"{ENV_ORG_TYPE}={value!r} is not a known organisation type; use one of "
                          f"{', '.join(ORG_TYPES)}.")
    return value


def settings() -> Settings:
    data = REPO_ROOT / "data"
    published_db = env_path(ENV_PUBLISHED_DB, data / "published" / "hr_kpi.duckdb")
    code = profile_code()
    return Settings(
        landing_dir=env_path(ENV_LANDING, data / "landing"),
        build_db=env_path(ENV_BUILD_DB, data / "build" / "warehouse.duckdb"),
        published_db=published_db,
        demo=os.environ.get(ENV_DEMO, "1").strip().lower() in ("1", "true", "yes", "j", "ja"),
        memory_limit=os.environ.get(ENV_MEMORY_LIMIT, "").strip() or DEFAULT_MEMORY_LIMIT,
        profile_code=code,
        org_type=org_type(code),
        audit_db_path=env_path(ENV_AUDIT_DB, default_audit_db(published_db)),
        audit_group=os.environ.get(ENV_AUDIT_GROUP, "").strip() or None,
        keep_publishes=keep_publishes(),
    )
