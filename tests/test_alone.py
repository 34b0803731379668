"""Scenarios run alone (`alone: true`): a runner process of their own, whose ending (exit status,
the classes of what it printed on stderr) is held to the spec as strictly as the trace.

The runner is tests/scripted_runner.py, which in alone mode serves one request and then prints and
exits as the request's `ending` input says. Every wrong spec fails with a readable message, and
never with a traceback of the harness.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from harness.catalogue.spec import Ending, load_pattern
from harness.running.client import Response
from harness.running.ending import classify, ending_problem
from harness.running.scheduler import Turns
from harness.running.session import Settings
from harness.running.verdict import judge
from harness.tools.record import propose
from tests.test_robustness_session import LANGUAGE, Suite, text_of

pytest_plugins = ["pytester"]

PRINTED = """\
printed:
  panic:
    match: '^panic: '
    says: a panic nobody recovered
  note:
    match: '^note: '
    says: a note
"""
CLASSES = (("panic", "^panic: "), ("note", "^note: "))
TRACE = "expect: [[0, start, {op: a}], [1, result, {value: 1}]]"


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Suite:
    monkeypatch.setenv("SANDBOX", "off")
    suite = Suite(pytester)
    (suite.root / "languages" / "scripted" / "language.yaml").write_text(LANGUAGE + PRINTED)
    return suite


def alone(suite: Suite, ending: str, prints: list[str] = (), exit: int = 0, extra: str = "", linger: bool = False):
    """The `ok` behaviour alone, printing `prints` and exiting with `exit`; the spec says `ending`."""
    input = {"ending": {"prints": list(prints), "exit": exit, "linger": linger}}
    return suite.pattern(
        "ok", f"  - name: s1\n    alone: true\n    input: {input}\n    {TRACE}\n    ending: {ending}\n{extra}"
    )


def outcome(suite: Suite) -> str:
    result, _ = suite.run()
    text = text_of(result)
    assert "Traceback" not in text, text
    return text


# -- the ending, held to the spec -----------------------------------------------------------------


def test_the_ending_observed_passes(suite):
    alone(suite, "{exit: 2, printed: [panic, note]}", ["panic: boom", "goroutine 1", "", "note: more"], exit=2)
    assert "1 passed" in outcome(suite)


def test_a_wrong_exit_fails_saying_both(suite):
    alone(suite, "{exit: 2, printed: [panic]}", ["panic: boom"], exit=0)
    text = outcome(suite)
    assert "FAIL: ok [scripted] scenario 's1'" in text
    assert "ending differs: expected exit 2, printed [panic], observed exit 0, printed [panic]" in text


def test_a_wrong_trace_and_a_wrong_ending_are_both_said(suite):
    input = {"ending": {"prints": ["panic: boom"], "exit": 2, "linger": False}}
    wrong = "expect: [[0, start, {op: a}], [1, result, {value: 2}]]"
    suite.pattern(
        "ok", f"  - name: s1\n    alone: true\n    input: {input}\n    {wrong}\n    ending: {{exit: 0, printed: []}}\n"
    )
    text = outcome(suite)
    assert "trace differs from the expected one" in text
    assert "the ending, too: ending differs: expected exit 0, printed [], observed exit 2, printed [panic]" in text


def test_unclassified_output_fails_naming_the_text(suite):
    alone(suite, "{exit: 0, printed: []}", ["something else entirely"])
    text = outcome(suite)
    assert "unclassified output on stderr" in text and "'something else entirely'" in text
    assert "languages/scripted/language.yaml `printed:`" in text


def test_a_class_that_was_not_printed_fails(suite):
    alone(suite, "{exit: 0, printed: [panic, note]}", ["panic: boom"])
    text = outcome(suite)
    assert "expected exit 0, printed [panic, note], observed exit 0, printed [panic]" in text


def test_a_process_that_does_not_exit_is_killed_as_a_timeout(suite):
    alone(suite, "{exit: 0, printed: []}", linger=True)
    text = outcome(suite)
    assert "TIMEOUT" in text and "did not exit within" in text


def test_a_divergence_that_pins_only_an_ending_holds_and_goes_stale(suite):
    divergence = (
        "    divergences:\n      scripted:\n        reason: it panics\n        ending: {exit: 2, printed: [panic]}\n"
    )
    alone(suite, "{exit: 0, printed: []}", ["panic: boom"], exit=2, extra=divergence)
    assert "1 passed" in outcome(suite)
    (suite.root / "patterns" / "ok" / "pattern.yaml").unlink()
    (suite.root / "patterns" / "ok" / "snippet.txt").unlink()
    (suite.root / "patterns" / "ok").rmdir()
    alone(suite, "{exit: 0, printed: []}", [], exit=0, extra=divergence)
    text = outcome(suite)
    assert "stale divergence" in text and "its process ends as the scenario's does too" in text


# -- specs that cannot be run ----------------------------------------------------------------------


def test_an_unknown_class_is_a_spec_error(suite):
    alone(suite, "{exit: 0, printed: [segfault]}")
    text = outcome(suite)
    assert "'segfault' is no class of what scripted prints" in text and "has panic, note" in text


def test_an_ending_needs_a_scenario_run_alone(suite):
    suite.pattern("ok", f"  - name: s1\n    input: {{}}\n    {TRACE}\n    ending: {{exit: 0, printed: []}}\n")
    assert "'alone' is a dependency of 'ending'" in outcome(suite)


# -- classifying what was printed -------------------------------------------------------------------


def test_lines_after_a_class_are_its_block_and_blank_lines_before_any_are_ignored():
    printed = classify(["", "panic: x", "  at y", "note: z", "panic: again"], CLASSES)
    assert printed.classes == ("panic", "note", "panic") and printed.unclassified == ()
    assert classify(["oops", "panic: x"], CLASSES).unclassified == ("oops",)


def test_a_signal_is_said_as_such():
    problem = ending_problem("go", Ending(0, ()), -9, classify([], CLASSES), 0)
    assert "observed killed by signal 9" in problem


# -- make record: endings proposed in the spec's own form --------------------------------------------

COMMON = [(1, "start", {"op": "bg"}), (2, "start", {"op": "main"}), (101, "fail", {"op": "bg", "error": "boom"}),
          (201, "succeed", {"op": "main", "value": 7}), (202, "result", {"value": 7})]  # fmt: skip
PRINTED_BY = {
    "javascript": (("fatal_exception", r"^\S+:\d+$"),),
    "python": (("task_exception_never_retrieved", "^Task exception"), ("traceback", "^Traceback")),
    "go": (("panic", "^panic: "),),
}


def _record(tmp_path, runs: dict[str, tuple[list, int, list[str]]]):
    """propose() over unobserved_failure's spec, each snippet having traced, exited and printed as given."""
    folder = tmp_path / "patterns" / "unobserved_failure"
    shutil.copytree(Path(__file__).resolve().parents[1] / "patterns" / "unobserved_failure", folder)
    pattern = load_pattern(folder / "pattern.yaml", ["javascript", "python", "go", "rust", "java"])
    (scenario,) = pattern.scenarios
    snippets = {s.label: s for s in pattern.snippets}
    results = {
        label: judge(
            snippets[label],
            scenario,
            Response(events=events, stderr=stderr, exit=exit),
            100.0,
            2.0,
            printed=PRINTED_BY.get(label.partition("/")[0], ()),
        )
        for label, (events, exit, stderr) in runs.items()
    }
    return propose(scenario, results, Settings(tick_ms=100.0), complete=False)


def test_record_pins_an_ending_alone_where_only_the_ending_differs(tmp_path):
    update, unrecorded = _record(tmp_path, {"python": (COMMON, 1, ["Traceback (most recent call last):"])})
    assert unrecorded == []
    assert update.pin["python"][1] is None  # the common trace: no expect of its own
    assert update.pin_endings["python"] == Ending(1, ("traceback",))


def test_record_removes_a_pin_whose_snippet_now_ends_as_the_scenario_does(tmp_path):
    update, _ = _record(tmp_path, {"python": (COMMON, 0, [])})
    assert update.unpin == ["python"] and "python" not in update.pin


def test_record_writes_nothing_for_unclassified_output_and_says_where_to_add_a_class(tmp_path):
    update, unrecorded = _record(tmp_path, {"java": (COMMON, 0, ["a word nobody classed"])})
    assert "java" not in update.pin
    (note,) = unrecorded
    assert "'a word nobody classed'" in note and "`printed:` in languages/java/language.yaml" in note


# -- scheduling: a scenario run alone has the machine to itself -----------------------------------------


def test_an_exclusive_turn_waits_for_the_shared_ones_and_keeps_new_ones_waiting():
    turns, log, lock = Turns(), [], threading.Lock()

    def take(name: str, exclusive: bool, hold: float) -> threading.Thread:
        def run():
            with turns.turn(exclusive):
                with lock:
                    log.append(f"{name} in")
                time.sleep(hold)
                with lock:
                    log.append(f"{name} out")

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    first = take("shared 1", False, 0.2)
    time.sleep(0.05)
    alone = take("alone", True, 0.1)
    time.sleep(0.05)
    later = take("shared 2", False, 0.0)  # arrives while the exclusive turn waits: goes after it
    for thread in (first, alone, later):
        thread.join(5)
    assert log == ["shared 1 in", "shared 1 out", "alone in", "alone out", "shared 2 in", "shared 2 out"]
