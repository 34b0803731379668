"""The harness side of the runner protocol, against a scripted stand-in runner."""

import sys
from pathlib import Path

import pytest

from harness.running.client import Fault, Runner, RunnerStartError
from harness.runtimes.local import local_launcher

SCRIPT = Path(__file__).with_name("scripted_runner.py")


@pytest.fixture
def runner():
    r = _local("scripted", [sys.executable, str(SCRIPT)])
    r.start()
    yield r
    r.stop()


def test_events_and_done(runner):
    response = runner.request({"key": "ok"}, deadline_s=5)
    assert response.fault is None
    assert response.events == [(0.3, "start", {"op": "a"}), (51.0, "result", {"value": 1})]
    assert runner.hello == {"protocol": 2, "language": "scripted", "version": "1"}


def test_hang_is_killed_at_its_deadline_and_the_runner_restarts(runner):
    response = runner.request({"key": "hang"}, deadline_s=0.5)
    assert response.fault is Fault.NO_ANSWER
    assert "no answer within 0.5 s" in response.message and "killed" in response.message
    assert 0.5 <= response.seconds < 2
    assert runner.request({"key": "ok"}, deadline_s=5).fault is None


def test_exit_is_a_crash_with_stderr(runner):
    response = runner.request({"key": "exit"}, deadline_s=5)
    assert response.fault is Fault.EXITED
    assert "exited with code 3" in response.message
    assert "fatal: something broke" in response.stderr
    assert runner.request({"key": "ok"}, deadline_s=5).fault is None


def test_snippet_exception_carries_message_and_stack(runner):
    response = runner.request({"key": "raise"}, deadline_s=5)
    assert response.fault is Fault.RAISED
    assert response.message == "boom" and response.stack == "at snippet line 3"
    assert response.events == [(0.1, "start", {})]


def test_non_json_output_is_a_protocol_error(runner):
    response = runner.request({"key": "garbage"}, deadline_s=5)
    assert response.fault is Fault.PROTOCOL
    assert "non-JSON line on stdout: 'hello from a stray print'" in response.message


def test_malformed_trace_line_is_a_protocol_error(runner):
    response = runner.request({"key": "malformed"}, deadline_s=5)
    assert response.fault is Fault.PROTOCOL and "malformed trace line" in response.message


def test_activity_after_the_window_is_charged_to_its_own_request(runner):
    response = runner.request({"key": "late", "settle_ms": 50}, deadline_s=5)
    assert response.fault is None  # the session turns leaks into a protocol error
    assert response.leaked == [
        'after the window closed: {"id": 1, "t": 400.0, "ev": "succeed", "fields": {"op": "c"}, "late": true}'
    ]
    assert runner.request({"key": "ok"}, deadline_s=5).leaked == []


def test_what_a_request_left_running_is_charged_to_it(runner):
    response = runner.request({"key": "pending", "settle_ms": 10}, deadline_s=5)
    assert response.leaked == [
        "still running after the window: 2 goroutines",
        "the scripted runner was restarted, so that work cannot reach the next scenario",
    ]
    assert not runner.alive  # what it left running died with it
    assert runner.request({"key": "ok"}, deadline_s=5).fault is None  # started anew


def test_a_line_of_an_earlier_request_is_never_part_of_the_next_trace(runner):
    assert runner.request({"key": "later", "scenario": "s1"}, deadline_s=5).leaked == []
    # the trace comes 0.2 s after the request settled: during this one's settle
    response = runner.request({"key": "ok", "scenario": "s2", "settle_ms": 400}, deadline_s=5)
    assert response.fault is None and response.leaked == []
    assert response.events == [(0.3, "start", {"op": "a"}), (51.0, "result", {"value": 1})]
    assert response.strays == [
        'later:s1 (request 1): {"id": 1, "t": 600.0, "ev": "succeed", "fields": {"op": "z"}, "late": true}'
    ]


def test_a_trace_right_after_a_request_settled_is_that_request_s_leak(runner):
    response = runner.request({"key": "after_settled"}, deadline_s=5)
    assert response.leaked == [
        'after it settled: {"id": 1, "t": 60.0, "ev": "succeed", "fields": {"op": "y"}, "late": true}'
    ]
    assert runner.request({"key": "ok"}, deadline_s=5).strays == []


def test_a_scenario_that_breaks_its_runner_is_charged_with_it_and_the_next_one_runs(runner):
    broke = runner.request({"key": "stdin_closed"}, deadline_s=5)
    assert broke.fault is Fault.EXITED
    assert "runner exited with code 0 once this scenario had settled: the scenario broke its runner" in broke.message
    after = runner.request({"key": "ok"}, deadline_s=5)
    assert after.fault is None and after.events[-1] == (51.0, "result", {"value": 1})


def _local(name: str, argv: list[str]) -> Runner:
    return Runner(name, local_launcher(argv, SCRIPT.parent, {}), " ".join(argv))


def test_a_runner_that_cannot_start_says_why():
    r = _local("broken", [sys.executable, "-c", "import sys; sys.stderr.write('no luck'); sys.exit(2)"])
    with pytest.raises(
        RunnerStartError, match="broken runner exited with code 2 before saying hello; its stderr:\nno luck"
    ):
        r.start()
    r = _local("missing", ["/nonexistent/runner"])
    with pytest.raises(RunnerStartError, match="cannot start missing runner"):
        r.start()


def test_a_runner_of_another_protocol_version_is_refused_saying_so():
    r = _local("old", [sys.executable, str(SCRIPT), "protocol_1"])
    with pytest.raises(RunnerStartError, match="old runner speaks protocol 1, and this harness speaks protocol 2"):
        r.start()


def test_a_hello_that_breaks_the_schema_is_refused_naming_the_field(tmp_path):
    script = tmp_path / "runner.py"
    script.write_text('print(\'{"hello": {"protocol": 2, "version": "1"}}\', flush=True)\nimport time; time.sleep(60)')
    r = _local("nameless", [sys.executable, str(script)])
    with pytest.raises(RunnerStartError, match="'language' is a required property"):
        r.start()


def test_every_request_the_harness_sends_follows_the_protocol_schema():
    """The runners trust what they are sent: every scenario of the catalogue makes a valid request."""
    import jsonschema

    from harness.catalogue import Catalogue
    from harness.catalogue.schemas import schema
    from harness.running.client import scenario_request
    from harness.running.session import SETTLE_MS_MAX

    protocol = schema("protocol")
    request = jsonschema.Draft202012Validator({"$ref": "#/$defs/request", "$defs": protocol["$defs"]})
    catalogue = Catalogue(Path(__file__).resolve().parents[1])
    sent = 0
    for pattern in catalogue.patterns():
        for snippet in pattern.snippets:
            for scenario in pattern.scenarios:
                for tick_ms in (5.0, 100.0, 1000.0):  # the range --tick-ms allows
                    payload = scenario_request(snippet.key, scenario.input, tick_ms, scenario.window, SETTLE_MS_MAX)
                    request.validate({"id": sent, **payload})
                    sent += 1
    assert sent > 1000
