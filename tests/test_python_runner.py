"""The Python runner imports each snippet as a program imports its modules: by a name that any
process with the runner's sys.path finds (patterns.<key>.<stem>). A process pool's worker that does
not inherit the runner's memory (forkserver, Linux's default since CPython 3.14, or spawn) then
unpickles the snippet's functions as it would in a program of its own; fork always could."""

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
SNIPPET = Snippet("process_pool", "python", None, Path(__file__).with_name("python_snippets") / "process_pool.py", ())


@pytest.fixture(scope="module")
def prepared():
    return LocalRuntime(REPO / ".cache").prepare(load_languages(REPO / "languages")["python"], [SNIPPET], print)


@pytest.mark.parametrize("start_method", multiprocessing.get_all_start_methods())
def test_a_snippets_function_reaches_a_pool_worker_by_every_start_method(prepared, start_method):
    runner = Runner("python", prepared.launch, prepared.describe)
    try:
        request = scenario_request(SNIPPET.key, {"start_method": start_method, "n": 7}, 50, 1, 50)
        response = runner.request(request, deadline_s=20)
    finally:
        runner.stop()
    assert (response.fault, response.message) == (None, ""), response.stderr
    assert [(ev, fields) for _, ev, fields in response.events] == [("result", {"value": 49})]
