"""Files read back are checked, not trusted: results files, report folders, concurrent runs."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_report import results_from_specs

REPO = Path(__file__).resolve().parents[1]


def report(results: Path, out: Path) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "harness.tools.report", "--results", str(results), "--out", str(out)]
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=120)


def coverage(results: Path) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "harness.tools.coverage", f"--results={results}"]
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=120)


def tampered(how: str) -> dict:
    doc = copy.deepcopy(results_from_specs())
    if how == "an entry removed":
        doc["results"].pop(5)
    elif how == "every entry repeated":
        doc["results"] = doc["results"] * 40
    elif how == "an unknown pattern":
        doc["results"].append({**doc["results"][0], "pattern": "no_such_pattern"})
    return doc


@pytest.mark.parametrize(
    "how, says",
    [
        ("an entry removed", "1 entries missing: "),
        ("every entry repeated", "appears 40 times"),
        ("an unknown pattern", "entry no_such_pattern["),
    ],
)
def test_a_results_file_with_entries_missing_repeated_or_unknown_is_refused(tmp_path, how, says):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(tampered(how)))
    for run in (report(path, tmp_path / "out"), coverage(path)):
        assert run.returncode in (1, 2), run.stdout
        assert says in run.stderr and "it was cut or edited" in run.stderr
        assert "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()  # nothing rendered from it


def test_the_report_writes_only_into_a_folder_it_owns(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results_from_specs()))
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "pattern-mine.html").write_text("not the report's")
    refused = report(path, theirs)
    assert refused.returncode == 1 and "holds files make report did not write" in refused.stderr
    assert [p.name for p in theirs.iterdir()] == ["pattern-mine.html"]
    ours = tmp_path / "ours"
    assert report(path, ours).returncode == 0
    (ours / "notes.txt").write_text("mine")  # a file of the user's in the report's own folder
    assert report(path, ours).returncode == 0
    assert (ours / "notes.txt").read_text() == "mine"  # never deleted: the report did not write it


def test_coverage_of_a_results_file_named_but_missing_is_an_error(tmp_path):
    run = coverage(tmp_path / "nonexistent.json")
    assert run.returncode == 2 and "no results file " in run.stderr and "nonexistent.json" in run.stderr


@pytest.mark.parametrize(
    "where, bad",
    [
        ("pattern", "x/../../evil"),  # a page name leading out of the report's folder
        ("scenario", "one two"),
        ("pattern", "p" * 41),  # ids are 40 characters at most, as in specs
    ],
)
def test_a_results_file_whose_ids_break_the_id_rules_is_refused_before_anything_is_written(tmp_path, where, bad):
    doc = results_from_specs()
    old = doc["results"][0][where]
    for entry in doc["results"]:
        if entry[where] == old:
            entry[where] = bad
    for pattern in doc["patterns"]:
        if where == "pattern" and pattern["id"] == old:
            pattern["id"] = bad
        for scenario in pattern["scenarios"] if where == "scenario" else ():
            if scenario["name"] == old:
                scenario["name"] = bad
    path, out = tmp_path / "results.json", tmp_path / "out"
    path.write_text(json.dumps(doc))
    for run in (report(path, out), coverage(path)):
        assert run.returncode in (1, 2) and f"'{bad}' " in run.stderr, run.stderr
        assert "does not follow results.schema.json" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists() and not (tmp_path / "evil.html").exists()
    path.write_text(json.dumps(results_from_specs()))
    assert report(path, out).returncode == 0  # the folder is not locked: nothing was written to it


@pytest.mark.parametrize("earlier", [False, True], ids=["new folder", "folder of an earlier report"])
def test_a_report_that_fails_midway_leaves_a_folder_the_next_report_still_owns(tmp_path, monkeypatch, earlier):
    from harness.outputs import folder
    from harness.outputs.report.render import MARKER, render

    doc, out = results_from_specs(), tmp_path / "out"
    if earlier:
        render(doc, out)
    whole, calls = folder._write_whole, []

    def full_disk(path: Path, content: str | bytes) -> None:
        calls.append(path)
        if len(calls) == 4:  # the marker and two pages were written
            raise OSError(28, "No space left on device")
        whole(path, content)

    monkeypatch.setattr(folder, "_write_whole", full_disk)
    with pytest.raises(OSError):
        render(doc, out)
    monkeypatch.undo()
    claimed = set((out / MARKER).read_text().split())
    assert {p.name for p in out.iterdir()} - {MARKER} <= claimed  # every file there is the report's
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]
    render(doc, out)
    assert (out / "index.html").is_file() and set((out / MARKER).read_text().split()) == {
        p.name for p in out.iterdir() if p.name != MARKER
    }


def docs(out: str, cwd: Path) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "harness.tools.docs", "--root", str(REPO), "render", "--out", out]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def test_make_docs_writes_only_into_a_folder_it_owns(tmp_path):
    checkout = tmp_path / "checkout"  # `make docs OUT=.` in a checkout: its README.md is the user's
    checkout.mkdir()
    (checkout / "README.md").write_text("the project's own README\n")
    (checkout / "Makefile").write_text("all:\n")
    refused = docs(".", checkout)
    assert refused.returncode == 2 and "holds files make docs did not write" in refused.stderr, refused.stderr
    assert sorted(p.name for p in checkout.iterdir()) == ["Makefile", "README.md"]
    assert (checkout / "README.md").read_text() == "the project's own README\n"

    ours = tmp_path / "ours"
    made = docs(str(ours), tmp_path)
    assert made.returncode == 0 and (ours / "README.md").is_file() and (ours / ".async-suite-docs").is_file()
    (ours / "notes.txt").write_text("mine")
    (ours / "gone.md").write_text("a page an earlier docs run wrote")
    with (ours / ".async-suite-docs").open("a") as marker:
        marker.write("gone.md\n")
    assert docs(str(ours), tmp_path).returncode == 0  # its own folder: written again
    assert (ours / "notes.txt").read_text() == "mine" and not (ours / "gone.md").exists()

    report_folder = tmp_path / "report"
    results = tmp_path / "results.json"
    results.write_text(json.dumps(results_from_specs()))
    assert report(results, report_folder).returncode == 0
    before = sorted(p.name for p in report_folder.iterdir())
    assert docs(str(report_folder), tmp_path).returncode == 2  # the report's folder is not the docs'
    assert sorted(p.name for p in report_folder.iterdir()) == before


def test_a_deeply_nested_results_file_is_refused_with_a_message(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    for run in (report(path, tmp_path / "out"), coverage(path)):
        assert run.returncode in (1, 2) and "JSON nested too deeply to read" in run.stderr
        assert "Traceback" not in run.stderr and "RecursionError" not in run.stderr
    assert not (tmp_path / "out").exists()


def test_a_large_results_file_is_refused_fast(tmp_path, monkeypatch):
    from harness.outputs import results as module

    repeated = results_from_specs()
    repeated["results"] *= 60  # entries repeated (tens of MB): refused by the one-pass entry check alone
    path = tmp_path / "repeated.json"
    path.write_text(json.dumps(repeated))

    def slow_walk(*args, **kwargs):
        raise AssertionError("the schema's slow walk ran before the entries were checked")

    monkeypatch.setattr(module.jsonschema, "Draft202012Validator", slow_walk)
    started = time.perf_counter()
    with pytest.raises(module.ResultsFileError, match="appears 60 times"):
        module.load_results(path)
    assert time.perf_counter() - started < 30

    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(module.MAX_RESULTS_BYTES + 1)  # sparse: nothing read past the bound
    with pytest.raises(module.ResultsFileError, match="larger than 64 MiB"):
        module.load_results(huge)
