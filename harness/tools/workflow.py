"""`make workflow` (python -m harness.tools.workflow [--check]): writes .github/workflows/suite.yml
from the languages' versions; --check says whether the checked-in file is what it would write."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from harness.base.errors import SuiteError
from harness.catalogue import Catalogue
from harness.outputs.workflow import WORKFLOW, jobs, render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make workflow", description=__doc__)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when the file differs")
    parser.add_argument("--root", type=Path, default=Path("."), help="the suite checkout")
    args = parser.parse_args(argv)
    try:
        catalogue = Catalogue(args.root)
        text = render(catalogue)
    except SuiteError as exc:
        print(f"workflow: {exc}", file=sys.stderr)
        return 2
    path = args.root / WORKFLOW
    now = path.read_text(encoding="utf-8") if path.is_file() else ""
    if args.check:
        if now == text:
            print(f"{WORKFLOW}: up to date ({len(jobs(catalogue))} slice jobs)")
            return 0
        sys.stdout.writelines(difflib.unified_diff(now.splitlines(True), text.splitlines(True), str(path), "generated"))
        print(f"{WORKFLOW} is not what the languages' versions give: run `make workflow`", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"{WORKFLOW}: {len(jobs(catalogue))} slice jobs ({', '.join(job.target for job in jobs(catalogue))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
