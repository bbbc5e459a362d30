"""`python -m dagster_project.refresh`: the whole refresh from the command line.

Runs the same Dagster job as the UI, schedule and sensor (raw loads -> dbt build ->
publish) against the persistent Dagster instance, so the run appears in `make dev`.

What it prints is for a controller, not a developer: one line per problem, naming the file
and what to do, never a stack trace (Dagster's event log keeps those). Exit codes: 0 published,
1 a data error (a rejected file, a failing dbt test), 2 a configuration or environment error
(a missing or changed key, a corrupt build database, a full disk, a landing folder that is not
there), fixed outside the data.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from dagster_project.config import ConfigError, dagster_home, pseudonym_key, settings
from dagster_project.parsing import escape_controls, scrub

EXIT_DATA, EXIT_CONFIG = 1, 2
# Exceptions in a step that are about the machine or the settings, not the delivered data.
CONFIG_ERRORS = {"ConfigError", "KeyMismatch", "WarehouseBusy", "PermissionError", "IOException",
                 "OSError", "FileNotFoundError"}
DISK_FULL = ("No space left on device", "File too large", "Disk quota exceeded")


def one_line(text: object) -> str:
    """A message as one safe line: personnummer masked, control characters escaped."""
    return escape_controls(scrub(str(text).strip()))


def preflight() -> None:
    """What can be checked before Dagster starts, each a ConfigError with what to do."""
    import duckdb

    from dagster_project.pseudonym import REKEY_HOW, key_fingerprint, recorded_fingerprint
    from dagster_project.warehouse import writer_lock

    s = settings()
    key = pseudonym_key()
    if not s.landing_dir.is_dir():
        raise ConfigError(f"the landing folder {s.landing_dir} does not exist; create it or set HRKPI_LANDING_DIR")
    if not s.build_db.exists():
        return
    # Under the writer lock: a refresh running now finishes first (and its connection is closed).
    with writer_lock(s.build_db):
        try:
            recorded = recorded_fingerprint(s.build_db)
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ConfigError(
                f"the build database {s.build_db} cannot be opened ({first}); it is corrupt or truncated. Restore "
                "it from a backup, or move it away and run the refresh again for a full reload from the landing "
                "folder; the published file is untouched") from None
    if recorded is not None and recorded != key_fingerprint(key):
        raise ConfigError(f"HRKPI_PSEUDONYM_KEY is not the key the build database {s.build_db} was built with; a "
                          f"different key would split every person in two. Set the original key. {REKEY_HOW}")


def failure_line(step_key: str, error) -> tuple[str, bool]:
    """(the line for a failed step, whether it is a configuration/environment error)."""
    # Dagster wraps an exception raised in a step in its own error: the step's is the cause.
    while error is not None and error.cause is not None and (error.cls_name or "").startswith("Dagster"):
        error = error.cause
    message = error.message.strip() if error else ""
    cls = error.cls_name if error else ""
    # A program error's message starts with the exception's module path: the last line of
    # it is the exception's own text.
    first = message.splitlines()[0] if message else "failed"
    if any(d in message for d in DISK_FULL):
        return (f"  step {step_key}: the disk is full ({one_line(first)}); free space beside the build database "
                "and the published file and run the refresh again", True)
    return f"  step {step_key}: {one_line(first)}", cls in CONFIG_ERRORS


def published_summary(published_db, run_id: str) -> list[str]:
    """What the run changed, as its publish recorded it in the published file."""
    import json

    import duckdb

    from dagster_project.change_summary import summary_lines

    conn = duckdb.connect(str(published_db), read_only=True)
    try:
        row = conn.execute("select summary from audit.publish_log where run_id = ? order by publish_id desc limit 1",
                           [run_id]).fetchone()
    finally:
        conn.close()
    if not row or not row[0]:
        return []
    return ["What changed:", *(f"  {line}" for line in summary_lines(json.loads(row[0])))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--periods", nargs="*", default=None,
                        help="YYYYMM months to re-load even if their files were loaded before")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")

    dagster_home()
    preflight()
    import dagster as dg

    from dagster_project.definitions import defs
    from dagster_project.run_tags import TRIGGER_TAG

    s = settings()
    # Step starts, materializations and failures; not Dagster's debug chatter.
    run_config: dict = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    if args.periods:
        from dagster_project.raw_assets import RAW_ASSETS

        ops = {}
        for asset in RAW_ASSETS:
            ops[asset.op.name] = {"config": {"periods": args.periods}}
        run_config["ops"] = ops
    print(f"Refreshing from {one_line(s.landing_dir)} into {one_line(s.build_db)}")
    # What started the run, in the runs list (the raw steps add what it loaded).
    trigger = "make refresh" + (f" --periods {' '.join(args.periods)}" if args.periods else "")
    with dg.DagsterInstance.get() as instance:
        result = defs().resolve_job_def("refresh").execute_in_process(
            instance=instance, run_config=run_config, raise_on_error=False, tags={TRIGGER_TAG: trigger}
        )
    if result.success:
        print(f"Refresh succeeded: published {one_line(s.published_db)} (run {result.run_id})")
        for line in published_summary(s.published_db, result.run_id):
            print(one_line(line))
        return 0
    print(f"Refresh FAILED (run {result.run_id}); the published file was left unchanged.", file=sys.stderr)
    config_error = False
    for event in result.all_events:
        if event.is_step_failure:
            line, is_config = failure_line(event.step_key, event.step_failure_data.error)
            config_error = config_error or is_config
            print(line, file=sys.stderr)
    return EXIT_CONFIG if config_error else EXIT_DATA


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ConfigError as exc:
        print(f"Configuration error: {one_line(exc)}", file=sys.stderr)
        sys.exit(EXIT_CONFIG)
    except KeyboardInterrupt:
        print("Refresh interrupted; the published file was left unchanged.", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - a controller gets one line; HRKPI_DEBUG=1 shows the trace
        if os.environ.get("HRKPI_DEBUG") == "1":
            raise
        print(f"Refresh FAILED: {type(exc).__name__}: {one_line(exc)} "
              "(HRKPI_DEBUG=1 shows the stack trace); the published file was left unchanged.", file=sys.stderr)
        sys.exit(EXIT_DATA)
