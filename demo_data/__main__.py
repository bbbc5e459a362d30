"""Command line: python -m demo_data --out DIR [--employees N] [--months N]
[--end YYYYMM] [--seed N] [--profile SE|FI] [--quiet]

The profile defaults to HRKPI_PROFILE (SE when unset), so `HRKPI_PROFILE=FI make demo`
generates a Finnish wellbeing services county."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from hrkpi_config import ENV_PROFILE, ConfigError, profile_code

from .generator import PROFILES, generate, last_full_month


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo_data",
                                     description="Write synthetic monthly HR extracts for a demo region "
                                                 "(SE) or wellbeing services county (FI).")
    parser.add_argument("--out", type=Path, required=True, help="landing folder to write into")
    parser.add_argument("--employees", type=int, default=8000, help="headcount at the start (default 8000)")
    parser.add_argument("--months", type=int, default=36, help="months of history (default 36)")
    parser.add_argument("--end", type=int, default=None,
                        help=f"last period YYYYMM (default: last full month, now {last_full_month(date.today())})")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--profile", type=str.upper, choices=PROFILES, default=None,
                        help=f"organisation profile (default: {ENV_PROFILE}, else SE)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.profile is None:
        try:
            args.profile = profile_code()
        except ConfigError as exc:
            parser.error(str(exc))
    started = time.perf_counter()
    try:
        summary = generate(args.out, employees=args.employees, months=args.months, end_period=args.end,
                           seed=args.seed, progress=not args.quiet, profile=args.profile)
    except ValueError as exc:
        parser.error(str(exc))
    if not args.quiet:
        print(f"Wrote {summary['files']} {args.profile} files for {summary['first_period']}-{summary['last_period']} "
              f"to {summary['out_dir']} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
