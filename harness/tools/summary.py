"""python -m harness.tools.summary RESULTS [--title TEXT]: a run's results as short Markdown on
stdout, for a CI job's page (`>> "$GITHUB_STEP_SUMMARY"`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.base.errors import SuiteError
from harness.outputs.results import load_results
from harness.outputs.summary import summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="summary", description=__doc__)
    parser.add_argument("results", type=Path, help="a results file (results.json, or a merge's)")
    parser.add_argument("--title", default="async pattern suite", help="the summary's heading")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(summary(load_results(args.results), args.title))
    except SuiteError as exc:
        print(f"summary: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
