"""`make merge RESULTS='slices/*/results.json' [OUT=merged.json] [LANG=.. VERSIONS=all PATTERN=..]`
(python -m harness.tools.merge): several runs' results files, one results file.

The runs are slices of one run made apart: SHARD=i/N slices, one CI job per target, machines of
their own. Each file's contribution is said, one line each; what should be there and is not (a
slice of a split, a target of the selection LANG/VERSIONS/PATTERN name) is said and stays `not run`
in the merged file. The exit status is 0 only when every file's run passed and nothing is missing:
the merged file is written either way, so its report shows what failed or is missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from harness.base.errors import SuiteError
from harness.base.paths import path_list
from harness.catalogue import Catalogue
from harness.outputs.merge import merge_results
from harness.outputs.results import load_results, write_document

DEFAULT_OUT = Path(".cache/results/merged.json")


def expected_targets(catalogue: Catalogue, langs: list[str], patterns: list[str], versions: str) -> dict[str, Any]:
    """target -> the `run.languages` entry it gets when no file ran it."""
    selection = catalogue.select(langs, patterns, versions)
    expected = {}
    for (name, version), target in zip(selection.targets, selection.target_names()):
        language = catalogue.target(name, version)
        expected[target] = {
            "title": language.title,
            "version": None,
            "image": None,
            "describe": f"not run: no results file holds it (its image: {language.image})",
        }
    return expected


def contribution(source: dict[str, Any]) -> str:
    what = ", ".join(source["targets"]) or "no language"
    shard = f" slice {source['shard']}" if "shard" in source else ""
    status = "passed" if source["exit_status"] == 0 else f"FAILED (exit status {source['exit_status']})"
    return f"  {source['file']}: {what}{shard}: {source['scenarios']} scenarios, {status}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make merge", description="Merge several runs' results files into one.")
    parser.add_argument("--results", action="append", default=[], help="the files (a.json:b.json, globs)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"the merged file (default {DEFAULT_OUT})")
    parser.add_argument("--lang", action="append", default=[], help="targets that must have run (as make test)")
    parser.add_argument("--pattern", action="append", default=[], help="patterns of the expected selection")
    parser.add_argument("--versions", default="", help="all: every supported version of the languages expected")
    parser.add_argument("--allow-mixed", action="store_true", help="merge files of different commits or specs")
    args = parser.parse_args(argv)
    try:
        paths = path_list(args.results)
        if not paths:
            raise SuiteError("name the results files: make merge RESULTS='slices/*/results.json'")
        expected = None
        if args.lang or args.versions or args.pattern:
            expected = expected_targets(Catalogue(Path(".")), args.lang, args.pattern, args.versions)
        merged = merge_results([(path, load_results(path)) for path in paths], args.allow_mixed, expected)
        write_document(merged, args.out)
    except SuiteError as exc:
        print(f"merge: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"merge: cannot write {args.out}: {exc}", file=sys.stderr)
        return 2
    run = merged["run"]
    print(f"merged {len(paths)} results files into {args.out}:")
    for source in run["merged"]:
        print(contribution(source))
    for what in run["missing"]:
        print(f"  MISSING {what}: its cells are `not run`")
    counts: dict[str, int] = {}
    for entry in merged["results"]:
        counts[entry["outcome"]] = counts.get(entry["outcome"], 0) + 1
    print("  " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())))
    failed = [s["file"] for s in run["merged"] if s["exit_status"] != 0]
    if failed or run["missing"]:
        print(f"merge: {len(failed)} run(s) failed, {len(run['missing'])} missing", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
