"""Every Go snippet's `[pattern]` region stands alone, as readers copy it: it names nothing from the
suite helper, and pasted after a `package` line into a file of its own it passes `go vet` (so it
compiles, imports what it uses and nothing more). One `go vet` checks every region: each is a
package of a scratch module that requires the same golang.org/x modules as the runner's go.mod.
Needs the Go toolchain (marker `runners`)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from harness.catalogue.languages import load_languages
from harness.catalogue.regions import Region, find_region
from harness.runtimes.build import substitute
from harness.runtimes.toolchain import find_toolchain

REPO = Path(__file__).resolve().parents[1]
GO = load_languages(REPO / "languages")["go"]
HELPER = re.compile(r'\bsuite\.|"asyncsuite/')  # the helper package: called, or imported
HEADER = "package region{n}\n\n"  # what a region is pasted after: its first line is line 3
VET_LINE = re.compile(r"region(\d+)/region\.go:(\d+)(?::\d+)?: (.*)", re.MULTILINE)

pytestmark = pytest.mark.runners


def go_regions(root: Path = REPO) -> list[tuple[Path, Region]]:
    """(snippet file, its region) for every go snippet (variants too) of every pattern."""
    found = []
    for spec in sorted((root / "patterns").glob("*/pattern.yaml")):
        snippets = yaml.safe_load(spec.read_text(encoding="utf-8")).get("snippets") or {}
        for label, snippet in snippets.items():
            if label.split("/")[0] == "go":
                path = spec.parent / snippet["file"]
                found.append((path, find_region(path.read_text(encoding="utf-8"), str(path))))
    return found


def region_problems(regions: list[tuple[Path, Region]], scratch: Path) -> list[str]:
    """What is wrong with the regions, each problem as `file:line: what`, at the snippet's line."""
    problems: list[tuple[Path, int, str]] = []
    for path, region in regions:
        for i, line in enumerate(region.text.splitlines()):
            if HELPER.search(line):
                problems.append((path, region.first_line + i, f"names the suite helper: {line.strip()}"))

    template = GO.template
    go_mod = (template / "go.mod").read_text(encoding="utf-8")
    (scratch / "go.mod").write_text(re.sub(r"(?m)^module .*$", "module regions", go_mod), encoding="utf-8")
    (scratch / "go.sum").write_bytes((template / "go.sum").read_bytes())
    for n, (_, region) in enumerate(regions):
        (scratch / f"region{n}").mkdir()
        (scratch / f"region{n}" / "region.go").write_text(HEADER.format(n=n) + region.text + "\n", encoding="utf-8")

    toolchain = find_toolchain(GO)
    env = toolchain.env(dict(os.environ))  # the suite's own module and build caches, as its builds use
    env.update({k: substitute((v,), toolchain.tools, REPO / ".cache")[0] for k, v in GO.env.items()})
    vet = subprocess.run(
        [toolchain.tools["go"], "vet", "./..."], cwd=scratch, env=env, capture_output=True, text=True, timeout=600
    )
    output = vet.stdout + vet.stderr
    for match in VET_LINE.finditer(output):
        path, region = regions[int(match[1])]
        problems.append((path, region.first_line + int(match[2]) - HEADER.count("\n") - 1, f"go vet: {match[3]}"))
    if vet.returncode != 0 and not problems:
        problems.append((scratch, 0, f"go vet failed (exit {vet.returncode}), on no region's line:\n{output}"))
    return [f"{shown(path)}:{line}: {what}" for path, line, what in sorted(problems)]


def shown(path: Path) -> Path:
    return path.relative_to(REPO) if path.is_relative_to(REPO) else path


def test_every_go_region_stands_alone(tmp_path):
    regions = go_regions()
    assert len(regions) > 30, "expected every pattern's go snippet"
    if problems := region_problems(regions, tmp_path):
        pytest.fail("regions that do not stand alone:\n" + "\n".join(problems), pytrace=False)


CALLS_THE_HELPER = """\
// Deliberately wrong: the region traces through the suite helper.
package wrong

import "asyncsuite/suite"

// [pattern]

import "time"

func Wait(d time.Duration) {
	time.Sleep(d)
	suite.Trace("waited", nil)
}

// [/pattern]
"""
MISSES_AN_IMPORT = """\
// Deliberately wrong: the region uses time, which only the adapter imports.
package wrong

import (
	"encoding/json"
	"time"
)

// [pattern]

import "context"

func Wait(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// [/pattern]

func Run(input json.RawMessage) error { return Wait(context.Background(), time.Second) }
"""


def test_the_check_catches_a_region_that_calls_the_helper_or_misses_an_import(tmp_path):
    regions = []
    for name, text in [("calls_the_helper.go", CALLS_THE_HELPER), ("misses_an_import.go", MISSES_AN_IMPORT)]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        regions.append((tmp_path / name, find_region(text, name)))
    (tmp_path / "scratch").mkdir()
    problems = region_problems(regions, tmp_path / "scratch")
    helper, missing = tmp_path / "calls_the_helper.go", tmp_path / "misses_an_import.go"
    trace = line_of(CALLS_THE_HELPER, "suite.Trace(")
    signature = line_of(MISSES_AN_IMPORT, "func Wait(")
    assert problems == [
        f"{helper}:{trace}: go vet: undefined: suite",
        f'{helper}:{trace}: names the suite helper: suite.Trace("waited", nil)',
        f"{missing}:{signature}: go vet: undefined: time",
    ], problems


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if line.strip().startswith(start))
