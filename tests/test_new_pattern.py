"""`make new-pattern`: a new pattern's folder, ready to record and fill in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.base.errors import SpecError, SuiteError
from harness.catalogue import Catalogue
from harness.catalogue.mutants import load_mutants
from harness.tools.new_pattern import lay_out
from harness.tools.record import main as record

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def suite_root(tmp_path: Path) -> Path:
    (tmp_path / "languages").symlink_to(REPO / "languages", target_is_directory=True)
    (tmp_path / "patterns").mkdir()
    return tmp_path


def test_a_new_pattern_has_a_snippet_per_language_a_spec_and_mutants(suite_root):
    written = lay_out(Catalogue(suite_root), "first_success")
    names = sorted(path.name for path in written)
    assert names == sorted(
        ["first_success.js", "first_success.py", "first_success.go", "first_success.rs", "FirstSuccess.java"]
        + ["pattern.yaml", "mutants.yaml"]
    )
    pattern = Catalogue(suite_root).pattern("first_success", drafts=True)
    assert sorted(s.label for s in pattern.snippets) == ["go", "java", "javascript", "python", "rust"]
    assert "package firstsuccess" in (suite_root / "patterns/first_success/first_success.go").read_text()
    assert "public class FirstSuccess" in (suite_root / "patterns/first_success/FirstSuccess.java").read_text()


def test_its_todos_fail_the_spec_each_named_with_its_line(suite_root):
    lay_out(Catalogue(suite_root), "first_success")
    with pytest.raises(SpecError) as error:
        Catalogue(suite_root).pattern("first_success")
    said = [
        problem.split(": ", 1)[0].rsplit(":", 1)[1] + ": " + problem.split(": ", 1)[1]
        for problem in error.value.problems
    ]
    assert [line.split(":")[0] for line in said] == ["5", "7", "23"]  # title, summary, the expected trace
    assert "the expected trace is a TODO: `make record` observes it" in error.value.problems[2]
    draft = Catalogue(suite_root).pattern("first_success", drafts=True)
    with pytest.raises(SpecError, match=r"mutants.yaml:\d+: mutants\[0\].mistake: a TODO is left"):
        load_mutants(draft)


@pytest.mark.parametrize(
    "id, says",
    [
        ("First", "lowercase letters"),
        ("a" * 41, "40 at most"),
        ("timeout-x", "lowercase letters"),
        ("x__y", "no __, no _ at the end"),
    ],
)
def test_a_bad_id_is_refused(suite_root, id, says):
    with pytest.raises(SuiteError, match=says):
        lay_out(Catalogue(suite_root), id)


def test_an_existing_pattern_is_never_overwritten(suite_root):
    lay_out(Catalogue(suite_root), "first_success")
    spec = suite_root / "patterns/first_success/pattern.yaml"
    spec.write_text(spec.read_text() + "# mine\n")
    with pytest.raises(SuiteError, match="exists already"):
        lay_out(Catalogue(suite_root), "first_success")
    assert spec.read_text().endswith("# mine\n")


@pytest.mark.runners
def test_record_writes_the_trace_every_language_agrees_on(suite_root):
    lay_out(Catalogue(suite_root), "first_success")
    argv = [f"--root={suite_root}", "--pattern=first_success", "--runtime=local", "--tick-ms=50", "--update"]
    assert record(argv) == 0
    pattern = Catalogue(suite_root).pattern("first_success", drafts=True)
    [scenario] = pattern.scenarios
    assert [(e.tick, e.ev, e.fields) for e in scenario.expect] == [
        (0, "start", {"op": "a"}),
        (1, "succeed", {"op": "a", "value": 1}),
        (1, "start", {"op": "b"}),
        (3, "succeed", {"op": "b", "value": 2}),
        (3, "result", {"values": [1, 2]}),
    ]
    assert scenario.divergences == {}
    with pytest.raises(SpecError) as error:  # what is left for the author: the title and summary
        Catalogue(suite_root).pattern("first_success")
    assert len(error.value.problems) == 2


@pytest.mark.parametrize(
    "id, says",
    [
        ("string", "java would spell it String (pascal): a name of java.lang"),
        ("object", "java would spell it Object (pascal)"),
        ("class", "javascript would spell it class (camel): a JavaScript reserved word"),
        ("type", "go would spell it type (package): a Go keyword"),
        ("internal", "go would spell it internal (id)"),
        ("run", "the entry point"),
        ("op", "would spell it op"),
        ("lambda", "python would spell it lambda (id): a Python keyword"),
        ("fn", "rust would spell it fn (id): a Rust keyword"),
    ],
)
def test_an_id_the_generated_code_cannot_hold_is_refused(suite_root, id, says):
    with pytest.raises(SuiteError, match=re.escape(says)):
        lay_out(Catalogue(suite_root), id)
    assert not (suite_root / "patterns" / id).exists()
