"""`make report` (python -m harness.tools.report [--results FILE[:FILE...]] [--allow-mixed] [--out DIR]):
prints the report's index.html last."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from harness.base.errors import SuiteError
from harness.base.paths import path_list
from harness.outputs.report import make_report

DEFAULT_RESULTS = Path(".cache/results/results.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make report", description="Render the HTML report of a run.")
    parser.add_argument(
        "--results",
        action="append",
        default=[],
        help="the run's results file; several (a.json:b.json, like PATH, globs, or the option repeated) are "
        f"merged into one report (default: {DEFAULT_RESULTS})",
    )
    parser.add_argument(
        "--allow-mixed",
        action="store_true",
        help="merge results files of different commits, specs or ticks (the first file's specs win)",
    )
    parser.add_argument("--out", type=Path, default=Path(".cache/report"), help="the folder to write")
    parser.add_argument("--root", type=Path, default=Path("."), help="the suite checkout, for primitives coverage")
    args = parser.parse_args(argv)
    try:
        paths = path_list(args.results) if args.results else [DEFAULT_RESULTS]
    except SuiteError as exc:
        print(f"report: --results: {exc}", file=sys.stderr)
        return 2
    if not paths:
        print(f"report: --results {' '.join(args.results)!r} names no file", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        index = make_report(paths, args.out, args.root, allow_mixed=args.allow_mixed)
    except SuiteError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"report: cannot write {args.out}: {exc}", file=sys.stderr)
        return 1
    files = [p for p in args.out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    took = time.perf_counter() - started
    print(f"{len(files)} files, {size / 1024:.0f} KiB, in {took:.2f} s from {', '.join(map(str, paths))}")
    print(index.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
