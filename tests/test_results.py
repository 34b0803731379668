"""results.json and the JUnit XML, from real inner runs of the harness over the wrong-snippets suite.

What the files say is checked against what the same run reported to pytest and against the specs,
never against a copy of expected output.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from harness.catalogue.schemas import schema
from harness.outputs import results as results_module
from harness.outputs.results import MAX_EVENTS, MAX_STDERR_LINES

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.runners  # real runners (go, node, python): make check-runners

FIXTURES = Path(__file__).with_name("wrong_snippets")
REFERENCES = ("all_fail_fast/all_fail_fast.py", "retry_backoff/retry_backoff.py", "timeout/timeout.js")
NOT_APPLICABLE = "no callbacks to crash in: a test of the results only"

FLOOD = """\
# Deliberately noisy: more events and stderr lines than a results entry keeps.
import sys

from suite import trace


async def run(data):
    for n in range(data["events"]):
        trace("tick", n=n)
    for n in range(data["lines"]):
        print(f"stderr line {n}", file=sys.stderr)
"""


def validate(document: dict) -> None:
    validator = jsonschema.Draft202012Validator(
        schema("results"), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors, "\n".join(errors[:20])


def cell_id(entry: dict) -> str:
    return f"patterns/{entry['pattern']}[{entry['snippet']}:{entry['scenario']}]"


@pytest.fixture
def inner(inner_suite, pytester: pytest.Pytester):
    run = inner_suite(FIXTURES / "patterns", "--runtime=local", runtime="local", references=REFERENCES)
    spec = pytester.path / "patterns" / "crash" / "pattern.yaml"
    data = yaml.safe_load(spec.read_text())
    data["not_applicable"] = {"go": NOT_APPLICABLE}
    spec.write_text(yaml.safe_dump(data, sort_keys=False))
    return run


def test_results_json_has_every_cell_in_spec_order_as_the_run_reported_it(inner, pytester: pytest.Pytester):
    target = pytester.path / "out" / "results.json"
    run = inner(f"--results={target}", "-k", "not stray_output")
    document = json.loads(target.read_text())
    validate(document)

    entries = document["results"]
    by_id = {cell_id(e): e for e in entries}
    assert len(by_id) == len(entries), "one entry per (pattern, snippet, scenario)"
    ran = [cell_id(e) for e in entries if e["outcome"] not in ("not run", "not applicable")]
    assert ran == list(run.calls), "the cells that ran are the items, in collection order"
    for nodeid, report in run.calls.items():
        entry = by_id[nodeid]
        assert (entry["outcome"] == "pass") == report.passed, nodeid
        if not report.passed:  # the report says the outcome first, as the terminal does
            assert report.longreprtext.startswith(entry["outcome"].upper() + ":"), nodeid
            assert entry["report"] == report.longreprtext
    assert {e["outcome"] for e in entries} >= {"pass", "fail", "timeout", "crash", "not run", "not applicable"}

    # Deselected: there, not run, and expected as the spec says.
    stray = [e for e in entries if e["pattern"] == "stray_output"]
    assert stray and all(e["outcome"] == "not run" and e["seconds"] is None for e in stray)
    # Not applicable: one cell per scenario, with the spec's reason.
    crash_spec = yaml.safe_load((pytester.path / "patterns" / "crash" / "pattern.yaml").read_text())
    na = [e for e in entries if e["outcome"] == "not applicable"]
    assert [(e["pattern"], e["language"], e["scenario"]) for e in na] == [
        ("crash", "go", sc["name"]) for sc in crash_spec["scenarios"]
    ]
    assert {e["message"] for e in na} == {NOT_APPLICABLE}

    # Every entry expects what its spec pins for that snippet, and observed events sit in their tick.
    tick, early = document["run"]["tick_ms"], document["run"]["early_ms"]
    for pattern in document["patterns"]:
        spec = yaml.safe_load((pytester.path / pattern["file"]).read_text())
        for scenario in spec["scenarios"]:
            for label in spec["snippets"]:
                entry = by_id[f"patterns/{spec['id']}[{label}:{scenario['name']}]"]
                pinned = scenario.get("divergences", {}).get(label)
                expect = (pinned or scenario)["expect"]
                assert entry["expected"] == [[e[0], e[1], e[2] if len(e) > 2 else {}] for e in expect]
                assert (entry["divergence"] is None) == (pinned is None)
                for event in entry["observed"]:
                    assert event["late_ms"] == pytest.approx(event["t_ms"] - event["tick"] * tick, abs=0.002)
                    assert -early <= event["late_ms"] < tick - early + 0.002
    stale = by_id["patterns/stale_divergence[javascript:exceeds_deadline]"]
    assert stale["outcome"] == "fail" and stale["divergence"]["stale"] is True
    assert "stale divergence" in stale["message"]

    run_meta = document["run"]
    assert run_meta["exit_status"] == run.result.ret
    assert set(run_meta["languages"]) == {"go", "java", "javascript", "python", "rust"}
    assert run_meta["languages"]["python"]["version"], "the version the python runner said hello with"
    margin = run_meta["margin"]["python"]
    python_calls = [r for nodeid, r in run.calls.items() if by_id[nodeid]["language"] == "python"]
    assert margin["scenarios"] == len(python_calls)
    assert margin["passed"] == sum(r.passed for r in python_calls)
    regions = {s["label"]: s for p in document["patterns"] if p["id"] == "timeout" for s in p["snippets"]}
    region = regions["javascript/correct"]
    lines = (pytester.path / region["file"]).read_text().splitlines()
    first, last = region["region_lines"]
    assert region["region"].splitlines()[0].strip() == lines[first - 1].strip()
    assert region["region"].splitlines()[-1].strip() == lines[last - 1].strip()


def test_junit_has_one_case_per_scenario_with_the_trace_diff_as_failure(inner, pytester: pytest.Pytester):
    results, junit = pytester.path / "results.json", pytester.path / "junit.xml"
    run = inner(f"--results={results}", f"--junit={junit}", "--pattern=all_fail_fast,crash,stale_divergence")
    document = json.loads(results.read_text())
    cases = {(c.get("classname"), c.get("name")): c for c in ET.parse(junit).getroot().iter("testcase")}
    selected = [e for e in document["results"] if e["pattern"] in ("all_fail_fast", "crash", "stale_divergence")]
    assert set(cases) == {(f"{e['pattern']}.{e['snippet']}", e["scenario"]) for e in selected}
    for entry in selected:
        case = cases[(f"{entry['pattern']}.{entry['snippet']}", entry["scenario"])]
        failure, skipped = case.find("failure"), case.find("skipped")
        if entry["outcome"] == "pass":
            assert failure is None and skipped is None
        elif entry["outcome"] == "not applicable":
            assert NOT_APPLICABLE in skipped.get("message")
        else:
            report = run.calls[cell_id(entry)].longreprtext
            assert failure.get("type") == entry["outcome"]
            assert failure.text == report  # the readable diff, as the terminal shows it
            assert failure.get("message").startswith(f"{entry['outcome']}: ")
    root = ET.parse(junit).getroot()
    assert int(root.get("tests")) == len(cases)
    assert int(root.get("failures")) == sum(not r.passed for r in run.calls.values())


def test_output_cut_to_bound_the_file_is_flagged(inner, pytester: pytest.Pytester, monkeypatch):
    monkeypatch.setattr(results_module, "MAX_TEXT", 500)  # also cut the (long) failure report
    folder = pytester.path / "patterns" / "flood"
    folder.mkdir()
    (folder / "flood.py").write_text(FLOOD)
    spec = {
        "id": "flood",
        "title": "Flood",
        "category": "combinators",
        "summary": "Traces more events and stderr lines than a results entry keeps.",
        "snippets": {"python": {"file": "flood.py"}},
        "scenarios": [
            {"name": "quiet", "input": {"events": 1, "lines": 1}, "expect": [[0, "tick", {"n": 0}]]},
            {"name": "loud", "input": {"events": MAX_EVENTS + 50, "lines": 3 * MAX_STDERR_LINES}, "expect": [[0, "x"]]},
        ],
    }
    (folder / "pattern.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    target = pytester.path / "results.json"
    inner(f"--results={target}", "--pattern=flood")
    document = json.loads(target.read_text())
    validate(document)
    quiet, loud = [e for e in document["results"] if e["pattern"] == "flood"]
    assert quiet["outcome"] == "pass" and not quiet["truncated"]
    assert quiet["stderr"] == ["stderr line 0"]
    assert loud["outcome"] == "fail" and loud["truncated"]
    assert len(loud["observed"]) == MAX_EVENTS
    assert [e["fields"]["n"] for e in loud["observed"][:3]] == [0, 1, 2]
    assert 0 < len(loud["stderr"]) <= MAX_STDERR_LINES
    assert loud["stderr"][-1] == f"stderr line {3 * MAX_STDERR_LINES - 1}"
    assert loud["report"].endswith("more characters cut]")
