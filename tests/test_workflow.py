"""The CI workflow: its job matrix is the languages' versions (read here from the language.yaml files
themselves, not through the harness that generates it), the checked-in file is what `make workflow`
writes, and the local executor understands the conditions the workflow uses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from harness.catalogue import Catalogue
from harness.outputs.workflow import WORKFLOW, render
from harness.tools import ci_local
from harness.tools import workflow as workflow_tool

REPO = Path(__file__).resolve().parent.parent


def checked_in() -> dict:
    return yaml.safe_load((REPO / WORKFLOW).read_text(encoding="utf-8"))


def versions_in_language_files(root: Path) -> list[tuple[str, str]]:
    """(target, image) for every version every languages/*/language.yaml lists."""
    found = []
    for path in sorted(root.glob("languages/*/language.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [(f"{spec['name']}@{v['name']}", v.get("image", spec["image"])) for v in spec["versions"]]
    return found


def test_the_job_matrix_is_every_language_at_every_supported_version_in_its_image():
    include = checked_in()["jobs"]["slice"]["strategy"]["matrix"]["include"]
    assert sorted((job["target"], job["image"]) for job in include) == sorted(versions_in_language_files(REPO))
    assert len({job["artifact"] for job in include}) == len(include)  # each slice uploads under its own name


def test_each_slice_runs_its_target_in_its_container_and_the_merge_expects_them_all():
    jobs = checked_in()["jobs"]
    assert jobs["slice"]["container"] == "${{ matrix.image }}"
    assert jobs["slice"]["strategy"]["fail-fast"] is False  # one failing version must not hide the others
    runs = " ".join(step.get("run", "") for step in jobs["slice"]["steps"])
    assert 'make test LANG="$TARGET"' in runs and "RESULTS=out/results.json" in runs
    merge = jobs["merge"]
    assert merge["needs"] == "slice" and merge["if"] == "always()"  # it runs, and says so, when a slice failed
    merging = next(step for step in merge["steps"] if step.get("id") == "merge")
    assert "VERSIONS=all" in merging["run"]  # a target whose slice never arrived is missing, not left out
    assert merge["steps"][-1]["if"] == "steps.merge.outcome == 'failure'"


def test_the_checked_in_workflow_is_what_the_languages_give():
    assert (REPO / WORKFLOW).read_text(encoding="utf-8") == render(Catalogue(REPO))
    assert workflow_tool.main(["--check", "--root", str(REPO)]) == 0


def test_a_version_added_to_a_language_is_a_job_and_the_check_says_the_file_is_stale(tmp_path, capsys):
    root = tmp_path / "suite"
    shutil.copytree(REPO / "languages", root / "languages")
    shutil.copytree(REPO / "patterns", root / "patterns", dirs_exist_ok=True)
    (root / WORKFLOW).parent.mkdir(parents=True)
    shutil.copy(REPO / WORKFLOW, root / WORKFLOW)
    go = root / "languages" / "go" / "language.yaml"
    text = go.read_text(encoding="utf-8")
    new = '  - {name: "1.28", image: "golang:1.28-bookworm", obtain: {gotoolchain: go1.28.0}}\n'
    go.write_text(text.replace("toolchain:\n  tools", new + "toolchain:\n  tools", 1), encoding="utf-8")
    assert workflow_tool.main(["--check", "--root", str(root)]) == 1
    said = capsys.readouterr()
    assert '+          - {target: "go@1.28", image: "golang:1.28-bookworm"' in said.out
    assert "run `make workflow`" in said.err
    assert workflow_tool.main(["--root", str(root)]) == 0
    assert ("go@1.28", "golang:1.28-bookworm") in versions_in_language_files(root)
    include = yaml.safe_load((root / WORKFLOW).read_text())["jobs"]["slice"]["strategy"]["matrix"]["include"]
    assert sorted((j["target"], j["image"]) for j in include) == sorted(versions_in_language_files(root))


@pytest.mark.parametrize(
    "condition, failed, outcomes, runs",
    [
        ("success()", False, {}, True),
        ("success()", True, {}, False),
        ("always()", True, {}, True),
        ("steps.merge.outcome == 'failure'", False, {"merge": "failure"}, True),
        ("steps.merge.outcome == 'failure'", False, {"merge": "success"}, False),
        ("always() && steps.run.outcome != 'skipped'", True, {"run": "failure"}, True),
        ("always() && steps.run.outcome != 'skipped'", True, {"run": "skipped"}, False),
    ],
)
def test_the_local_executor_evaluates_the_conditions_the_workflow_uses(condition, failed, outcomes, runs):
    step = ci_local.Step(None, None, {}, {}, condition, None, False)
    assert ci_local.wanted(step, failed, outcomes) is runs


def test_the_local_executor_refuses_what_it_cannot_evaluate():
    step = ci_local.Step(None, None, {}, {}, "github.event_name == 'push'", None, False)
    with pytest.raises(ci_local.WorkflowError, match="cannot evaluate `if: github.event_name"):
        ci_local.wanted(step, False, {})
    with pytest.raises(ci_local.WorkflowError, match="cannot evaluate"):
        ci_local.substitute("${{ secrets.TOKEN }}", {"target": "go@1.22"})
    assert ci_local.substitute("LANG=${{ matrix.target }}", {"target": "go@1.22"}) == "LANG=go@1.22"


@pytest.mark.docker
def test_a_slice_job_runs_here_in_its_stand_in_and_the_merge_names_every_slice_that_did_not(capsys):
    """One job of the matrix (the default Go's, whose stand-in `make standin-images` builds), its steps
    as the workflow writes them, in the stand-in of golang:1.26-bookworm;
    then the merge job, which must fail: the other jobs' results never arrived."""
    code = ci_local.main(["--lang", "go@1.26", "--root", str(REPO)])
    said = capsys.readouterr().out
    assert code == 1, said
    assert "go@1.26: passed in" in said
    out = Path(said.split("logs in ")[1].splitlines()[0])
    timings = json.loads((out / "timings.json").read_text())
    assert timings["slices"]["go@1.26"]["status"] == "passed"
    assert timings["merge"]["steps"] == {"merge": "failure"} and timings["merge"]["status"].startswith("failed")
    others = [target for target, _ in versions_in_language_files(REPO) if target != "go@1.26"]
    summary = (out / "summary.md").read_text()
    assert all(f"- {target}: no results file ran it" in summary for target in others)
    assert "| go@1.26 | " in summary and "| 0 | 0 |\n" not in summary.split("| go@1.26 |")[1].splitlines()[0]
    report = (out / "uploads" / "site" / "index.html").read_text()
    assert "Missing, so their cells are" in report and "rust@1.54: no results file ran it" in report
