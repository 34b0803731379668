"""Error shapes: a snippet's `error` events may carry the shape of the error value (`shape`), which
is taken out of the trace before it is compared across languages and held, strictly, to the shape
its spec pins for that snippet (`shapes:`): unpinned, different and stale shapes all fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import jsonschema
import pytest

from harness.catalogue.editing import ScenarioUpdate, apply
from harness.catalogue.schemas import schema
from harness.catalogue.spec import load_pattern
from harness.running.client import Response
from harness.running.shapes import shapes_of, without_shapes
from harness.running.verdict import Outcome, failure_report, judge
from harness.tools.record import propose, show
from tests.test_record import LANGUAGES, SETTINGS
from tests.test_spec import GOOD, problems, write

REPO = Path(__file__).resolve().parents[1]

# A spec whose one scenario ends in an error; its python snippet is pinned to a shape.
SHAPED = GOOD.replace("      - [2, result]\n", "      - [2, error, {error: boom}]\n").replace(
    "  python: {file: demo.py}\n", "  python: {file: demo.py}\n  python/other: {file: demo.py}\n"
)


def spec(tmp_path: Path, shapes: str = '      python: "TimeoutError <- CancelledError"\n'):
    return load_pattern(write(tmp_path, SHAPED + ("    shapes:\n" + shapes if shapes else "")), LANGUAGES)


def trace(shape: str | None = None, error: str = "boom") -> Response:
    fields = {"error": error} | ({"shape": shape} if shape is not None else {})
    return Response(events=[(1.0, "start", {"op": "a"}), (201.0, "error", fields)])


def judged(pattern, response: Response, label: str = "python", version: str | None = None):
    snippet = next(s for s in pattern.snippets if s.label == label)
    return judge(snippet, pattern.scenarios[0], response, 100.0, 2.0, version)


# -- the spec -------------------------------------------------------------------------------------


def test_a_pin_is_one_shape_or_a_list_keyed_like_a_divergence(tmp_path):
    pattern = spec(tmp_path, '      python: "A <- B"\n      python/other: ["A", "B"]\n      python>=3.14: "C"\n')
    shapes = pattern.scenarios[0].shapes
    assert shapes["python"].shapes == ("A <- B",) and shapes["python/other"].shapes == ("A", "B")
    assert (shapes["python>=3.14"].label, shapes["python>=3.14"].op, shapes["python>=3.14"].key) == (
        "python",
        ">=",
        "python>=3.14",
    )


def test_a_pin_for_no_snippet_or_not_one_line_of_text_is_refused_with_its_line(tmp_path):
    message = problems(tmp_path, SHAPED + '    shapes:\n      go: "X"\n')
    assert "pattern.yaml:14: scenarios[0].shapes.go: error shape pinned for 'go', which has no snippet" in message
    assert "declared snippets: python, python/other" in message
    message = problems(tmp_path, SHAPED + '    shapes:\n      python: "A\\nB"\n')
    assert "pattern.yaml:14: scenarios[0].shapes.python: 'A\\nB' is not valid" in message
    message = problems(tmp_path, SHAPED + "    shapes:\n      python: []\n")
    assert "scenarios[0].shapes.python" in message  # one shape is written as text, several as a list


# -- the trace and the verdict --------------------------------------------------------------------


def test_the_shape_is_taken_out_of_the_error_event_and_nowhere_else():
    events = [(1.0, "fail", {"op": "a", "shape": "kept"}), (2.0, "error", {"error": "x", "shape": "S"})]
    assert shapes_of(events) == ("S",)
    assert without_shapes(events) == [(1.0, "fail", {"op": "a", "shape": "kept"}), (2.0, "error", {"error": "x"})]
    assert shapes_of([(2.0, "error", {"error": "x", "shape": ["not", "text"]})]) == ("[not, text]",)


def test_the_pinned_shape_passes_and_the_trace_compares_without_it(tmp_path):
    result = judged(spec(tmp_path), trace("TimeoutError <- CancelledError"))
    assert result.outcome is Outcome.PASS and result.shape_problem == "" and result.comparison.ok
    assert result.shapes == ("TimeoutError <- CancelledError",)
    assert result.events[-1] == (201.0, "error", {"error": "boom"})


def test_another_shape_fails_showing_both(tmp_path):
    result = judged(spec(tmp_path), trace("TimeoutError"))
    assert result.outcome is Outcome.FAIL and result.comparison.ok and not result.stale
    assert result.message == (
        "error shape differs from the one pinned for python:\n"
        '  pinned:   "TimeoutError <- CancelledError"\n'
        '  observed: "TimeoutError"'
    )
    assert result.message in failure_report(result, 100.0)


def test_a_shape_reported_without_a_pin_fails_asking_for_one(tmp_path):
    result = judged(spec(tmp_path), trace("OpError"), label="python/other")
    assert result.outcome is Outcome.FAIL
    assert result.message.startswith("unpinned error shape: python/other reports `OpError` in scenario 'one', and ")
    assert 'python/other: "OpError"' in result.message and "make record PATTERN=demo UPDATE=1" in result.message


def test_a_pin_whose_snippet_reports_no_shape_is_stale(tmp_path):
    result = judged(spec(tmp_path), trace())
    assert result.outcome is Outcome.FAIL
    assert result.message.startswith("stale error shape: python reports no error shape in scenario 'one'")
    assert "under `shapes: python`. Remove it." in result.message


def test_a_snippet_without_a_pin_that_reports_no_shape_passes(tmp_path):
    assert judged(spec(tmp_path), trace(), label="python/other").outcome is Outcome.PASS


def test_a_trace_difference_names_a_shape_problem_as_well(tmp_path):
    result = judged(spec(tmp_path), trace("TimeoutError", error="other"))
    assert result.outcome is Outcome.FAIL and not result.comparison.ok
    assert result.message.startswith("trace differs from the expected one\nthe error shape, too: error shape differs")


def test_a_pin_qualified_by_versions_is_chosen_as_a_divergence_is(tmp_path):
    pattern = spec(tmp_path, '      python: "Old"\n      python>=3.14: "New"\n')
    assert judged(pattern, trace("New"), version="3.14.2").outcome is Outcome.PASS
    assert judged(pattern, trace("Old"), version="3.13.5").outcome is Outcome.PASS
    newer = judged(pattern, trace("Old"), version="3.14.2")
    assert newer.outcome is Outcome.FAIL and "pinned for python>=3.14" in newer.message


def test_several_error_events_are_held_to_a_list_in_trace_order(tmp_path):
    pattern = spec(tmp_path, '      python: ["A", "B"]\n')
    both = Response(
        events=[(1.0, "error", {"error": "boom", "shape": "A"}), (2.0, "error", {"error": "boom", "shape": "B"})]
    )
    result = judged(pattern, both)
    assert result.shape_problem == "" and result.outcome is Outcome.FAIL  # the trace expects one error
    swapped = Response(events=[(e[0], e[1], dict(e[2])) for e in reversed(both.events)])
    assert judged(pattern, swapped).shape_problem.startswith("error shape differs")


# -- make record ----------------------------------------------------------------------------------


def test_record_pins_a_new_shape_replaces_a_changed_one_and_removes_a_stale_one(tmp_path):
    pattern = spec(tmp_path)
    scenario = pattern.scenarios[0]
    results = {"python": judged(pattern, trace()), "python/other": judged(pattern, trace("OpError"), "python/other")}
    update, unrecorded = propose(scenario, results, SETTINGS, complete=True)
    # The traces hold: a shape problem alone never pins a divergence.
    assert unrecorded == [] and update.expect is None and not update.pin and not update.unpin
    assert update.shapes == {"python/other": ("OpError",)} and update.unshape == ["python"]
    assert show(update).splitlines() == [
        "  - name: one",
        "    shapes:",
        '      python/other: "OpError"',
        "    # error shapes no longer reported, to remove: python",
    ]
    assert apply(pattern.path, [update])
    shapes = load_pattern(pattern.path, LANGUAGES).scenarios[0].shapes
    assert {key: pin.shapes for key, pin in shapes.items()} == {"python/other": ("OpError",)}
    changed = judged(pattern, trace("Other <- OpError"), "python/other")
    update, _ = propose(scenario, {"python/other": changed}, SETTINGS, complete=False)
    assert update.shapes == {"python/other": ("Other <- OpError",)}


def test_record_writes_a_shape_under_the_key_it_is_held_to(tmp_path):
    pattern = spec(tmp_path, '      python: "Old"\n      python>=3.14: "New"\n')
    update, _ = propose(
        pattern.scenarios[0], {"python": judged(pattern, trace("Newer"), version="3.14.1")}, SETTINGS, False
    )
    assert update.shapes == {"python>=3.14": ("Newer",)}
    assert apply(pattern.path, [update])
    text = pattern.path.read_text()
    assert '    shapes:\n      python: "Old"\n      python>=3.14: "Newer"\n' in text
    assert apply(pattern.path, [ScenarioUpdate("one", unshape=["python", "python>=3.14"])])
    assert "shapes" not in pattern.path.read_text()


# -- the catalogue --------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern_id", ["timeout", "all_fail_fast", "race_and_any"])
def test_the_patterns_where_the_error_matters_pin_a_shape_for_every_snippet_that_errs(tmp_path, pattern_id):
    folder = tmp_path / "patterns" / pattern_id
    shutil.copytree(REPO / "patterns" / pattern_id, folder)
    pattern = load_pattern(folder / "pattern.yaml", LANGUAGES)
    for scenario in pattern.scenarios:
        errs = any(e.ev == "error" for e in scenario.expect)
        assert {pin.label for pin in scenario.shapes.values()} == (
            {s.label for s in pattern.snippets} if errs else set()
        ), scenario.name


def test_results_carry_the_shapes_pinned_and_observed():
    entry = {"$defs": schema("results")["$defs"], "$ref": "#/$defs/result/properties/shapes"}
    jsonschema.validate({"key": "go<1.23", "pinned": ["A"], "observed": ["B"], "problem": "differs"}, entry)
    jsonschema.validate({"key": None, "pinned": None, "observed": ["B"], "problem": "unpinned"}, entry)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"key": "go", "pinned": ["A"], "observed": ["A"]}, entry)
