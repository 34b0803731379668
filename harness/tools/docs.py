"""`make docs` and `make check-docs`: python -m harness.tools.docs render|check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.base.errors import SuiteError
from harness.base.paths import path_list, repo_relative
from harness.catalogue import Catalogue
from harness.outputs.docs.blocks import expand
from harness.outputs.docs.check import check_docs, describe
from harness.outputs.docs.reference import render_reference
from harness.outputs.results import load_results
from harness.running.session import DEFAULT_TICK_MS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.tools.docs", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."), help="the suite's root (default: .)")
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="render the reference from the verified snippets")
    render.add_argument("--out", type=Path, default=Path(".cache/docs"), help="output folder (default .cache/docs)")
    render.add_argument("--tick-ms", type=float, default=DEFAULT_TICK_MS, help="tick length the timelines name")
    render.add_argument(
        "--results",
        action="append",
        default=[],
        help="results files (a:b, like PATH) whose runs say which versions each snippet was verified on "
        "(default: .cache/results/results.json when there is one)",
    )
    check = commands.add_parser("check", help="compare docs' pattern blocks with the verified snippets")
    check.add_argument("docs", nargs="+", help="Markdown files, folders or globs (docs/**/*.md)")
    check.add_argument("--update", action="store_true", help="rewrite the blocks that differ from their snippet")
    args = parser.parse_args(argv)
    try:
        catalogue = Catalogue(args.root)
        if args.command == "render":
            paths = path_list(args.results) or [p for p in [args.root / ".cache/results/results.json"] if p.exists()]
            written = render_reference(catalogue, args.out, args.tick_ms, [load_results(p) for p in paths])
            print(f"wrote {len(written)} files for {len(catalogue.pattern_ids)} patterns to {repo_relative(args.out)}/")
            return 0
        result = check_docs(expand(args.docs), catalogue, update=args.update)
    except SuiteError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:  # an output folder or a doc that cannot be written
        print(f"{exc.filename}: cannot write: {exc.strerror}", file=sys.stderr)
        return 2
    print(describe(result))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
