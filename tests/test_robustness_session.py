"""The whole harness as a hostile user meets it: bad options, bad specs, bad snippets, killed runs.

Each test runs an inner pytest session over a miniature suite root whose one language, `scripted`,
is tests/scripted_runner.py (Python only): each pattern's id is the behaviour its runner plays.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest_plugins = ["pytester"]

SCRIPT = Path(__file__).with_name("scripted_runner.py")
LANGUAGE = """\
name: scripted
title: Scripted
image: python:3.13-slim-bookworm
toolchain:
  tools: [python3]
  version:  # leaves a sentinel file: a session that probes the toolchain can be told
    - "{python3}"
    - "-c"
    - "import pathlib, platform; pathlib.Path('PROBED').touch(); print(platform.python_version())"
  version_regex: '(\\d+(?:\\.\\d+)+)'
  minimum: "3.11"
  install_hint: Install Python.
run: ["{python3}", -u, runner.py]
"""


SPEC_HEAD = """\
id: bad
title: bad
category: combinators
summary: A bad spec.
snippets:
  scripted: {file: snippet.txt}
scenarios:
  - name: s1
    expect: [[0, start]]
"""


class Suite:
    """A suite root (languages/scripted, patterns/) and inner sessions run over it."""

    def __init__(self, pytester: pytest.Pytester):
        self.pytester = pytester
        self.root = pytester.path
        template = self.root / "languages" / "scripted" / "template"
        template.mkdir(parents=True)
        (template.parent / "language.yaml").write_text(LANGUAGE)
        shutil.copy(SCRIPT, template / "runner.py")
        (self.root / "patterns").mkdir()

    def pattern(self, behaviour: str, scenarios: str = "", **extra: str) -> Path:
        """patterns/<behaviour>/pattern.yaml: one scripted snippet, and the scenarios given (YAML)."""
        folder = self.root / "patterns" / behaviour
        folder.mkdir()
        (folder / "snippet.txt").write_text("played by the scripted runner\n")
        scenarios = scenarios or "  - {name: s1, input: {}, expect: [[0, start, {op: a}], [1, result, {value: 1}]]}"
        text = f"""\
id: {behaviour}
title: {behaviour}
category: combinators
summary: The scripted runner's `{behaviour}`.
snippets:
  scripted: {{file: snippet.txt}}
scenarios:
{scenarios}
"""
        (folder / "pattern.yaml").write_text(text)
        return folder / "pattern.yaml"

    def run(self, *args: str) -> tuple[pytest.RunResult, float]:
        started = time.monotonic()
        result = self.pytester.runpytest_inprocess(*self.argv(*args))
        return result, time.monotonic() - started

    def argv(self, *args: str) -> list[str]:
        return [
            "-p",
            "harness.plugin",
            "-p",
            "no:cacheprovider",
            f"--suite-root={self.root}",
            f"--cache-dir={self.root / '.cache'}",
            "--runtime=local",
            "--jobs=1",
            "--tick-ms=50",  # the scripted runner's traces are stamped for a 50 ms tick
            "-v",
            *args,
            "patterns",
        ]


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Suite:
    # the session's own handling, unsandboxed: a sandboxed runner dies with its run, and these
    # tests share files with it (tests/test_containment.py is about the sandbox)
    monkeypatch.setenv("SANDBOX", "off")
    return Suite(pytester)


def text_of(result: pytest.RunResult) -> str:
    return result.stdout.str() + result.stderr.str()


def usage_error(suite: Suite, *args: str) -> str:
    result, seconds = suite.run(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, text_of(result)
    assert seconds < 10
    text = text_of(result)
    assert "Traceback" not in text
    assert not (suite.root / "PROBED").exists(), "a toolchain was probed for a run that cannot start"
    return result.stderr.str()


# -- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, says",
    [
        ("nan", "the tick length must be a finite number"),
        ("inf", "the tick length must be a finite number"),
        ("0", "the tick must be between 5 and 1000 ms"),
        ("-5", "the tick must be between 5 and 1000 ms"),
        ("1e-9", "the tick must be between 5 and 1000 ms"),
        ("5000", "the tick must be between 5 and 1000 ms"),
        ("fast", "argument --tick-ms: invalid float value: 'fast'"),
    ],
)
def test_a_bad_tick_is_refused_before_anything_runs(suite, value, says):
    suite.pattern("ok")
    assert says in usage_error(suite, f"--tick-ms={value}")


@pytest.mark.parametrize(
    "option, says",
    [
        ("--early-ms=-1", "at least 0 and less than half a tick (25 ms at a 50 ms tick)"),
        ("--early-ms=30", "at least 0 and less than half a tick"),
        ("--early-ms=nan", "the early tolerance must be a finite number"),
        ("--grace-s=0", "must be between 0.5 and 600"),
        ("--grace-s=-3", "must be between 0.5 and 600"),
        ("--grace-s=nan", "the grace must be a finite number"),
    ],
)
def test_a_bad_tolerance_or_grace_is_refused(suite, option, says):
    suite.pattern("ok")
    assert says in usage_error(suite, option)


@pytest.mark.parametrize(
    "option, says",
    [
        ("--pattern=nonexistent", "--pattern (PATTERN): unknown pattern(s) nonexistent; known: late, ok"),
        ("--pattern=ok,okk", "--pattern (PATTERN): unknown pattern(s) okk; known: late, ok"),
        ("--lang=cobol", "--lang (LANG): unknown language(s) cobol; known: scripted"),
        ("--lang=scripted,cobol,fortran", "--lang (LANG): unknown language(s) cobol, fortran; known: scripted"),
    ],
)
def test_every_unknown_name_is_refused_with_the_known_ones(suite, option, says):
    suite.pattern("ok")
    suite.pattern("late")
    assert says in usage_error(suite, option)


def test_a_folder_without_pattern_yaml_fails_naming_it_and_the_patterns_still_run(suite):
    suite.pattern("ok")
    (suite.root / "patterns" / "empty").mkdir()
    misnamed = suite.pattern("yml").rename(suite.root / "patterns" / "yml" / "pattern.yml")
    (suite.root / "patterns" / "__pycache__").mkdir()  # not a pattern's folder, and not a stray one
    result, _ = suite.run()
    text = text_of(result)
    result.assert_outcomes(passed=1, failed=2)
    assert f"{suite.root / 'patterns' / 'empty'}: a pattern folder without a pattern.yaml; add one" in text
    assert f"{misnamed.parent}: a pattern folder without a pattern.yaml (found pattern.yml: rename it" in text
    assert "FAILED patterns/empty::pattern.yaml" in text and "_pytest" not in text


def test_an_unknown_runtime_is_refused(suite):
    suite.pattern("ok")
    assert "invalid choice: 'podman'" in usage_error(suite, "--runtime=podman")


@pytest.mark.parametrize("value", ["bogus", "OFF", "of"])
def test_an_unknown_sandbox_setting_is_refused(suite, monkeypatch, value):
    suite.pattern("ok")
    monkeypatch.setenv("SANDBOX", value)
    assert f"SANDBOX={value!r}: choose one of auto, on, off (default auto)" in usage_error(suite)


# -- specs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, says",
    [
        ("id: [unclosed\n", "YAML syntax error"),
        ("", "the file is empty; expected a mapping"),
        ("- just\n- a list\n", "expected object"),
        ("id: bad\ntitle: t\n", "missing field"),
        (SPEC_HEAD + "    input: {a: &a [x, x], b: [*a, *a]}\n", "is used again through a YAML alias"),
        (SPEC_HEAD + "    input: {x: " + "[" * 5000 + "]" * 5000 + "}\n", "values nested too deeply"),
        (SPEC_HEAD + "    input: {when: 2024-01-01}\n", "timestamp '2024-01-01' is not JSON data"),
        (SPEC_HEAD + "    input: {ratio: .nan}\n", "10: .nan is not a finite number"),
        (SPEC_HEAD + "    input: {1: one}\n", "10: key '1' must be text; quote it"),
    ],
)
def test_a_malformed_spec_is_its_own_error_and_the_others_still_run(suite, spec, says):
    suite.pattern("ok")
    (suite.pattern("bad")).write_text(spec)
    result, seconds = suite.run()
    text = text_of(result)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1, failed=1)
    assert f"{suite.root / 'patterns' / 'bad' / 'pattern.yaml'}:" in text
    assert says in text and "Traceback" not in text and "_pytest" not in text  # no frames of pytest's either
    assert seconds < 15


def test_an_absurd_window_is_refused_with_its_file_and_line(suite):
    spec = suite.pattern("ok", "  - {name: s1, input: {}, window: 10000, expect: [[0, start, {op: a}]]}")
    result, _ = suite.run()
    result.assert_outcomes(failed=1)
    assert f"{spec}:8: scenarios[0].window: 10000 is greater than the maximum of 1000" in text_of(result)


def test_an_event_expected_beyond_any_window_is_refused(suite):
    spec = suite.pattern("ok", "  - {name: s1, input: {}, expect: [[0, start, {op: a}], [100000, result]]}")
    result, _ = suite.run()
    result.assert_outcomes(failed=1)
    assert f"{spec}:8: scenarios[0].expect[1][0]: 100000 is greater than the maximum of 999" in text_of(result)


def test_a_long_window_is_said_before_the_run_with_what_it_will_take(suite):
    spec = suite.pattern(
        "ok",
        "  - {name: s1, input: {}, window: 400, expect: [[0, start, {op: a}], [1, result, {value: 1}]]}\n"
        "  - {name: s2, input: {}, expect: [[0, start, {op: a}], [1, result, {value: 1}]]}",
    )
    result, _ = suite.run("--collect-only")
    text = text_of(result)
    assert f"[suite] warning: {spec}:8: scenario 's1' observes 400 ticks, 20 s at 50 ms a tick" in text
    assert "[suite] warning: the 2 scenarios selected observe 20 s of windows in all" in text


def test_a_missing_snippet_file_is_a_spec_error_naming_it(suite):
    spec = suite.pattern("ok")
    (spec.parent / "snippet.txt").unlink()
    result, _ = suite.run()
    result.assert_outcomes(failed=1)
    assert f"{spec}:6: snippets.scripted.file: snippet file snippet.txt does not exist" in text_of(result)


# -- runs ---------------------------------------------------------------------------------------


def test_printed_ids_run_again_when_pasted_back(suite):
    suite.pattern(
        "ok",
        "  - {name: s1, input: {}, expect: [[0, start, {op: a}], [1, result, {value: 1}]]}\n"
        "  - {name: s2, input: {}, expect: [[0, start, {op: a}], [1, result, {value: 1}]]}",
    )
    first, _ = suite.run()
    printed = [line.split(" PASSED")[0] for line in first.outlines if " PASSED" in line]
    assert printed == ["patterns/ok/pattern.yaml::ok[scripted:s1]", "patterns/ok/pattern.yaml::ok[scripted:s2]"]
    again = suite.pytester.runpytest_inprocess(*suite.argv()[:-1], printed[1])
    again.assert_outcomes(passed=1)
    assert "ok[scripted:s2] PASSED" in again.stdout.str()


def test_the_harness_own_tests_set_nothing_up(suite):
    suite.pattern("ok")
    (suite.root / "tests").mkdir()
    (suite.root / "tests" / "test_plain.py").write_text("def test_plain():\n    pass\n")
    result = suite.pytester.runpytest_inprocess(*suite.argv()[:-1], "tests")
    result.assert_outcomes(passed=1)
    assert "async suite" not in result.stdout.str()
    assert not (suite.root / "PROBED").exists(), "the toolchain was probed"
    suite.run()  # the same root running its patterns does probe: the sentinel works
    assert (suite.root / "PROBED").exists()


@pytest.mark.parametrize("t", ["NaN", "Infinity", "-1", "1e300"])
def test_an_impossible_t_is_a_protocol_error_counted_in_the_summary(suite, t):
    suite.pattern("ok")
    suite.pattern("bad_t", f"  - {{name: s1, input: {{t: '{t}'}}, expect: [[0, start, {{op: a}}]]}}")
    result, _ = suite.run()
    text = text_of(result)
    result.assert_outcomes(passed=1, failed=1)
    assert "PROTOCOL ERROR: bad_t [scripted] scenario 's1'" in text
    assert "malformed trace line (t " in text
    assert "Traceback" not in text
    assert "scripted       1/2" in text


def test_a_runner_that_cannot_restart_fails_its_scenarios_counted_in_the_summary(suite):
    suite.pattern("exit_for_good")
    suite.pattern("ok")
    result, _ = suite.run()
    text = text_of(result)
    result.assert_outcomes(failed=2)
    assert "CRASH: exit_for_good [scripted] scenario 's1'" in text
    assert (
        "the scripted runner could not be (re)started: scripted runner exited with code 2 before saying hello" in text
    )
    assert "scripted       0/2" in text and "Traceback" not in text


def test_a_leak_is_charged_to_the_scenario_that_leaked(suite):
    suite.pattern("late")
    suite.pattern("ok")
    result, _ = suite.run()
    text = text_of(result)
    result.assert_outcomes(passed=1, failed=1)
    assert "patterns/late/pattern.yaml::late[scripted:s1] FAILED" in text
    assert "PROTOCOL ERROR: late [scripted] scenario 's1'" in text
    assert "leaked activity: work the scenario started outlived its window:" in text
    assert "patterns/ok/pattern.yaml::ok[scripted:s1] PASSED" in text


def test_what_the_last_scenario_left_running_is_reported(suite):
    suite.pattern("pending")
    result, _ = suite.run()
    result.assert_outcomes(failed=1)
    assert "still running after the window: 2 goroutines" in text_of(result)


def test_activity_after_settling_is_named_in_the_summary_and_fails_the_run(suite):
    suite.pattern("later")
    suite.pattern("ok")
    result, _ = suite.run()
    text = text_of(result)
    result.assert_outcomes(passed=2)  # `later` passes its own check; `ok` is innocent
    assert "activity that outlived its scenario (fails the run)" in text
    assert "during ok[scripted:s1]: later[scripted:s1] (request 1): " in text
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_activity_after_the_last_scenario_is_named_too(suite):
    suite.pattern("late_at_exit")
    result, _ = suite.run()
    text = text_of(result)
    result.assert_outcomes(passed=1)  # it passed its own check: what came later is not lost for that
    assert "activity that outlived its scenario (fails the run)" in text
    assert 'after the last scenario: late_at_exit[scripted:s1] (request 1): {"id": 1, "t": 600.0' in text
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_a_stdout_flood_in_a_snippet_ends_by_the_deadline(suite):
    suite.pattern("flood_stdout", "  - {name: s1, input: {lines: 500000}, expect: [[0, start, {op: a}]]}")
    result, seconds = suite.run("--grace-s=2")
    text = text_of(result)
    result.assert_outcomes(failed=1)
    assert "more non-JSON lines (" in text
    assert seconds < 15 and len(text) < 30_000


def test_a_snippets_child_process_does_not_outlive_the_run(suite, tmp_path):
    pidfile = tmp_path / "child.pid"
    suite.pattern("child", f"  - {{name: s1, input: {{pidfile: '{pidfile}'}}, expect: [[0, start, {{op: a}}]]}}")
    result, seconds = suite.run()
    assert seconds < 15
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.05)
    assert not _alive(child), "the snippet's child outlived the run"


def test_build_progress_is_shown_while_it_happens_not_captured(suite, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[1]))
    language = suite.root / "languages" / "scripted" / "language.yaml"
    step = "print('compiling part one', flush=True); print('compiling part two', flush=True)"
    language.write_text(language.read_text() + f'build:\n  - ["{{python3}}", "-c", "{step}"]\n')
    suite.pattern("ok")
    result = suite.pytester.runpytest_subprocess(*suite.argv(), timeout=120)
    result.assert_outcomes(passed=1)  # a passing test's captured output is never shown
    text = result.stdout.str()
    assert "[suite] scripted: compiling part one" in text and "[suite] scripted: compiling part two" in text
    assert "Captured" not in text


def test_a_hung_build_step_is_killed_and_said(tmp_path, monkeypatch):
    from harness.runtimes import build

    monkeypatch.setattr(build, "BUILD_STEP_TIMEOUT_S", 0.5)
    lang = SimpleNamespace(name="scripted", title="Scripted")
    started = time.monotonic()
    argv = [sys.executable, "-c", "print('started', flush=True); import time; time.sleep(60)"]
    with pytest.raises(build.BuildError, match=r"was killed after 0.5 s in .*\nstarted"):
        build._run_build_step(lang, argv, tmp_path, dict(os.environ), [], lambda message: None)
    assert time.monotonic() - started < 5


def hung_run(suite: Suite) -> tuple[subprocess.Popen, int]:
    """A run (its own process) hung in a scenario; its runner's pid, once the runner started."""
    suite.pattern("hang", "  - {name: s1, input: {}, window: 2, expect: [[0, start, {op: a}]]}")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", *suite.argv("--grace-s=600")],
        cwd=suite.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pid_files = suite.root / ".cache" / "runners"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(pid_files.glob("*.json")):
        time.sleep(0.1)
    return run, int(next(pid_files.glob("*.json")).stem)


@pytest.mark.usefixtures("sigint_not_ignored")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_hung_run_ends_with_its_runner(suite, signum):
    run, runner = hung_run(suite)
    time.sleep(0.5)  # inside the hung request, or still starting the runner
    run.send_signal(signum)
    assert run.wait(timeout=10) != 0
    assert not _alive(runner)
    assert not list((suite.root / ".cache" / "runners").glob("*.json"))


def test_a_killed_runs_runner_is_killed_by_the_next_run(suite):
    run, orphan = hung_run(suite)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert _alive(orphan), "the runner should outlive a SIGKILLed run (nothing can end it)"
    (suite.root / "patterns" / "hang" / "pattern.yaml").unlink()
    shutil.rmtree(suite.root / "patterns" / "hang")
    suite.pattern("ok")
    result, _ = suite.run()
    result.assert_outcomes(passed=1)
    assert f"killed 1 runner(s) an earlier run left when it was killed: runner process {orphan}" in text_of(result)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and _alive(orphan):
        time.sleep(0.05)
    assert not _alive(orphan)


def test_in_the_sandbox_a_killed_runs_runner_dies_with_it(suite, monkeypatch):
    from harness.runtimes.sandbox import find_sandbox

    if not find_sandbox("auto").on:
        pytest.skip(find_sandbox("auto").description)
    monkeypatch.setenv("SANDBOX", "auto")
    run, runner = hung_run(suite)
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(runner):
        time.sleep(0.05)
    assert not _alive(runner), "bubblewrap's --die-with-parent should end the runner with its run"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


# -- two runs in one checkout, and outputs that cannot be written -------------------------------------


def test_two_runs_in_one_checkout_never_overwrite_each_others_results(suite):
    first, _ = hung_run(suite)  # holds .cache/results/results.json until it ends
    try:
        suite.pattern("ok")
        result, _ = suite.run("--pattern=ok")
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
    text = text_of(result)
    assert result.ret == pytest.ExitCode.OK, text
    wanted = suite.root / ".cache" / "results" / "results.json"
    mine = wanted.with_name(f"results.{os.getpid()}.json")  # an in-process run: this test's pid
    note = f"run {first.pid} is writing {wanted}, so this run writes {mine}"
    assert text.count(note) == 2  # in the header, and again at the end
    assert "outputs written elsewhere" in text
    outcomes = {e["pattern"]: e["outcome"] for e in json.loads(mine.read_text())["results"]}
    assert outcomes == {"hang": "not run", "ok": "pass"}
    assert json.loads(wanted.read_text())["run"]["exit_status"] != 0  # the first run's own, interrupted


def test_a_run_after_the_other_ended_writes_results_json_again(suite):
    suite.pattern("ok")
    for _ in range(2):  # the claim ends with its run, however it ended
        result, _ = suite.run()
        assert result.ret == pytest.ExitCode.OK, text_of(result)
        assert "is writing" not in text_of(result)
    assert (suite.root / ".cache" / "results" / "results.json").exists()
    assert not list((suite.root / ".cache" / "results").glob("results.*.json"))


def test_results_that_cannot_be_written_fail_the_run_last_and_leave_no_partial_file(suite):
    suite.pattern("ok")
    blocked = suite.root / "a-file"  # a path under a file: nobody can write it, root included
    blocked.write_text("not a folder\n")
    result, _ = suite.run(f"--results={blocked / 'results.json'}", f"--junit={suite.root / 'junit.xml'}")
    text = text_of(result)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, text
    last = text.rstrip().splitlines()
    summary = next(i for i, line in enumerate(last) if "outputs not written (fails the run)" in line)
    assert last[summary + 1].startswith(f"ERROR: cannot write results.json: {blocked / 'results.json'}: ")
    assert "1 passed" in last[-1]  # the scenario passed: only the output failed
    assert blocked.read_text() == "not a folder\n"
    assert sorted(p.name for p in suite.root.iterdir() if "partial" in p.name) == []
    assert not (suite.root / "junit.xml").exists()  # nothing written from results that were not


@pytest.mark.parametrize("option", ["--results", "--junit"])
@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_an_output_that_is_a_device_is_refused_and_left_as_it_is(suite, option, device):
    suite.pattern("ok")
    name = option.removeprefix("--").upper()
    assert f"{name}={device} is not a regular file: outputs are written as files; name a file path" in (
        usage_error(suite, f"{option}={device}")
    )
    assert Path(device).is_char_device()


def test_an_output_that_is_a_folder_is_refused_before_the_run(suite):
    suite.pattern("ok")
    folder = suite.root / "out"
    folder.mkdir()
    assert f"RESULTS={folder} is a folder: outputs are written as files" in usage_error(suite, f"--results={folder}")


def test_junit_and_results_naming_one_file_are_refused(suite):
    suite.pattern("ok")
    same = suite.root / "same.json"
    says = f"RESULTS and JUNIT both name {same}: give each output a file of its own"
    assert says in usage_error(suite, f"--results={same}", f"--junit={same}")


def test_an_interrupted_run_keeps_what_ran_and_says_it_was_interrupted(suite):
    suite.pattern("hang", "  - {name: s1, input: {}, window: 2, expect: [[0, start, {op: a}]]}")
    suite.pattern("ok")  # runs beside the hung scenario, but its item comes after it
    results, junit = suite.root / "results.json", suite.root / "junit.xml"
    argv = suite.argv("--grace-s=600", "--jobs=2", f"--results={results}", f"--junit={junit}")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.Popen([sys.executable, "-m", "pytest", *argv], cwd=suite.root, env=env, stdout=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((suite.root / ".cache" / "runners").glob("*.json"))) < 2:
        time.sleep(0.1)
    time.sleep(1.0)  # ok's scenario is over by now (its window is one 50 ms tick)
    run.send_signal(signal.SIGTERM)
    run.communicate(timeout=30)
    document = json.loads(results.read_text())
    assert document["run"]["exit_status"] == pytest.ExitCode.INTERRUPTED
    assert {e["pattern"]: e["outcome"] for e in document["results"]} == {"hang": "not run", "ok": "pass"}
    cases = {case.get("classname"): case for case in ET.parse(junit).iter("testcase")}
    assert cases["hang.scripted"].find("skipped").get("message") == "not run: the run was interrupted before it"
    assert cases["ok.scripted"].find("skipped") is None
    properties = {p.get("name"): p.get("value") for p in ET.parse(junit).iter("property")}
    assert properties["interrupted"] == "the run was interrupted"


# -- spec files that are not what they seem (probe 21: N36-N41) ----------------------------------


def _spec_error(suite: Suite, *args: str) -> str:
    result, seconds = suite.run(*args)
    text = text_of(result)
    assert result.ret == pytest.ExitCode.TESTS_FAILED, text
    assert "Traceback" not in text and "INTERNALERROR" not in text and "_pytest" not in text, text
    assert seconds < 15
    return text


def test_a_spec_symlinked_to_dev_zero_is_refused_unread(suite):
    suite.pattern("ok")
    spec = suite.pattern("zero")
    spec.unlink()
    spec.symlink_to("/dev/zero")
    # selected, it is never collected (pytest collects regular files only): refused up front
    selected = usage_error(suite, "--pattern=zero")
    assert f"--pattern (PATTERN): pattern zero cannot be run: {spec}: leads to /dev/zero, outside" in selected
    text = _spec_error(suite)  # unselected, it fails on its own (it used to hang, eating memory)
    assert f"{spec}: leads to /dev/zero, outside {spec.parent}" in text
    assert "1 failed, 1 passed" in text


@pytest.mark.parametrize("target", ["fifo", "folder"])
def test_a_spec_that_is_no_regular_file_is_refused_unread(suite, target):
    suite.pattern("ok")
    spec = suite.pattern("odd")
    spec.unlink()
    os.mkfifo(spec) if target == "fifo" else spec.mkdir()
    text = _spec_error(suite)
    says = "a FIFO" if target == "fifo" else "a folder"
    assert f"{spec}: not a regular file ({says}); the suite reads only regular files" in text


def test_a_spec_symlinked_outside_the_suite_is_refused_and_not_echoed(suite, tmp_path_factory):
    secret = tmp_path_factory.mktemp("outside") / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    suite.pattern("ok")
    spec = suite.pattern("linked")
    spec.unlink()
    spec.symlink_to(secret)
    text = _spec_error(suite)
    assert f"{spec}: leads to {secret}, outside {spec.parent}" in text
    assert "root:x:0:0" not in text


def test_a_pattern_folder_symlinked_outside_the_suite_is_refused(suite, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    suite.pattern("ext").parent.rename(outside / "ext")
    (suite.root / "patterns" / "ext").symlink_to(outside / "ext")
    suite.pattern("ok")
    text = _spec_error(suite)
    assert f"its folder ext/ leads to {outside / 'ext'}, which is not a folder of {suite.root / 'patterns'}" in text
    assert "1 failed, 1 passed" in text


def test_a_huge_spec_is_refused_after_reading_its_bound(suite):
    suite.pattern("ok")
    spec = suite.pattern("huge")
    with spec.open("a") as file:
        file.write("# " + "z" * (2 << 20) + "\n")
    assert f"{spec}: larger than 1024 KiB" in _spec_error(suite)


@pytest.mark.parametrize(
    "encode, says",
    [
        (
            lambda text: text.replace("A bad spec.", "caf\xe9").encode("latin-1"),
            "4: byte 53 (column 13) is b'\\xe9', not UTF-8",
        ),
        (lambda text: text.encode("utf-16"), "1: the file is UTF-16"),
    ],
)
def test_a_spec_not_in_utf8_is_a_spec_error_naming_where(suite, encode, says):
    suite.pattern("ok")
    spec = suite.pattern("bad")
    spec.write_bytes(encode(SPEC_HEAD + "    input: {}\n"))
    text = _spec_error(suite)
    assert f"{spec}:{says}" in text


def test_a_key_given_twice_is_refused_with_both_lines(suite):
    suite.pattern("ok")
    spec = suite.pattern("bad")
    spec.write_text(SPEC_HEAD + "    input: {}\n    window: 3\n    window: 50\n")
    text = _spec_error(suite)
    assert f"{spec}:12: key 'window' is given twice in one mapping, at lines 11 and 12" in text


def test_an_unexpected_collection_error_is_reported_not_an_internal_error(suite, monkeypatch):
    from harness.catalogue.catalogue import Catalogue

    def broken(self, id, drafts=False):
        raise RuntimeError("something nobody foresaw")

    suite.pattern("ok")
    monkeypatch.setattr(Catalogue, "pattern", broken)
    result, _ = suite.run()
    text = text_of(result)
    assert "INTERNALERROR" not in text and "takes 2 positional arguments" not in text, text
    assert "RuntimeError: something nobody foresaw" in text
    assert result.ret == pytest.ExitCode.INTERRUPTED  # pytest's own: errors during collection


@pytest.mark.parametrize(
    "option, says",
    [
        ("--pattern=,,,", "--pattern (PATTERN): ',,,' names no pattern; give names separated by commas"),
        ("--pattern= , ", "--pattern (PATTERN): ' , ' names no pattern"),
        ("--lang=,", "--lang (LANG): ',' names no language; give names separated by commas"),
    ],
)
def test_a_selection_that_names_nothing_is_refused(suite, option, says):
    suite.pattern("ok")
    suite.pattern("late")
    text = usage_error(suite, option)
    assert says in text and "known: " in text


def test_an_empty_selection_still_selects_everything(suite):
    suite.pattern("ok")
    result, _ = suite.run("--pattern=", "--lang=")
    result.assert_outcomes(passed=1)
