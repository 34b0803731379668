"""`make mutate` over a one-pattern suite: a mutant counts as killed only by a trace difference.

The suite root is written here: a pattern whose Python snippet waits `ticks` ticks and reports
`done`, beside a symlink to the repository's languages/. Each test declares its own mutants.yaml
and runs the module `make mutate` runs, through the real Python runner.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

PATTERN = """\
id: countdown
title: Countdown
category: time and cancellation
summary: Waits the given number of ticks, then reports done.
snippets:
  python: {file: countdown.py, uses: [asyncio.sleep]}
scenarios:
  - name: two_ticks
    input: {ticks: 2}
    expect:
      - [2, done, {after: 2}]
  - name: no_wait
    input: {ticks: 0}
    expect:
      - [0, done, {after: 0}]
"""

SNIPPET = """\
from suite import sleep_until, trace


async def run(data):
    await sleep_until(data["ticks"])
    trace("done", after=data["ticks"])
"""

# Killed by a trace difference in both scenarios.
ONE_TICK_LATE = """\
          - id: one_tick_late
            snippet: python
            mistake: waits one tick too many
            find: await sleep_until(data["ticks"])
            replace: await sleep_until(data["ticks"] + 1)
            killed_by: two_ticks
"""


@pytest.fixture
def mutate(tmp_path: Path):
    """mutate(mutants_yaml, pattern_yaml=PATTERN) runs `make mutate` over the countdown suite;
    returns (exit code, output)."""
    (tmp_path / "languages").symlink_to(REPO / "languages", target_is_directory=True)
    folder = tmp_path / "patterns" / "countdown"
    folder.mkdir(parents=True)
    (folder / "countdown.py").write_text(SNIPPET)

    def run(mutants: str, pattern: str = PATTERN) -> tuple[int, str]:
        (folder / "pattern.yaml").write_text(pattern)
        (folder / "mutants.yaml").write_text(textwrap.dedent(mutants))
        argv = [sys.executable, "-m", "harness.tools.mutate", f"--root={tmp_path}", f"--cache-dir={REPO / '.cache'}"]
        proc = subprocess.run(
            [*argv, "--runtime=local"], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
        )
        assert SNIPPET == (folder / "countdown.py").read_text(), "a mutant was applied to the snippet itself"
        return proc.returncode, proc.stdout + proc.stderr

    return run


def table_row(output: str, mutant: str) -> list[str]:
    """The cells of a mutant's row in the final table (split on runs of two or more spaces)."""
    rows = [re.split(r"\s{2,}", line.strip()) for line in output.splitlines()]
    return next(cells for cells in rows if cells[:3] == ["countdown", "python", mutant])


def test_a_mutant_changing_the_trace_is_killed_and_the_run_passes(mutate):
    code, output = mutate(f"""\
        mutants:
{ONE_TICK_LATE}        """)
    assert code == 0, output
    assert output.rstrip().splitlines()[-1] == "killed 1/1 mutants"
    # Both scenarios see the late `done`: the table names every scenario that failed.
    assert table_row(output, "one_tick_late") == [
        "countdown",
        "python",
        "one_tick_late",
        "two_ticks",
        "killed",
        "two_ticks, no_wait",
        "waits one tick too many",
    ]


def test_a_surviving_mutant_fails_the_run(mutate):
    code, output = mutate(f"""\
        mutants:
{ONE_TICK_LATE}          - id: renamed_nothing
            snippet: python
            mistake: a change that changes nothing
            find: trace("done", after=data["ticks"])
            replace: trace("done", after=data["ticks"] + 0)
            killed_by: two_ticks
        """)
    assert code == 1, output
    assert output.rstrip().splitlines()[-1] == "killed 1/2 mutants"
    assert table_row(output, "renamed_nothing")[4:6] == ["SURVIVED", "-"]


def test_a_crash_is_not_a_kill(mutate):
    code, output = mutate("""\
        mutants:
          - id: raises
            snippet: python
            mistake: fails instead of waiting
            find: await sleep_until(data["ticks"])
            replace: raise RuntimeError("not a trace difference")
            killed_by: two_ticks
        """)
    assert code == 1, output
    assert output.rstrip().splitlines()[-1] == "killed 0/1 mutants"
    row = table_row(output, "raises")
    assert row[4] == "NOT KILLED (crash, not a trace difference)"
    assert row[5] == "two_ticks (crash), no_wait (crash)"
    assert "not a trace difference" in output.split("killed 0/1 mutants")[0].rsplit("raises: NOT KILLED", 1)[1]


def test_a_difference_counts_only_when_the_unchanged_snippet_passes_the_scenario(mutate):
    # The spec is wrong by one tick, and so is the mutant: both fail two_ticks.
    code, output = mutate(
        f"""\
        mutants:
{ONE_TICK_LATE}        """,
        pattern=PATTERN.replace("[2, done, {after: 2}]", "[3, done, {after: 2}]"),
    )
    assert code == 1, output
    assert output.rstrip().splitlines()[-1] == "killed 0/1 mutants"
    row = table_row(output, "one_tick_late")
    assert row[4] == "NOT KILLED (the unchanged snippet does not pass two_ticks either: run make test)"
    assert row[5] == "no_wait"  # the late mutant now passes two_ticks, and fails the other scenario


def test_a_find_text_that_is_not_in_the_snippet_exactly_once_is_named_with_its_line(mutate, tmp_path):
    code, output = mutate("""\
        mutants:
          - id: absent
            snippet: python
            mistake: edits a line the snippet does not have
            find: asyncio.sleep(
            replace: asyncio.sleep(1 +
            killed_by: two_ticks
          - id: twice
            snippet: python
            mistake: edits text the snippet has twice
            find: data["ticks"]
            replace: data["tick"]
            killed_by: nowhere
        """)
    assert code == 2, output
    spec = tmp_path / "patterns" / "countdown" / "mutants.yaml"
    assert f"{spec}:5: mutants[0].find: the find text occurs 0 times in " in output
    assert f"{spec}:13: mutants[1].killed_by: no scenario 'nowhere'; scenarios: two_ticks, no_wait" in output
    assert f"{spec}:11: mutants[1].find: the find text occurs 2 times in " in output
    assert "Traceback" not in output and "mutants, runtime" not in output  # nothing ran
