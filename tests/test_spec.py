"""Malformed specs give errors that name the file, the line and what was expected."""

import textwrap
from pathlib import Path

import pytest

from harness.base.errors import SpecError
from harness.catalogue.spec import load_pattern

LANGUAGES = ["javascript", "python", "go", "rust", "java"]

GOOD = """\
id: demo
title: Demo
summary: A demo.
snippets:
  python: {file: demo.py}
scenarios:
  - name: one
    input: {x: 1}
    expect:
      - [0, start, {op: a}]
      - [2, result]
"""


def write(tmp_path: Path, text: str, folder: str = "demo") -> Path:
    path = tmp_path / folder / "pattern.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(text)
    if "category:" not in text:  # appended, so the line numbers the tests name stay put
        text += "category: combinators\n"
    path.write_text(text)
    (path.parent / "demo.py").write_text("")
    return path


def problems(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as info:
        load_pattern(path, LANGUAGES)
    return str(info.value)


def test_good_spec_loads_with_default_window(tmp_path):
    pattern = load_pattern(write(tmp_path, GOOD), LANGUAGES)
    (scenario,) = pattern.scenarios
    assert scenario.window == 3
    assert [(e.tick, e.ev, e.fields) for e in scenario.expect] == [(0, "start", {"op": "a"}), (2, "result", {})]
    assert pattern.snippets[0].label == "python" and pattern.snippets[0].key == "demo"


def test_yaml_syntax_error_names_line(tmp_path):
    message = problems(tmp_path, GOOD.replace("input: {x: 1}", "input: {x: 1"))
    assert "pattern.yaml:9: YAML syntax error" in message


def test_missing_field(tmp_path):
    message = problems(tmp_path, GOOD.replace("title: Demo\n", ""))
    assert "pattern.yaml:1: missing field: 'title' is a required property" in message


def test_unknown_field_lists_allowed_ones(tmp_path):
    message = problems(tmp_path, GOOD.replace("    input: {x: 1}", "    inputs: {x: 1}\n    input: {x: 1}"))
    assert "pattern.yaml:7: scenarios[0]: Additional properties are not allowed ('inputs' was unexpected)" in message
    assert (
        "allowed fields: alone, divergences, ending, expect, expect_one_of, input, name, ordered, shapes, window"
        in message
    )


def test_wrong_type_names_the_value(tmp_path):
    message = problems(tmp_path, GOOD.replace("[2, result]", "[two, result]"))
    assert "pattern.yaml:11: scenarios[0].expect[1][0]: expected integer, got str 'two'" in message


def test_unknown_language(tmp_path):
    message = problems(tmp_path, GOOD.replace("python: {file: demo.py}", "ruby: {file: demo.py}"))
    assert (
        "pattern.yaml:5: snippets.ruby: unknown language 'ruby'; known: javascript, python, go, rust, java" in message
    )


def test_scenario_without_expectations(tmp_path):
    text = GOOD.split("    expect:")[0]
    message = problems(tmp_path, text)
    assert (
        "pattern.yaml:7: scenarios[0]: a scenario gives its trace as `expect` (one trace) or as `expect_one_of`"
        in message
    )
    message = problems(tmp_path, text + "    expect: []\n")
    assert "pattern.yaml:9: scenarios[0].expect: no expected events" in message


def test_event_shape(tmp_path):
    message = problems(tmp_path, GOOD.replace("[2, result]", "[2]"))
    assert "scenarios[0].expect[1]: expected [tick, event, {fields}], got [2]" in message


def test_window_before_last_event(tmp_path):
    message = problems(tmp_path, GOOD.replace("    input: {x: 1}", "    window: 2\n    input: {x: 1}"))
    assert "pattern.yaml:8: scenarios[0].window: window 2 closes before the last expected event at tick 2" in message


def test_divergence_for_undeclared_snippet_and_missing_file(tmp_path):
    text = GOOD.replace("python: {file: demo.py}", "python: {file: demo.py}\n  go: {file: demo.go}") + (
        "    divergences:\n      java: {reason: r, expect: [[0, x]]}\n"
    )
    message = problems(tmp_path, text)
    assert "snippets.go.file: snippet file demo.go does not exist" in message
    assert "scenarios[0].divergences.java: divergence for 'java', which has no snippet" in message


def test_the_files_a_snippet_loads_are_files_of_its_own_folder(tmp_path):
    text = GOOD.replace("python: {file: demo.py}", "python: {file: demo.py, files: [../x.py, gone.py, demo.py]}")
    message = problems(tmp_path, text)
    assert "snippets.python.files[0]: file ../x.py is not a file of the pattern's own folder demo/" in message
    assert "snippets.python.files[1]: file gone.py does not exist" in message
    assert "snippets.python.files[2]: demo.py is the snippet's own file; `files:` lists the others it loads" in message


def test_id_must_match_folder(tmp_path):
    message = problems(tmp_path, GOOD.replace("id: demo", "id: other"))
    assert "pattern.yaml:1: id: id 'other' must match the folder name 'demo'" in message


def test_every_problem_is_reported_at_once(tmp_path):
    message = problems(tmp_path, GOOD.replace("title: Demo\n", "").replace("[2, result]", "[x, result]"))
    assert len(message.splitlines()) == 2


def test_not_applicable_needs_a_known_language_and_no_snippet(tmp_path):
    text = GOOD + "not_applicable:\n  python: no event loop here\n  cobol: nothing\ncategory: combinators\n"
    message = problems(tmp_path, text)
    assert "unknown language 'cobol'" in message
    assert "python has a snippet but is declared under not_applicable" in message


def test_category_must_be_one_of_the_catalogue_sections(tmp_path):
    message = problems(tmp_path, GOOD + "category: misc\n")
    assert "category" in message and "'combinators'" in message


@pytest.mark.parametrize("id", ["probe_x__y", "probe_"])
def test_an_id_that_could_be_another_snippets_key_is_refused(tmp_path, id):
    """A variant's key is <pattern>__<variant>: pattern probe_x__y would share one with probe_x's
    variant y (the variant would silently run the other pattern's file), so __ is no part of an id."""
    message = problems(tmp_path / "p", GOOD.replace("id: demo", f"id: {id}"))
    assert f"pattern.yaml:1: id: {id!r}: an id is lowercase letters and digits" in message
    assert "no __, no _ at the end" in message


def test_a_variant_with_a_double_underscore_is_refused_naming_its_key(tmp_path):
    message = problems(
        tmp_path, GOOD.replace("  python: {file: demo.py}", "  python: {file: demo.py}\n  python/a__b: {file: demo.py}")
    )
    assert "pattern.yaml:6: snippets.python/a__b: variant 'a__b': a variant is lowercase letters and digits" in message
    assert "its key is demo__a__b" in message
