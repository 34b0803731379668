"""A hostile runner: whatever it does, a request ends by its deadline with a distinct outcome and a
bounded message, and the next request runs. Driven through tests/scripted_runner.py."""

import math
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from harness.running import client as runner_module
from harness.running.client import Fault, Runner, RunnerStartError
from harness.running.lines import EOF, LineQueue
from harness.running.trace import to_tick
from harness.runtimes.local import LocalProcess, local_launcher
from harness.runtimes.orphans import PidFiles

SCRIPT = Path(__file__).with_name("scripted_runner.py")
SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]


def scripted(start: str = "hello", **kwargs) -> Runner:
    argv = [sys.executable, str(SCRIPT), start]
    return Runner("scripted", local_launcher(argv, SCRIPT.parent, {}), " ".join(argv), **kwargs)


@pytest.fixture
def runner():
    r = scripted()
    r.start()
    yield r
    r.stop()


def ask(runner: Runner, key: str, deadline_s: float = 5, **input):
    return runner.request({"key": key, "scenario": "s", "input": input, "settle_ms": 20}, deadline_s)


def test_a_stdout_flood_ends_by_the_deadline_with_a_bounded_message(runner):
    response = ask(runner, "flood_stdout", deadline_s=3, lines=500_000)
    assert response.fault in (Fault.NO_ANSWER, Fault.PROTOCOL)
    assert response.seconds < 3 + runner_module.EXIT_WAIT_S + 1
    assert response.message.count("non-JSON line on stdout: 'line ") == runner_module.NOISE_LINES_KEPT
    assert "more non-JSON lines (" in response.message and len(response.message) < 10_000
    assert ask(runner, "ok").fault is None


def test_stderr_behind_stdout_is_its_request_s_up_to_the_stderr_mark(runner):
    behind = ask(runner, "stderr_behind")
    assert behind.fault is None
    assert behind.stderr == ["behind stdout"]  # waited for: the mark came 0.3 s after settled
    assert 0.3 <= behind.seconds < 0.3 + runner_module.STDERR_MARK_WAIT_S
    after = ask(runner, "ok")
    assert after.fault is None and after.stderr == []  # no mark line, no stray line


def test_a_stderr_mark_that_never_comes_costs_a_bounded_wait_and_nothing_else(runner):
    missing = ask(runner, "no_mark")
    assert missing.fault is None
    assert runner_module.STDERR_MARK_WAIT_S <= missing.seconds < runner_module.STDERR_MARK_WAIT_S + 1
    assert ask(runner, "ok").fault is None


def test_a_stderr_flood_keeps_the_tail_and_counts_the_rest(runner):
    response = ask(runner, "flood_stderr", deadline_s=20, lines=200_000)
    assert response.fault is None
    assert len(response.stderr) == runner_module.STDERR_LINES_KEPT
    assert response.stderr[-1].startswith("line  199999 ")
    assert response.stderr_cut == 200_000 - runner_module.STDERR_LINES_KEPT


def test_a_runner_that_closes_stdout_but_lives_is_killed_within_bounds(runner):
    response = ask(runner, "close_stdout", deadline_s=30)
    assert response.fault is Fault.PROTOCOL
    assert "closed its stdout before answering but kept running; it was killed" in response.message
    assert response.seconds < runner_module.EXIT_WAIT_S + 1
    assert ask(runner, "ok").fault is None


def test_a_runner_that_never_says_hello_fails_to_start_in_bounded_time():
    r = scripted("silent", start_timeout=1)
    started = time.monotonic()
    with pytest.raises(RunnerStartError, match="did not say hello within 1 s"):
        r.start()
    assert time.monotonic() - started < 3


def test_a_malformed_hello_is_a_start_error():
    with pytest.raises(RunnerStartError, match=r'said hello with \{"hello": "scripted"\}'):
        scripted("bad_hello", start_timeout=5).start()


def test_stdout_before_hello_is_kept_as_a_note_not_an_error():
    r = scripted("chatty")
    r.start()
    try:
        assert r.hello["language"] == "scripted"
    finally:
        r.stop()


def test_a_runner_that_exits_at_start_says_so_with_its_stderr():
    with pytest.raises(RunnerStartError, match="exited with code 4 before saying hello; its stderr:\ncannot start"):
        scripted("exit").start()


def test_a_runner_that_stops_reading_stdin_cannot_block_the_harness():
    r = scripted("deaf")
    r.start()
    try:
        response = r.request({"key": "ok", "input": {"blob": "z" * (4 << 20)}}, deadline_s=1)
        assert response.fault is Fault.NO_ANSWER
        assert "did not read its stdin" in response.message
        assert response.seconds < 3
    finally:
        r.stop()


def test_a_child_process_left_running_is_seen_by_the_harness_and_dies_with_the_runner(runner):
    response = ask(runner, "child")
    assert response.fault is None
    assert response.leaked[0].startswith("still running after the window: 1 child process (python")
    assert not runner.alive  # restarted for the next scenario, so the child cannot reach it
    child = int(next(line for line in response.stderr if line.startswith("child ")).split()[1])
    started = time.monotonic()
    runner.stop()
    assert time.monotonic() - started < 4
    assert _gone(child, within_s=3), f"the snippet's child {child} outlived the runner"


def test_a_runner_that_exits_while_its_child_holds_stdout_is_a_crash_at_once(runner):
    response = ask(runner, "child_then_exit", deadline_s=30)
    assert response.fault is Fault.EXITED
    assert "exited with code 3 before answering" in response.message
    assert response.seconds < 2
    assert ask(runner, "ok").fault is None


def test_a_crashed_runner_is_restarted_for_the_next_request(runner):
    assert ask(runner, "exit").fault is Fault.EXITED
    assert ask(runner, "ok").fault is None


def test_a_runner_that_cannot_be_restarted_is_a_crash_outcome_not_an_exception():
    launches = []

    def launch(env=None):
        launches.append(1)
        if len(launches) > 1:
            raise OSError(2, "No such file or directory")
        return LocalProcess([sys.executable, str(SCRIPT)], SCRIPT.parent, {})

    r = Runner("scripted", launch, "scripted runner")
    r.start()
    try:
        assert ask(r, "exit").fault is Fault.EXITED
        response = ask(r, "ok")
        assert response.fault is Fault.EXITED
        assert "could not be (re)started: cannot start scripted runner" in response.message
        assert "No such file or directory" in response.message
    finally:
        r.stop()


@pytest.mark.parametrize("t", ["NaN", "Infinity", "-Infinity", "-5", "1e300", '"12"', "true", "null"])
def test_a_trace_with_an_impossible_t_is_a_protocol_error(runner, t):
    response = ask(runner, "bad_t", t=t)
    assert response.fault is Fault.PROTOCOL
    assert response.message.startswith("malformed trace line (") and "t " in response.message
    assert response.events == []


def test_a_line_for_a_request_never_sent_is_a_protocol_error(runner):
    response = ask(runner, "unknown_id")
    assert response.fault is Fault.PROTOCOL
    assert "a line for no request sent (id 999)" in response.message


def test_a_very_long_line_is_cut_and_said(runner):
    response = ask(runner, "long_line")
    assert response.fault is Fault.PROTOCOL
    assert "a stdout line longer than 1.0 MiB was cut" in response.message
    assert len(response.message) < 1000
    assert ask(runner, "ok").fault is None


def test_a_second_end_line_is_not_taken_for_the_trace(runner):
    response = ask(runner, "double_end")
    assert response.events == []  # the trace after the first end is not part of the scenario's trace
    assert response.leaked == [
        'after the window closed: {"id": 1, "t": 50.0, "ev": "result", "fields": {"value": 1}}',
        'after the window closed: {"id": 1, "end": "done"}',
    ]


def test_an_unknown_end_and_a_malformed_settled_line_are_protocol_errors(runner):
    assert "unknown end 'finished'" in ask(runner, "wrong_end").message
    response = ask(runner, "bad_pending")
    assert response.fault is Fault.PROTOCOL and "malformed settled line" in response.message


def test_a_runner_that_never_settles_is_a_protocol_error(runner, monkeypatch):
    monkeypatch.setattr(runner_module, "SETTLE_SLACK_S", 0.5)
    response = ask(runner, "no_settled")
    assert response.fault is Fault.PROTOCOL
    assert response.message.startswith("no settled line within ")
    assert response.message.endswith("s of the request; the scripted runner was killed and will be restarted")
    assert response.seconds < 2
    assert ask(runner, "ok").fault is None


def test_a_runner_that_exits_while_settling_is_a_crash_of_that_scenario(runner):
    response = ask(runner, "exit_after_end")
    assert response.fault is Fault.EXITED
    assert "exited with code 5 after the scenario ended, before settling" in response.message


def test_a_killed_sessions_runner_is_killed_by_the_next_session(tmp_path):
    pid_files = PidFiles(tmp_path / "runners")
    orphan = LocalProcess(SLEEPER, tmp_path, {}, pid_files)
    record = next((tmp_path / "runners").glob("*.json"))
    dead = _dead_pid()
    record.write_text(record.read_text().replace(f":{os.getpid()}", f":{dead}"))
    assert pid_files.remove_orphans() == [f"runner process {orphan._proc.pid} ({' '.join(SLEEPER)})"]
    assert orphan.wait(timeout=5) == -9
    assert not list((tmp_path / "runners").iterdir())


def test_a_live_sessions_runner_is_left_alone(tmp_path):
    pid_files = PidFiles(tmp_path / "runners")
    mine = LocalProcess(SLEEPER, tmp_path, {}, pid_files)
    try:
        assert pid_files.remove_orphans() == []
        assert mine.poll() is None
    finally:
        mine.kill()
        mine.release()
    assert not list((tmp_path / "runners").glob("*.json"))


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    import subprocess

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _gone(pid: int, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for its reaper is gone too
                if stat.read().rpartition(")")[2].split()[0] == "Z":
                    return True
        except (ProcessLookupError, FileNotFoundError):
            return True
        time.sleep(0.05)
    return False


def test_lines_read_ahead_are_bounded_and_none_is_lost():
    read_end, write_end = os.pipe()
    lines = LineQueue(os.fdopen(read_end, "rb"), max_buffered=1 << 20)
    line = b"x" * (100 << 10) + b"\n"
    writer = threading.Thread(target=lambda: _write_and_close(write_end, [line] * 100), daemon=True)
    writer.start()
    writer.join(timeout=1)
    assert writer.is_alive(), "10 MiB went into a 1 MiB read-ahead: nothing held the writer back"
    got = [lines.get(timeout=5) for _ in range(101)]
    assert [len(g.data) for g in got[:100]] == [100 << 10] * 100 and got[100] is EOF


def test_a_line_longer_than_the_limit_is_cut_and_the_next_one_is_whole():
    read_end, write_end = os.pipe()
    lines = LineQueue(os.fdopen(read_end, "rb"), max_bytes=10)
    _write_and_close(write_end, [b"a" * 25 + b"\n", b"short\n"])
    first, second = lines.get(timeout=5), lines.get(timeout=5)
    assert (first.data, first.cut) == (b"a" * 10, 16)
    assert (second.data, second.cut) == (b"short", 0)


def _write_and_close(fd: int, chunks: list[bytes]) -> None:
    with os.fdopen(fd, "wb") as out:
        for chunk in chunks:
            out.write(chunk)


@pytest.mark.parametrize("depth", [900, 100_000])
def test_a_trace_nested_past_reason_is_refused_not_a_traceback(runner, depth):
    response = ask(runner, "deep", depth=depth)
    assert response.fault is Fault.PROTOCOL, response


@pytest.mark.parametrize("t", [math.nan, math.inf, -math.inf])
def test_a_t_that_is_not_a_finite_number_never_becomes_a_tick(t):
    with pytest.raises(ValueError, match="is not a finite number of milliseconds"):
        to_tick(t, 50.0, 2.0)


def test_a_snippet_that_kills_its_runner_while_loading_is_named_and_left_out_next_time():
    r = scripted("loads_bad")
    with pytest.raises(
        RunnerStartError, match="exited with code 3 before saying hello while loading the snippet 'bad'"
    ) as error:
        r.start()
    assert error.value.loading == "bad"
    r.no_preload = ["bad"]  # what the runner pool does next: start again, without preloading it
    r.start()
    try:
        assert r.hello["protocol"] == 2
    finally:
        r.stop()


def test_a_snippet_that_hangs_while_loading_is_named_within_the_load_bound(monkeypatch):
    monkeypatch.setattr(runner_module, "LOAD_TIMEOUT_S", 0.5)
    r = scripted("loads_forever")
    started = time.monotonic()
    with pytest.raises(RunnerStartError, match="did not load it within 0.5 s while loading the snippet 'slow'"):
        r.start()
    assert time.monotonic() - started < 3
