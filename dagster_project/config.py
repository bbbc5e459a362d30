"""One configuration source for Dagster, dbt's profile, Streamlit and the tests.

Every setting is an environment variable with a default under the git-ignored `data/`
folder at the repository root. dbt's profiles.yml reads the same variables; the Makefile
and `settings()` export them so a dbt run started from Dagster sees exactly these paths.
"""

from __future__ import annotations

import logging
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

# DuckDB takes up to 80 % of the machine's memory by default; a refresh on a shared server
# should spill to disk (beside the build file) instead. dbt's profile has the same default.
DEFAULT_MEMORY_LIMIT = "3GB"

# Only for the synthetic demo data. Real data needs a real secret key in the environment.
DEMO_PSEUDONYM_KEY = "demo-key-not-secret-do-not-use-for-real-data"

log = logging.getLogger(__name__)


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    build_db: Path
    published_db: Path
    demo: bool
    memory_limit: str = DEFAULT_MEMORY_LIMIT

    @property
    def data_dir(self) -> Path:
        return self.published_db.parent

    def as_env(self) -> dict[str, str]:
        """The variables to hand to a subprocess (dbt) so it sees the same paths."""
        return {
            ENV_LANDING: str(self.landing_dir),
            ENV_BUILD_DB: str(self.build_db),
            ENV_PUBLISHED_DB: str(self.published_db),
            ENV_DEMO: "1" if self.demo else "0",
            ENV_MEMORY_LIMIT: self.memory_limit,
        }


def _path(var: str, default: Path) -> Path:
    value = os.environ.get(var, "").strip()
    return Path(value).expanduser().resolve() if value else default


def settings() -> Settings:
    data = REPO_ROOT / "data"
    return Settings(
        landing_dir=_path(ENV_LANDING, data / "landing"),
        build_db=_path(ENV_BUILD_DB, data / "build" / "warehouse.duckdb"),
        published_db=_path(ENV_PUBLISHED_DB, data / "published" / "hr_kpi.duckdb"),
        demo=os.environ.get(ENV_DEMO, "1").strip().lower() in ("1", "true", "yes", "j", "ja"),
        memory_limit=os.environ.get(ENV_MEMORY_LIMIT, "").strip() or DEFAULT_MEMORY_LIMIT,
    )


def pseudonym_key() -> bytes:
    """The HMAC key for personnummer pseudonyms.

    Outside demo mode (HRKPI_DEMO=0) the key is required: a silent default would make
    pseudonyms reversible by anyone who reads this file.
    """
    key = os.environ.get(ENV_PSEUDONYM_KEY, "")
    if key:
        if len(key) < 16:
            raise ConfigError(f"{ENV_PSEUDONYM_KEY} is shorter than 16 characters; use a long random secret.")
        return key.encode("utf-8")
    if settings().demo:
        log.warning("%s is not set: using the public demo key. Never load real personnel data this way.",
                    ENV_PSEUDONYM_KEY)
        return DEMO_PSEUDONYM_KEY.encode("utf-8")
    raise ConfigError(
        f"{ENV_PSEUDONYM_KEY} is not set. Outside demo mode ({ENV_DEMO}=0) the pseudonym key must come "
        "from the environment, e.g. export HRKPI_PSEUDONYM_KEY=$(python -c 'import secrets;print(secrets.token_hex(32))')"
    )


DAGSTER_YAML = """\
# Written by dagster_project/config.py. One refresh at a time: all writers share one
# DuckDB build file.
run_queue:
  max_concurrent_runs: 1
telemetry:
  enabled: false
# No newsletter sign-up dialog over the UI of a controller opening it for the first time.
nux:
  enabled: false
"""


def dagster_home() -> Path:
    """DAGSTER_HOME (default data/dagster_home) with the project's dagster.yaml in it."""
    home = _path("DAGSTER_HOME", REPO_ROOT / "data" / "dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    yaml = home / "dagster.yaml"
    if not yaml.exists():
        yaml.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home
