"""The harness catches deliberately wrong snippets, run by the real language runners.

tests/wrong_snippets/patterns/ is a miniature suite: each pattern.yaml is a correct spec, and each
snippet is wrong in the one way the comment on its first line says. The `<lang>/correct` variants
are the controls: the repository's own reference snippets of those patterns, copied in beside the
wrong ones (REFERENCES), so the control is the code users read. Every test copies it into a fresh
suite root next to a symlink to
the repository's languages/, runs an inner pytest session over it with the repository's build cache,
and checks which scenarios fail, with which outcome, and what the report says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.runners  # real runners of every language: make check-runners

FIXTURES = Path(__file__).with_name("wrong_snippets")
REFERENCES = ("all_fail_fast/all_fail_fast.py", "retry_backoff/retry_backoff.py", "timeout/timeout.js")
TICK_MS = 50.0
EARLY_MS = 2.0  # the plugin's default --early-ms


@pytest.fixture
def inner(inner_suite):
    """Run the harness over a copy of the wrong-snippets suite; returns run(*pytest_args)."""
    return inner_suite(FIXTURES / "patterns", "--runtime=local", runtime="local", references=REFERENCES)


# -- the diff the harness renders (harness/trace.py render_diff) -----------------------------------


@dataclass(frozen=True)
class Row:
    tick: int
    ok: bool
    expected: str  # "" when the event was not expected
    actual: str  # "(missing)" when it was not seen
    note: str
    ms: float | None


def diff_rows(report: str) -> list[Row]:
    """Parse the side-by-side diff of a failure report into rows."""
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  tick  expected"))
    header = lines[start]
    assert header.endswith(f"actual (ms since start; tick = {TICK_MS:g} ms)"), header
    width = header.index("actual") - len("  tick  ") - 4
    rows: list[Row] = []
    tick = None
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        assert line[0] in " ✗" and line[1] == " " and line[6:8] == "  ", f"not a diff row: {line!r}"
        if line[2:6].strip():
            tick = int(line[2:6])
        expected, rest = line[8 : 8 + width].strip(), line[8 + width + 4 :]
        actual, _, note = rest.partition("   <- ")
        event, _, ms = actual.partition("  @")
        rows.append(Row(tick, line[0] == " ", expected, event, note, float(ms) if ms else None))
    assert rows, report
    for row in rows:  # the raw milliseconds shown are those that put the event in its tick
        if row.ms is not None:
            assert row.tick * TICK_MS - EARLY_MS <= row.ms < (row.tick + 1) * TICK_MS - EARLY_MS, row
    return rows


def mismatches(report: str) -> list[tuple[int, str, str, str]]:
    """The ✗ rows of the diff as (tick, expected, actual, note), in the order shown."""
    return [(r.tick, r.expected, r.actual, r.note) for r in diff_rows(report) if not r.ok]


def matched(report: str) -> list[tuple[int, str]]:
    return sorted((r.tick, r.expected) for r in diff_rows(report) if r.ok)


def head(report: str) -> list[str]:
    """The first two lines: `OUTCOME: pattern [label] scenario 'name' (file)` and the message."""
    return report.splitlines()[:2]


def events_received(report: str) -> list[str]:
    """The events a report lists under `events received:`, without their milliseconds."""
    block = report.split("\nevents received:\n", 1)[1].split("\n\n", 1)[0]
    events = [re.fullmatch(r"  @\d+\.\d  (.+)", line) for line in block.splitlines()]
    assert all(events), block
    return [m.group(1) for m in events]


# -- wrong traces: each fails with a readable diff -------------------------------------------------


def test_waiting_for_all_instead_of_failing_fast_is_caught_in_python_and_go(inner):
    run = inner("--pattern=all_fail_fast", "-k", "not /correct")  # the control test runs those
    run.result.assert_outcomes(passed=2, failed=2, deselected=2)
    assert run.outcomes() == {
        "patterns/all_fail_fast[go:second_fails]": "failed",
        "patterns/all_fail_fast[go:all_succeed]": "passed",  # nothing fails: waiting for all is right
        "patterns/all_fail_fast[python:second_fails]": "failed",
        "patterns/all_fail_fast[python:all_succeed]": "passed",
    }
    for label, file in [("python", "all_fail_fast_settled.py"), ("go", "all_fail_fast.go")]:
        report = run.report(f"all_fail_fast[{label}:second_fails]")
        first, message = head(report)
        assert first.startswith(f"FAIL: all_fail_fast [{label}] scenario 'second_fails' (")
        assert first.endswith(f"patterns/all_fail_fast/{file})")
        assert message == "trace differs from the expected one"
        assert matched(report) == [
            (0, "start {op: a}"),
            (0, "start {op: b}"),
            (0, "start {op: c}"),
            (1, "fail {op: b, error: boom}"),
        ]
        # No sibling is cancelled, the others run to their end, and the error waits for the slowest.
        assert sorted(mismatches(report)) == [
            (1, "cancelled {op: a}", "(missing)", ""),
            (1, "cancelled {op: c}", "(missing)", ""),
            (1, "error {error: boom}", "(missing)", "seen at tick 3"),
            (2, "", "succeed {op: c, value: 3}", ""),
            (3, "", "error {error: boom}", "expected at tick 1: 2 ticks late"),
            (3, "", "succeed {op: a, value: 1}", ""),
        ]


def test_a_missing_timeout_is_caught(inner):
    run = inner("--pattern=timeout", "-k", "not /correct")
    run.result.assert_outcomes(passed=1, failed=1, deselected=2)
    assert run.outcomes() == {
        "patterns/timeout[javascript:within_deadline]": "passed",  # inside the deadline nothing shows
        "patterns/timeout[javascript:exceeds_deadline]": "failed",
    }
    report = run.report("timeout[javascript:exceeds_deadline]")
    assert head(report)[0].startswith("FAIL: timeout [javascript] scenario 'exceeds_deadline' (")
    assert matched(report) == [(0, "start {op: a}")]
    assert sorted(mismatches(report)) == [
        (2, "cancelled {op: a}", "(missing)", ""),
        (2, "error {error: timeout}", "(missing)", ""),
        (4, "", "result {value: 7}", ""),
        (4, "", "succeed {op: a, value: 7}", ""),
    ]


def test_linear_instead_of_exponential_backoff_is_caught(inner):
    run = inner("--pattern=retry_backoff", "-k", "not /correct")
    run.result.assert_outcomes(passed=1, failed=1, deselected=2)
    # Delays of 1, 2, then 3 ticks instead of 1, 2, 4: the first three attempts are on time.
    assert run.outcomes() == {
        "patterns/retry_backoff[python:succeeds_on_third]": "passed",
        "patterns/retry_backoff[python:gives_up]": "failed",
    }
    report = run.report("retry_backoff[python:gives_up]")
    assert head(report)[0].startswith("FAIL: retry_backoff [python] scenario 'gives_up' (")
    assert head(report)[0].endswith("retry_backoff_linear.py)")
    assert matched(report) == [(0, "attempt {n: 1}"), (1, "attempt {n: 2}"), (3, "attempt {n: 3}")]
    assert sorted(mismatches(report)) == [
        (6, "", "attempt {n: 4}", "expected at tick 7: 1 tick early"),
        (6, "", "error {error: e4, attempts: 4}", "expected at tick 7: 1 tick early"),
        (7, "attempt {n: 4}", "(missing)", "seen at tick 6"),
        (7, "error {error: e4, attempts: 4}", "(missing)", "seen at tick 6"),
    ]


def test_a_breaker_that_never_half_opens_is_caught(inner):
    run = inner("--pattern=circuit_breaker")
    run.result.assert_outcomes(passed=1, failed=1)
    assert run.outcomes() == {
        "patterns/circuit_breaker[javascript:trips]": "passed",  # it does open
        "patterns/circuit_breaker[javascript:trips_and_recovers]": "failed",
    }
    report = run.report("circuit_breaker[javascript:trips_and_recovers]")
    assert head(report)[0].startswith("FAIL: circuit_breaker [javascript] scenario 'trips_and_recovers' (")
    assert matched(report) == [
        (0, "fail {call: 1, error: boom}"),
        (1, "fail {call: 2, error: boom}"),
        (1, "state {from: CLOSED, to: OPEN}"),
        (2, "rejected {call: 3}"),
        (3, "rejected {call: 4}"),
    ]
    # An ordered scenario: the rows keep the order of the trace.
    assert mismatches(report) == [
        (5, "state {from: OPEN, to: HALF_OPEN}", "(missing)", ""),
        (5, "ok {call: 5, value: 3}", "(missing)", ""),
        (5, "state {from: HALF_OPEN, to: CLOSED}", "(missing)", ""),
        (5, "", "rejected {call: 5}", ""),
        (6, "fail {call: 6, error: boom}", "(missing)", ""),
        (6, "", "rejected {call: 6}", ""),
    ]


def test_an_event_one_tick_late_is_named_as_such(inner):
    run = inner("--pattern=sequential")
    run.result.assert_outcomes(failed=1)
    report = run.report("sequential[python:one_after_another]")
    first, message = head(report)
    assert first.startswith("FAIL: sequential [python] scenario 'one_after_another' (")
    assert first.endswith("patterns/sequential/sequential.py)")
    assert message == "trace differs from the expected one"
    assert matched(report) == [
        (0, "start {op: a}"),
        (1, "start {op: b}"),
        (1, "succeed {op: a, value: 1}"),
        (3, "succeed {op: b, value: 2}"),
    ]
    assert mismatches(report) == [
        (3, "result {values: [1, 2]}", "(missing)", "seen at tick 4"),
        (4, "", "result {values: [1, 2]}", "expected at tick 3: 1 tick late"),
    ]
    (late,) = [row for row in diff_rows(report) if row.note.endswith("1 tick late")]
    assert 4 * TICK_MS - EARLY_MS <= late.ms < 5 * TICK_MS - EARLY_MS  # raw ms: in tick 4, not 3
    # ... and the line as the reader sees it
    late_row = r"^✗    4 +result \{values: \[1, 2\]\}  @\d+\.\d   <- expected at tick 3: 1 tick late$"
    assert re.search(late_row, report, re.M)


# -- runner outcomes other than a differing trace ------------------------------------------------


def test_a_hanging_snippet_is_killed_at_its_deadline_and_the_next_scenario_still_runs(inner):
    run = inner("--pattern=hang", "--grace-s=0.5")
    run.result.assert_outcomes(passed=1, failed=1)
    report = run.report("hang[python:op_fails]")
    first, message = head(report)
    assert first.startswith("TIMEOUT: hang [python] scenario 'op_fails' (")
    # the deadline is the window, 2 ticks (0.1 s), plus 0.5 s of grace
    assert message == "no answer within 0.6 s (window plus grace); the python runner was killed and will be restarted"
    assert events_received(report) == ["start {op: a}", "fail {op: a, error: boom}"]
    assert 0.6 <= run.calls["patterns/hang[python:op_fails]"].duration < 3
    # The same inner session goes on with a new runner, which answers the next scenario.
    assert run.outcomes()["patterns/hang[python:op_succeeds]"] == "passed"
    assert list(run.outcomes()) == ["patterns/hang[python:op_fails]", "patterns/hang[python:op_succeeds]"]


def test_a_crashing_snippet_shows_its_stack(inner):
    run = inner("--pattern=crash")
    run.result.assert_outcomes(failed=1)
    report = run.report("crash[python:raises]")
    assert head(report)[0].startswith("CRASH: crash [python] scenario 'raises' (")
    assert head(report)[1] == "KeyError: 'scale'"
    assert events_received(report) == ["start {op: a}", "succeed {op: a, value: 7}"]
    stack = report.split("\n\nstack:\n", 1)[1]
    # The stack (not just the header line, which names the file too) leads into the snippet.
    assert stack.startswith("Traceback (most recent call last):")
    assert re.search(r'patterns/crash/crash\.py", line \d+, in run\n', stack)
    assert re.search(r'patterns/crash/crash\.py", line \d+, in scaled\n +return value \* data\["scale"\]', stack)
    assert stack.rstrip().endswith("KeyError: 'scale'")
    # ... named by its place in the suite, not by its copy in the build tree.
    assert not re.search(r"\.cache/build/\S*/crash\.py", stack)


def test_non_json_output_is_a_protocol_error_naming_the_line(inner):
    run = inner("--pattern=stray_output")
    run.result.assert_outcomes(failed=1)
    report = run.report("stray_output[javascript:prints]")
    assert head(report)[0].startswith("PROTOCOL ERROR: stray_output [javascript] scenario 'prints' (")
    assert head(report)[1] == "non-JSON line on stdout: 'got 7'"
    # The trace itself was right: the line on stdout is the only problem reported.
    assert "trace differs" not in report and "tick  expected" not in report


def test_a_stale_divergence_says_to_remove_it(inner):
    run = inner("--pattern=stale_divergence")
    run.result.assert_outcomes(failed=1)
    report = run.report("stale_divergence[javascript:exceeds_deadline]")
    first, message = head(report)
    assert first.startswith("FAIL: stale_divergence [javascript] scenario 'exceeds_deadline' (")
    assert message.startswith(
        "stale divergence: javascript now produces the common trace of scenario 'exceeds_deadline'. "
        "Remove its entry under `divergences:` in "
    )
    assert message.endswith("patterns/stale_divergence/pattern.yaml.")
    # The diff is against the pinned divergence: the operation is cancelled at the deadline after all.
    assert matched(report) == [(0, "start {op: a}"), (2, "error {error: timeout}")]
    assert sorted(mismatches(report)) == [
        (2, "", "cancelled {op: a}", ""),
        (4, "succeed {op: a, value: 7}", "(missing)", ""),
    ]


# -- the control ---------------------------------------------------------------------------------


def test_control_the_correct_snippets_of_the_same_specs_pass(inner):
    run = inner("-k", "/correct")
    run.result.assert_outcomes(passed=11)  # and every wrong snippet deselected
    assert not any("/correct" not in nodeid for nodeid in run.calls)
    assert run.result.ret == pytest.ExitCode.OK
    assert sorted(run.outcomes()) == [
        "patterns/all_fail_fast[python/correct:all_succeed]",
        "patterns/all_fail_fast[python/correct:second_fails]",
        "patterns/exits_while_loading[java/correct:one_op]",
        "patterns/exits_while_loading[javascript/correct:one_op]",
        "patterns/exits_while_loading[python/correct:one_op]",
        "patterns/retry_backoff[python/correct:gives_up]",
        "patterns/retry_backoff[python/correct:succeeds_on_third]",
        "patterns/starts_work_while_loading[javascript/correct:one_op]",
        "patterns/starts_work_while_loading[python/correct:one_op]",
        "patterns/timeout[javascript/correct:exceeds_deadline]",
        "patterns/timeout[javascript/correct:within_deadline]",
    ]
    assert set(run.outcomes().values()) == {"passed"}
    assert re.search(r"^python +6/6 ", run.text, re.M) and re.search(r"^javascript +4/4 ", run.text, re.M)
    assert re.search(r"^java +1/1 ", run.text, re.M)


def test_a_javascript_syntax_error_names_its_file_and_line(inner):
    run = inner("--pattern=syntax_error")
    run.result.assert_outcomes(failed=1)
    report = run.report("syntax_error[javascript:one_op]")
    assert head(report)[0].startswith("CRASH: syntax_error [javascript] scenario 'one_op' (")
    assert head(report)[1].startswith("cannot load patterns/syntax_error/syntax_error.js:3: SyntaxError: ")
    stack = report.split("\n\nstack:\n", 1)[1]
    assert "const factor = = 1;" in stack  # the line itself, with the caret under it


@pytest.mark.parametrize(
    "language, file",
    [
        ("python", "exits_while_loading.py"),
        ("javascript", "exits_while_loading.js"),
        ("java", "ExitsWhileLoading.java"),
    ],
)
def test_a_snippet_that_ends_its_runner_while_loading_is_named_and_its_neighbours_still_run(inner, language, file):
    # The wrong snippet and its control share one runner, which loads every snippet before its hello.
    run = inner("--pattern=exits_while_loading", f"--lang={language}")
    assert run.outcomes() == {
        f"patterns/exits_while_loading[{language}:one_op]": "failed",
        f"patterns/exits_while_loading[{language}/correct:one_op]": "passed",
    }
    assert run.report(f"exits_while_loading[{language}:one_op]").splitlines() == [
        f"CRASH: exits_while_loading [{language}] scenario 'one_op' (patterns/exits_while_loading/{file})",
        f"the {language} runner exited with code 3 before answering",
        f"when its runner started, the snippet broke it: {language} runner exited with code 3 before saying"
        " hello while loading the snippet 'exits_while_loading'",
    ]


def test_go_snippets_that_cannot_load_are_left_out_and_the_rest_of_go_runs(inner_suite):
    # One Go runner holds every Go snippet: one that does not compile, and one that ends the process
    # before main (where no runner can say which snippet it is loading), must not take it down.
    run = inner_suite(Path(__file__).with_name("unloadable_snippets") / "patterns", "--runtime=local", runtime="local")(
        "--lang=go"
    )
    assert run.outcomes() == {
        "patterns/unloadable[go:one_op]": "failed",
        "patterns/unloadable[go/unbuilt:one_op]": "failed",
        "patterns/unloadable[go/unloadable:one_op]": "failed",
        "patterns/unloadable[go/correct:one_op]": "passed",
    }
    exits = run.report("unloadable[go:one_op]")
    assert exits.startswith(
        "go: patterns/unloadable/exits_at_init.go is left out of the go runner: a go runner built with it alone ends "
        "before its hello too; as the whole runner did: go runner exited with code 3 before saying hello"
    ), exits
    unbuilt = run.report("unloadable[go/unbuilt:one_op]")
    assert unbuilt.startswith(
        "go/unbuilt: patterns/unloadable/does_not_build.go is left out of the go runner: it does not build: "
        "Go build failed: "
    ), unbuilt
    assert "patterns/unloadable/does_not_build.go:11:" in unbuilt  # the line, in the repository
    assert "left out of the build: patterns/unloadable/does_not_build.go" in run.text
    unloadable = run.report("unloadable[go/unloadable:one_op]")  # Go names its package, not a line
    assert unloadable.startswith(
        "go/unloadable: patterns/unloadable/imports_what_go_lacks.go is left out of the go runner: it does not build: "
    ), unloadable
    assert "imports asyncsuite/patterns/unloadable__unloadable\n\timports syscall/js: " in unloadable


@pytest.mark.parametrize(
    "language, file, says",
    [
        ("python", "thread_at_import.py", "left 1 thread(s) running when imported"),
        ("javascript", "timer_at_import.js", "left 1 resource(s) active when imported"),
    ],
)
def test_a_snippet_that_leaves_work_running_when_loaded_is_named_not_the_scenario_it_would_end(
    inner, language, file, says
):
    run = inner("--pattern=starts_work_while_loading", f"--lang={language}", "--jobs=1")
    assert run.outcomes() == {
        f"patterns/starts_work_while_loading[{language}:one_op]": "failed",
        f"patterns/starts_work_while_loading[{language}/correct:one_op]": "passed",
    }
    report = run.report(f"starts_work_while_loading[{language}:one_op]")
    assert (
        f"when its runner started, the snippet broke it: {language} runner exited with code 70 before saying hello "
        "while loading the snippet 'starts_work_while_loading'" in report
    ), report
    assert f"patterns/starts_work_while_loading/{file} {says}" in report
