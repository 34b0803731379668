"""Files read back are checked, not trusted: results files, report folders, concurrent runs."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
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
    assert refused.returncode == 1 and "holds files no report wrote" in refused.stderr
    assert [p.name for p in theirs.iterdir()] == ["pattern-mine.html"]
    ours = tmp_path / "ours"
    assert report(path, ours).returncode == 0
    (ours / "notes.txt").write_text("mine")  # a file of the user's in the report's own folder
    assert report(path, ours).returncode == 0
    assert (ours / "notes.txt").read_text() == "mine"  # never deleted: the report did not write it


def test_coverage_of_a_results_file_named_but_missing_is_an_error(tmp_path):
    run = coverage(tmp_path / "nonexistent.json")
    assert run.returncode == 2 and "no results file " in run.stderr and "nonexistent.json" in run.stderr
