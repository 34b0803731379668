"""`make report` (python -m harness.tools.report [--results FILE] [--out DIR]): prints the report's index.html last."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from harness.base.errors import SuiteError
from harness.outputs.report import make_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make report", description="Render the HTML report of a run.")
    parser.add_argument(
        "--results", type=Path, default=Path(".cache/results/results.json"), help="the run's results file"
    )
    parser.add_argument("--out", type=Path, default=Path(".cache/report"), help="the folder to write")
    parser.add_argument("--root", type=Path, default=Path("."), help="the suite checkout, for primitives coverage")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        index = make_report(args.results, args.out, args.root)
    except SuiteError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"report: cannot write {args.out}: {exc}", file=sys.stderr)
        return 1
    files = [p for p in args.out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {size / 1024:.0f} KiB, in {time.perf_counter() - started:.2f} s from {args.results}")
    print(index.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
