"""Parallel runs: the plan of runner slots, and inner runs of the harness over the wrong-snippets suite
that must report exactly what a serial run reports."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest

from harness.catalogue.spec import Expected, Scenario, Snippet
from harness.running.pool import RunnerPool
from harness.running.scheduler import Work, bound_ms, plan
from harness.running.session import Session
from harness.runtimes.local import LocalRuntime

pytest_plugins = ["pytester"]

FIXTURES = Path(__file__).with_name("wrong_snippets")
REFERENCES = ("all_fail_fast/all_fail_fast.py", "retry_backoff/retry_backoff.py", "timeout/timeout.js")


def work(language: str, *windows: int) -> list[Work]:
    snippet = Snippet("p", language, None, Path("p.x"), ())
    return [Work(snippet, Scenario(f"s{i}", {}, w, False, (Expected(0, "e", {}),))) for i, w in enumerate(windows)]


def test_plan_gives_spare_slots_to_the_language_with_most_window_per_slot():
    matrix = work("go", 4, 4, 4, 4) + work("java", 10, 10, 10, 10, 10, 10) + work("python", 2)
    assert plan(matrix, 1, 50) == {"go": 1, "java": 1, "python": 1}  # every language has a slot
    slots = plan(matrix, 6, 50)
    assert slots == {"go": 1, "java": 4, "python": 1}  # java 60 ticks / 4 slots < go's 16 ticks
    bounds = bound_ms(matrix, slots, 50)
    assert bounds == {"go": 16 * 50, "java": 60 * 50 / 4, "python": 2 * 50}
    assert plan(matrix, 7, 50) == {"go": 2, "java": 4, "python": 1}
    # No more slots than scenarios, however wide the run.
    assert plan(matrix, 50, 50) == {"go": 4, "java": 6, "python": 1}


@pytest.fixture
def inner(inner_suite):
    return inner_suite(FIXTURES / "patterns", "--runtime=local", runtime="local", references=REFERENCES)


def heads(run) -> dict[str, tuple[str, list[str]]]:
    """Per item: its outcome and the first line of its report, without milliseconds."""
    return {
        nodeid: (r.outcome, [re.sub(r"\d+\.\d+ s", "N s", r.longreprtext.splitlines()[0])] if r.failed else [])
        for nodeid, r in run.calls.items()
    }


def margin(text: str) -> list[tuple[str, str]]:
    """(language, passed) rows of the timing-margin summary."""
    section = text.split("timing margin", 1)[1]
    return re.findall(r"^(\w+)\s+(\d+/\d+)\s", section, re.M)


@pytest.mark.runners
def test_a_parallel_run_reports_what_a_serial_run_reports(inner, monkeypatch):
    prepared: list[str] = []
    started: list[str] = []
    in_flight, most = 0, 0
    lock = threading.Lock()
    real_prepare, real_run = LocalRuntime.prepare, Session.run
    real_start = RunnerPool._start_runner

    def counting_prepare(self, lang, snippets, progress):
        prepared.append(lang.name)
        return real_prepare(self, lang, snippets, progress)

    def counting_start(self, language, prepared_language):
        started.append(language)
        return real_start(self, language, prepared_language)

    def counting_run(self, snippet, scenario, slot=0):
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        try:
            return real_run(self, snippet, scenario, slot)
        finally:
            with lock:
                in_flight -= 1

    monkeypatch.setattr(LocalRuntime, "prepare", counting_prepare)
    monkeypatch.setattr(RunnerPool, "_start_runner", counting_start)
    monkeypatch.setattr(Session, "run", counting_run)

    serial = inner("--jobs=1")
    assert "spread: serial, one scenario at a time (JOBS=1)" in serial.text
    assert most == 1 and sorted(prepared) == sorted(set(prepared))
    prepared.clear()
    started.clear()

    parallel = inner("--jobs=6")
    slots = re.search(
        r"async suite: parallel, 6 scenarios at once \(JOBS=6\); runners per language: (.+)", parallel.text
    )
    assert slots, parallel.text
    per_language = dict((lang, int(n)) for lang, n in re.findall(r"(\w+) (\d+)", slots.group(1)))
    assert sum(per_language.values()) == 6
    assert most > 1, "scenarios ran at once"
    assert sorted(prepared) == sorted(per_language), "each language built (or found cached) once"
    for language, count in per_language.items():  # a runner per slot; a timed-out one restarts in its slot
        assert 1 <= started.count(language) <= count, (language, started)

    assert list(parallel.calls) == list(serial.calls), "the same items, in the same order"
    assert heads(parallel) == heads(serial)
    assert parallel.result.ret == serial.result.ret == 1
    assert margin(parallel.text) == margin(serial.text) != []


@pytest.mark.runners
def test_a_crash_of_the_harness_in_a_worker_is_reported_as_such(inner, monkeypatch):
    real_run = Session.run

    def broken_run(self, snippet, scenario, slot=0):
        if scenario.name == "second_fails" and snippet.label == "go":
            raise RuntimeError("a bug in the harness")
        return real_run(self, snippet, scenario, slot)

    monkeypatch.setattr(Session, "run", broken_run)
    run = inner("--jobs=4", "--pattern=all_fail_fast")
    report = run.calls["patterns/all_fail_fast[go:second_fails]"]
    assert report.failed
    assert re.search(r"the go worker \(runner slot \d\) crashed while running this scenario", report.longreprtext)
    assert "RuntimeError: a bug in the harness" in report.longreprtext
    # The slot went on: the go scenarios after it ran, and pass or fail on their own.
    assert run.calls["patterns/all_fail_fast[go:all_succeed]"].passed
    assert run.result.ret == 1


@pytest.mark.runners
def test_stopping_at_the_first_failure_leaves_the_rest_not_run(inner, pytester: pytest.Pytester):
    target = pytester.path / "results.json"
    run = inner("--jobs=4", "-x", f"--results={target}", "--pattern=all_fail_fast,crash,hang")
    failed = [nodeid for nodeid, r in run.calls.items() if r.failed]
    assert len(failed) == 1 and list(run.calls)[-1] == failed[0], "the run stopped at its first failure"
    assert run.result.ret == 1
    document = json.loads(target.read_text())
    for entry in document["results"]:  # what was not reported is not run, even if it was in flight
        nodeid = f"patterns/{entry['pattern']}[{entry['snippet']}:{entry['scenario']}]"
        assert (entry["outcome"] != "not run") == (nodeid in run.calls), nodeid
