"""`python -m dagster_project.refresh`: the whole refresh from the command line.

Runs the same Dagster job as the UI, schedule and sensor (raw loads -> dbt build ->
publish) against the persistent Dagster instance, so the run appears in `make dev`.
"""

from __future__ import annotations

import argparse
import logging
import sys

from dagster_project.config import ConfigError, dagster_home, settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--periods", nargs="*", default=None,
                        help="YYYYMM months to re-load even if their files were loaded before")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")

    dagster_home()
    import dagster as dg

    from dagster_project.definitions import defs

    s = settings()
    # Step starts, materializations and failures; not Dagster's debug chatter.
    run_config: dict = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    if args.periods:
        from dagster_project.raw_assets import RAW_ASSETS

        ops = {}
        for asset in RAW_ASSETS:
            ops[asset.op.name] = {"config": {"periods": args.periods}}
        run_config["ops"] = ops
    print(f"Refreshing from {s.landing_dir} into {s.build_db}")
    with dg.DagsterInstance.get() as instance:
        result = defs().resolve_job_def("refresh").execute_in_process(
            instance=instance, run_config=run_config, raise_on_error=False
        )
    if result.success:
        print(f"Refresh succeeded: published {s.published_db} (run {result.run_id})")
        return 0
    print(f"Refresh FAILED (run {result.run_id}); the published file was left unchanged.", file=sys.stderr)
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            message = error.message.strip() if error else ""
            print(f"  step {event.step_key}: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        sys.exit(2)
