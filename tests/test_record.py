"""`make record`: observed traces proposed in the spec's own form, and written into pattern.yaml
keeping everything else of the file as it was."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.catalogue import Catalogue
from harness.catalogue.editing import ScenarioUpdate, apply
from harness.catalogue.spec import Expected, load_pattern
from harness.running.client import Fault, Response
from harness.running.session import Settings
from harness.running.verdict import judge
from harness.tools.record import propose, show

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = ["javascript", "python", "go", "rust", "java"]
SETTINGS = Settings(tick_ms=100.0)


def timeout_spec(tmp_path: Path) -> Path:
    folder = tmp_path / "patterns" / "timeout"
    shutil.copytree(REPO / "patterns" / "timeout", folder)
    return folder / "pattern.yaml"


def ran(events_ms: list[tuple[float, str, dict]], fault: Fault | None = None) -> Response:
    return Response(events=events_ms, fault=fault)


def results_for(pattern, scenario_name: str, traces: dict[str, Response]):
    scenario = next(s for s in pattern.scenarios if s.name == scenario_name)
    snippets = {s.label: s for s in pattern.snippets}
    return scenario, {label: judge(snippets[label], scenario, r, 100.0, 2.0) for label, r in traces.items()}


JAVA_OWN = [(1, "start", {"op": "a"}), (201, "error", {"error": "timeout"}), (401, "succeed", {"op": "a", "value": 7})]
COMMON = [(1, "start", {"op": "a"}), (201, "error", {"error": "timeout"}), (202, "cancelled", {"op": "a"})]


def shaped(events: list[tuple[float, str, dict]], shape: str) -> list[tuple[float, str, dict]]:
    """The trace with `shape` on its error events, as a snippet reporting its error's shape gives it."""
    return [(t, ev, {**fields, "shape": shape} if ev == "error" else fields) for t, ev, fields in events]


def as_pinned(pattern, label: str, events: list[tuple[float, str, dict]]) -> Response:
    """The trace with the error shape timeout's spec pins for `label` in exceeds_deadline."""
    (shape,) = next(s for s in pattern.scenarios if s.name == "exceeds_deadline").shapes[label].shapes
    return ran(shaped(events, shape))


def test_snippets_that_give_their_traces_change_nothing(tmp_path):
    pattern = load_pattern(timeout_spec(tmp_path), LANGUAGES)
    traces = {"go": as_pinned(pattern, "go", COMMON), "java": as_pinned(pattern, "java", JAVA_OWN)}
    scenario, results = results_for(pattern, "exceeds_deadline", traces)
    update, unrecorded = propose(scenario, results, SETTINGS, complete=False)
    assert not update.changes and unrecorded == []


def test_a_snippet_that_differs_gets_a_divergence_with_a_reason_to_fill_in(tmp_path):
    pattern = load_pattern(timeout_spec(tmp_path), LANGUAGES)
    traces = {"go": as_pinned(pattern, "go", JAVA_OWN), "python": as_pinned(pattern, "python", COMMON)}
    scenario, results = results_for(pattern, "exceeds_deadline", traces)
    update, _ = propose(scenario, results, SETTINGS, complete=False)
    assert update.expect is None
    reason, events = update.pin["go"]
    assert reason == "TODO: say why go differs"
    assert events == (Expected(0, "start", {"op": "a"}), Expected(2, "error", {"error": "timeout"}),
                      Expected(4, "succeed", {"op": "a", "value": 7}))  # fmt: skip
    assert show(update).splitlines() == [
        "  - name: exceeds_deadline",
        "    divergences:",
        "      go:",
        "        reason: 'TODO: say why go differs'",
        "        expect:",
        "          - [0, start, {op: a}]",
        "          - [2, error, {error: timeout}]",
        "          - [4, succeed, {op: a, value: 7}]",
    ]


def test_a_divergence_that_no_longer_happens_is_removed(tmp_path):
    pattern = load_pattern(timeout_spec(tmp_path), LANGUAGES)
    scenario, results = results_for(pattern, "exceeds_deadline", {"java": as_pinned(pattern, "java", COMMON)})
    update, _ = propose(scenario, results, SETTINGS, complete=False)
    assert update.unpin == ["java"] and not update.pin and update.expect is None and not update.shapes


def test_when_every_snippet_ran_and_none_gives_the_spec_s_trace_the_most_common_one_replaces_it(tmp_path):
    pattern = load_pattern(timeout_spec(tmp_path), LANGUAGES)
    labels = [s.label for s in pattern.snippets]
    traces = {label: ran(JAVA_OWN) for label in labels} | {"python": ran(COMMON[:1])}
    scenario, results = results_for(pattern, "exceeds_deadline", traces)
    update, _ = propose(scenario, results, SETTINGS, complete=True)
    assert [e.ev for e in update.expect] == ["start", "error", "succeed"]
    assert update.unpin == ["java"]  # its pinned trace is the common one now
    assert list(update.pin) == ["python"]
    # ... but never on the word of the snippets of one language alone
    update, _ = propose(scenario, {"go": results["go"]}, SETTINGS, complete=False)
    assert update.expect is None and list(update.pin) == ["go"]


def test_a_snippet_that_crashes_is_reported_and_nothing_is_recorded_for_it(tmp_path):
    pattern = load_pattern(timeout_spec(tmp_path), LANGUAGES)
    crash = Response(fault=Fault.RAISED, message="boom")
    scenario, results = results_for(pattern, "exceeds_deadline", {"go": crash})
    update, unrecorded = propose(scenario, results, SETTINGS, complete=False)
    assert not update.changes and unrecorded[0].startswith("go: crash, nothing recorded")


def test_writing_keeps_every_comment_and_the_layout_of_the_rest(tmp_path):
    spec = timeout_spec(tmp_path)
    spec.write_text(
        spec.read_text().replace("  - name: within_deadline", "  # the happy path\n  - name: within_deadline")
    )
    before = spec.read_text()
    pin = (Expected(0, "start", {"op": "a"}), Expected(2, "result", {"value": [1, "two", None]}))
    assert apply(spec, [ScenarioUpdate("within_deadline", pin=({"go": ("why: go", pin)}))])
    after = spec.read_text()
    added = "\n".join(
        [
            "    divergences:",
            "      go:",
            "        reason: 'why: go'",
            "        expect:",
            "          - [0, start, {op: a}]",
            "          - [2, result, {value: [1, two, null]}]",
        ]
    )
    assert after == before.replace(
        "      - [1, result, {value: 7}]\n", "      - [1, result, {value: 7}]\n" + added + "\n", 1
    )
    pattern = load_pattern(spec, LANGUAGES)  # and the spec loads, with the pin where it belongs
    assert pattern.scenarios[0].divergences["go"].expect == pin
    assert apply(spec, [ScenarioUpdate("within_deadline", unpin=["go"])])
    assert spec.read_text() == before
    assert not apply(spec, [ScenarioUpdate("within_deadline")])  # nothing to change: file untouched


def test_a_todo_left_by_record_fails_the_spec_until_it_is_filled_in(tmp_path):
    spec = timeout_spec(tmp_path)
    events = (Expected(0, "start", {"op": "a"}),)
    apply(spec, [ScenarioUpdate("within_deadline", pin={"go": ("TODO: say why go differs", events)})])
    with pytest.raises(Exception, match=r"pattern.yaml:\d+: .*say why: TODO: say why go differs"):
        load_pattern(spec, LANGUAGES)
    assert load_pattern(spec, LANGUAGES, drafts=True).scenarios[0].divergences["go"].reason.startswith("TODO")


def test_record_names_what_it_cannot_record_from(tmp_path):
    shutil.copytree(REPO / "languages", tmp_path / "languages")
    timeout_spec(tmp_path)
    argv = [sys.executable, "-m", "harness.tools.record", f"--root={tmp_path}"]
    run = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, timeout=60)
    assert run.returncode == 2 and "name the patterns to record: make record PATTERN=" in run.stderr
    run = subprocess.run([*argv, "--pattern=timeout", "--scenario=nope"], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 2 and "unknown scenario(s) nope; known: exceeds_deadline" in run.stderr
    assert Catalogue(tmp_path).pattern("timeout").id == "timeout"
