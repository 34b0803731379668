"""`expect_one_of`: a scenario (or a divergence) whose trace is a nondeterministic choice. Strict per
run: a run must give one of the traces; one that gives none fails with a diff against each; a
malformed choice is refused naming its file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from harness.base.errors import SpecError
from harness.catalogue.spec import load_pattern
from harness.running.client import Response
from harness.running.verdict import Outcome, failure_report, judge

LANGUAGES = ["javascript", "python", "go", "rust", "java"]

SPEC = """\
id: demo
title: Demo
summary: A demo.
category: combinators
snippets:
  python: {file: demo.py}
  go: {file: demo.go}
scenarios:
  - name: ready_together
    input: {x: 1}
    expect_one_of:
      - - [1, result, {from: a}]
      - - [1, result, {from: b}]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "demo" / "pattern.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    for name in ("demo.py", "demo.go"):
        (path.parent / name).write_text("")
    return path


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(SpecError) as info:
        load_pattern(write(tmp_path, text), LANGUAGES)
    return str(info.value)


def run(tmp_path: Path, events: list[tuple[float, str, dict]], text: str = SPEC, label: str = "python"):
    pattern = load_pattern(write(tmp_path, text), LANGUAGES)
    snippet = next(s for s in pattern.snippets if s.label == label)
    return judge(snippet, pattern.scenarios[0], Response(events=events), 100.0, 2.0)


def test_a_choice_loads_every_trace_and_the_window_covers_the_latest(tmp_path):
    text = SPEC + "      - - [3, result, {from: c}]\n"
    (scenario,) = load_pattern(write(tmp_path, text), LANGUAGES).scenarios
    assert [[(e.tick, e.fields["from"]) for e in trace] for trace in scenario.traces] == [
        [(1, "a")],
        [(1, "b")],
        [(3, "c")],
    ]
    assert scenario.expect == scenario.traces[0] and scenario.window == 4


@pytest.mark.parametrize("source, index", [("a", 0), ("b", 1)])
def test_a_run_that_gives_any_one_of_the_traces_passes_and_says_which(tmp_path, source, index):
    result = run(tmp_path, [(101.0, "result", {"from": source})])
    assert result.outcome is Outcome.PASS and result.alternative == index


def test_a_run_that_gives_none_fails_with_a_diff_against_each(tmp_path):
    result = run(tmp_path, [(201.0, "result", {"from": "b"})])
    assert result.outcome is Outcome.FAIL
    assert result.message == "trace is none of the 2 traces of its expect_one_of"
    report = failure_report(result, 100.0)
    assert "against trace 1 of 2:" in report
    assert "against trace 2 of 2 (the closest):" in report  # the same event, a tick late
    assert "<- expected at tick 1: 1 tick late" in report
    assert report.count("✗") == 4  # each diff: the expected event missing, the observed one extra


def test_a_run_with_an_extra_event_matches_no_trace(tmp_path):
    result = run(tmp_path, [(101.0, "result", {"from": "a"}), (102.0, "result", {"from": "b"})])
    assert result.outcome is Outcome.FAIL and result.alternative == 0


def test_a_pinned_choice_is_strict_and_goes_stale_on_a_common_trace(tmp_path):
    text = SPEC + textwrap.indent(
        textwrap.dedent("""\
        divergences:
          go:
            reason: both fail in one tick, either is reported
            expect_one_of:
              - - [2, error, {error: x}]
              - - [2, error, {error: y}]
        """),
        "    ",
    )
    assert run(tmp_path, [(201.0, "error", {"error": "y"})], text, "go").alternative == 1
    wrong = run(tmp_path, [(201.0, "error", {"error": "z"})], text, "go")
    assert wrong.outcome is Outcome.FAIL and wrong.message.startswith("trace is none of the 2 traces")
    stale = run(tmp_path, [(101.0, "result", {"from": "b"})], text, "go")
    assert stale.outcome is Outcome.FAIL and stale.stale and "stale divergence" in stale.message


def test_expect_and_expect_one_of_together_are_refused_with_the_line(tmp_path):
    message = problems(tmp_path, SPEC.replace("    expect_one_of:", "    expect: [[1, result]]\n    expect_one_of:"))
    assert "pattern.yaml:9: scenarios[0]: a scenario gives its trace as `expect` (one trace) or as" in message


def test_a_choice_of_one_trace_is_refused(tmp_path):
    message = problems(tmp_path, SPEC.replace("      - - [1, result, {from: b}]\n", ""))
    assert "pattern.yaml:12: scenarios[0].expect_one_of: expect_one_of lists 2 to 8 traces" in message
    assert "a single trace is `expect`" in message


def test_a_trace_that_is_not_a_list_of_events_is_refused(tmp_path):
    message = problems(tmp_path, SPEC.replace("      - - [1, result, {from: b}]", "      - [1, result, {from: b}]"))
    assert "pattern.yaml:13: scenarios[0].expect_one_of[1][0]: expected array, got int 1" in message


def test_the_same_trace_twice_is_refused(tmp_path):
    text = SPEC + "      - - [1, result, {from: a}]\n"
    message = problems(tmp_path, text)
    assert "pattern.yaml:14: scenarios[0].expect_one_of[2]: trace 3 is the same as trace 1" in message


def test_a_divergence_with_both_forms_is_refused(tmp_path):
    text = SPEC + (
        "    divergences:\n      go:\n        reason: r\n        expect: [[1, x]]\n"
        "        expect_one_of: [[[1, x]], [[1, y]]]\n"
    )
    message = problems(tmp_path, text)
    assert "pattern.yaml:16: scenarios[0].divergences.go: a divergence pins its trace as `expect`" in message


def test_shapes_can_be_a_choice_too(tmp_path):
    from harness.running.shapes import shape_problem

    text = SPEC + (
        '    shapes:\n      python: {one_of: ["ExceptionGroup[OpError, OpError]", "ExceptionGroup[OpError]"]}\n'
    )
    pattern = load_pattern(write(tmp_path, text), LANGUAGES)
    snippet = next(s for s in pattern.snippets if s.label == "python")
    pin = pattern.scenarios[0].shape_for(snippet)
    assert shape_problem(snippet, "ready_together", pin, ("ExceptionGroup[OpError]",)) == ""
    assert shape_problem(snippet, "ready_together", pin, ("ExceptionGroup[OpError, OpError]",)) == ""
    problem = shape_problem(snippet, "ready_together", pin, ("OpError",))
    assert problem.startswith("error shape is none of those pinned for python:")
    assert '  observed: "OpError"' in problem


def test_a_choice_of_shapes_needs_two(tmp_path):
    text = SPEC + '    shapes:\n      python: {one_of: ["OpError"]}\n'
    message = problems(tmp_path, text)
    assert "pattern.yaml:15: scenarios[0].shapes.python:" in message


def test_the_report_draws_a_lane_for_each_trace_of_a_choice():
    from harness.outputs.report.view import scenarios

    scenario = {
        "name": "ready_together",
        "window": 2,
        "expect": [[1, "result", {"from": "a"}]],
        "expect_one_of": [[[1, "result", {"from": "a"}]], [[1, "result", {"from": "b"}]]],
    }
    pattern = {"id": "demo", "snippets": [], "scenarios": [scenario]}
    doc = {"run": {"tick_ms": 100.0, "languages": []}, "patterns": [pattern], "results": []}
    (view,) = scenarios(doc, pattern)
    assert "expected (1 of 2)" in view["svg"] and "expected (2 of 2)" in view["svg"]
