"""`make coverage`: which snippets cover each entry of the project's lists, and what is uncovered
(harness.outputs.coverage). Exit status 1 while any entry is uncovered or covered only by failing
snippets, 2 when the checkout or the results file does not load."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.base.errors import SuiteError
from harness.catalogue import Catalogue
from harness.outputs.coverage import compute_coverage, describe


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make coverage", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="the suite's root (default: .)")
    parser.add_argument(
        "--results", type=Path, default=None, help="results file (default: .cache/results/results.json)"
    )
    args = parser.parse_args(argv)
    if args.results is not None and not args.results.is_file():
        # given by name, it must be there: without one every snippet would count as never run
        print(
            f"make coverage: no results file {args.results} (run make test RESULTS={args.results} first)",
            file=sys.stderr,
        )
        return 2
    try:
        coverage = compute_coverage(
            Catalogue(args.root), args.results or args.root / ".cache" / "results" / "results.json"
        )
    except SuiteError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(describe(coverage))
    return 0 if coverage.ok else 1


if __name__ == "__main__":
    sys.exit(main())
