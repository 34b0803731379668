"""The Python runner imports each snippet as a program imports its modules: by a name that any
process with the runner's sys.path finds (patterns.<key>.<stem>). A process pool's worker that does
not inherit the runner's memory (forkserver, Linux's default since CPython 3.14, or spawn) then
unpickles the snippet's functions as it would in a program of its own; fork always could.

The helper processes such a pool leaves behind in any program (a forkserver, a resource tracker)
end with the scenario, as with a program's exit, and the runner says so; a process the scenario
left running is still seen, with them."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from harness.catalogue.languages import load_languages
from harness.catalogue.spec import Snippet
from harness.running.client import Runner, scenario_request
from harness.runtimes.local import LocalRuntime

pytestmark = pytest.mark.runners  # the local python3 runs the runner: make check-runners

REPO = Path(__file__).resolve().parents[1]
FOLDER = Path(__file__).with_name("python_snippets")
SNIPPET = Snippet("process_pool", "python", None, FOLDER / "process_pool.py", ())
LEAVES = Snippet("leaves_a_process", "python", None, FOLDER / "leaves_a_process.py", ())
HELPERS = {"fork": [], "spawn": ["resource tracker"], "forkserver": ["forkserver", "resource tracker"]}


@pytest.fixture(scope="module")
def prepared():
    python = load_languages(REPO / "languages")["python"]
    return LocalRuntime(REPO / ".cache").prepare(python, [SNIPPET, LEAVES], print)


def ask(prepared, snippet: Snippet, input: dict):
    runner = Runner("python", prepared.launch, prepared.describe)
    try:
        return runner.request(scenario_request(snippet.key, input, 50, 1, 50), deadline_s=20)
    finally:
        runner.stop()


@pytest.mark.parametrize("start_method", multiprocessing.get_all_start_methods())
def test_a_snippets_function_reaches_a_pool_worker_by_every_start_method(prepared, start_method):
    response = ask(prepared, SNIPPET, {"start_method": start_method, "n": 7})
    assert (response.fault, response.message) == (None, ""), response.stderr
    assert [(ev, fields) for _, ev, fields in response.events] == [("result", {"value": 49})]
    assert response.leaked == []  # the pool's helpers ended with the scenario ...
    said = [line for line in response.stderr if "ended the multiprocessing" in line]
    assert len(said) == (1 if HELPERS[start_method] else 0), response.stderr
    for helper in HELPERS[start_method]:  # ... and the runner says which
        assert f" {helper} (pid " in said[0], said


@pytest.mark.parametrize("start_method", multiprocessing.get_all_start_methods())
def test_a_process_left_running_is_seen_with_the_helpers_that_serve_it(prepared, start_method):
    response = ask(prepared, LEAVES, {"start_method": start_method})
    processes = 1 + len(HELPERS[start_method])
    assert f"still running after the window: {processes} child process" in response.leaked[0], response.leaked
    assert not [line for line in response.stderr if "ended the multiprocessing" in line]
