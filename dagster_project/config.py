"""The orchestrator's configuration: the shared settings (hrkpi_config, which the dashboard
imports too), the pseudonym key, and Dagster's instance folder.
"""

from __future__ import annotations

import functools
import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from hrkpi_config import (  # noqa: F401  (re-exported: the orchestrator's modules import them from here)
    DBT_PROJECT_DIR,
    DEFAULT_MEMORY_LIMIT,
    ENV_AUDIT_DB,
    ENV_AUDIT_GROUP,
    ENV_BUILD_DB,
    ENV_DEMO,
    ENV_KEEP_PUBLISHES,
    ENV_LANDING,
    ENV_MEMORY_LIMIT,
    ENV_PROFILE,
    ENV_PSEUDONYM_KEY,
    ENV_PUBLISHED_DB,
    REPO_ROOT,
    SEEDS_DIR,
    PROFILES,
    ConfigError,
    Profile,
    Settings,
    default_audit_db,
    env_path,
    profile_code,
    settings,
)

# Only for the synthetic demo data. Real data needs a real secret key in the environment.
DEMO_PSEUDONYM_KEY = "demo-key-not-secret-do-not-use-for-real-data"

log = logging.getLogger(__name__)


def _put_environ(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextmanager
def environ(values: Mapping[str, str | None]) -> Iterator[None]:
    """These environment variables (None: unset) for the duration, then each as it was:
    what a child process (dbt) or a later run in the same process sees."""
    before = {name: os.environ.get(name) for name in values}
    try:
        _put_environ(values)
        yield
    finally:
        _put_environ(before)


MIN_KEY_CHARS_DEMO = 16
MIN_KEY_CHARS = 32  # outside demo mode: a random secret, e.g. 64 hex characters


def pseudonym_key() -> bytes:
    """The HMAC key for personnummer pseudonyms.

    Outside demo mode (HRKPI_DEMO=0) the key is required, at least 32 characters and not the
    public demo key: a silent default or a short key would make pseudonyms reversible by anyone
    who reads this file or tries the likely keys.
    """
    key = os.environ.get(ENV_PSEUDONYM_KEY, "")
    demo = settings().demo
    how = "e.g. export HRKPI_PSEUDONYM_KEY=$(python -c 'import secrets;print(secrets.token_hex(32))')"
    if key:
        if not demo and key == DEMO_PSEUDONYM_KEY:
            raise ConfigError(f"{ENV_PSEUDONYM_KEY} is the public demo key, refused with {ENV_DEMO}=0; {how}")
        minimum = MIN_KEY_CHARS_DEMO if demo else MIN_KEY_CHARS
        if len(key) < minimum:
            raise ConfigError(f"{ENV_PSEUDONYM_KEY} is shorter than {minimum} characters"
                              f"{'' if demo else f' (required with {ENV_DEMO}=0)'}; use a long random secret, {how}")
        return key.encode("utf-8")
    if demo:
        _warn_demo_key()
        return DEMO_PSEUDONYM_KEY.encode("utf-8")
    raise ConfigError(
        f"{ENV_PSEUDONYM_KEY} is not set. Outside demo mode ({ENV_DEMO}=0) the pseudonym key must come "
        f"from the environment, {how}"
    )


@functools.cache
def _warn_demo_key() -> None:
    # Every raw asset asks for the key: once per process (a refresh runs in one) is enough
    # for the warning to be seen, eight times buried the rest of the log.
    log.warning("%s is not set: using the public demo key. Never load real personnel data this way.",
                ENV_PSEUDONYM_KEY)


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
    home = env_path("DAGSTER_HOME", REPO_ROOT / "data" / "dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    yaml = home / "dagster.yaml"
    if not yaml.exists():
        yaml.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home
