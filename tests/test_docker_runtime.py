"""The docker runtime through a real engine: isolation, limits, clean-up, and its error messages.

tests/docker_snippets/patterns/ is a miniature suite of python probes; the comment on the first
line of each snippet says what it probes. The tests run the harness over a copy of it, in inner
sessions with --runtime=docker and the python image images.override.yaml names (the stand-in that
`make standin-images` builds), passed as --image: the same path a user of the official images takes.

Every test here is marked `docker` and runs by `make check-docker`. Without a running engine or the
stand-in images they fail, saying what to do; they are never skipped.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import docker
import pytest

from harness.base.errors import SuiteError
from harness.catalogue.languages import load_languages
from harness.runtimes.docker.runtime import LABEL, OWNER_LABEL, Limits, connect, engine_platform
from harness.runtimes.images import OVERRIDE_FILE, read_override_file

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.docker

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).with_name("docker_snippets") / "patterns"
TO_SET_UP = "Start the Docker engine (`dockerd &` or `sudo systemctl start docker`) and run `make standin-images`."
LIMITS = Limits()  # what the runtime gives a runner container


@dataclass(frozen=True)
class Engine:
    client: object  # docker.DockerClient
    python_image: str  # the stand-in, from images.override.yaml
    platform: str  # linux/amd64


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The Docker engine and the stand-in python image, or a failure saying how to get them."""
    found = _engine()
    if isinstance(found, str):  # failed outside the except blocks: no chained tracebacks in the report
        pytest.fail(f"the docker runtime tests cannot run: {found}\n{TO_SET_UP}", pytrace=False)
    return found


def _engine() -> Engine | str:
    try:
        client = connect()
    except SuiteError as exc:
        return str(exc)
    ref = read_override_file(REPO, load_languages(REPO / "languages")).get("python")
    if not ref:
        return f"{OVERRIDE_FILE} names no python image, so there are no stand-in images to run."
    try:
        client.images.get(ref)
    except Exception as exc:  # docker.errors.ImageNotFound, or the engine went away
        return f"the stand-in image {ref} (named in {OVERRIDE_FILE}) is not in the engine: {exc}"
    return Engine(client, ref, engine_platform(client))


@pytest.fixture
def inner(inner_suite, engine: Engine):
    """run(*pytest_args, image=the stand-in): an inner docker session over a copy of the probes."""
    run = inner_suite(FIXTURES, "--runtime=docker", "--lang=python", runtime="docker")

    def run_with(*args: str, image: str = engine.python_image):
        return run(f"--image=python={image}", *args)

    return run_with


@pytest.fixture
def root(inner, pytester) -> Path:
    """The suite root `inner` runs over, for sessions started as processes of their own."""
    return pytester.path


def owner_of(pid: int) -> str:
    """The owner label the runtime puts on what a session in process `pid` creates."""
    return f"{socket.gethostname()}:{pid}"


def owned(client, owner: str) -> list[str]:
    """Every container and volume of the suite that carries this owner label."""
    selector = {"label": [LABEL, f"{OWNER_LABEL}={owner}"]}
    found = [f"container {c.name}" for c in client.containers.list(all=True, filters=selector)]
    return found + [f"volume {v.name}" for v in client.volumes.list(filters=selector)]


def assert_nothing_left(client) -> None:
    """An inner session run in this process removed everything it created."""
    assert owned(client, owner_of(os.getpid())) == []


def head(report: str) -> list[str]:
    """The first two lines: `OUTCOME: pattern [label] scenario 'name' (file)` and the message."""
    return report.splitlines()[:2]


# -- isolation -----------------------------------------------------------------------------------


def test_a_snippet_cannot_reach_the_network(inner, engine):
    run = inner("--pattern=network")
    run.result.assert_outcomes(passed=1)
    # The same code connects to the container's own loopback, then reaches each attempt, which
    # fails for want of a network: no route to a public address, no name server for a hostname.
    assert run.events("network[python:outbound_fails]") == [
        ("attempt", {"to": "loopback"}),
        ("connected", {"to": "loopback"}),
        ("attempt", {"to": "public_ip"}),
        ("connect_failed", {"to": "public_ip", "error": "OSError", "errno": "ENETUNREACH"}),
        ("attempt", {"to": "hostname"}),
        ("connect_failed", {"to": "hostname", "error": "gaierror", "errno": "EAI_AGAIN"}),
    ]
    assert_nothing_left(engine.client)


def test_the_runner_is_not_root_and_can_write_only_to_tmp(inner, engine):
    run = inner("--pattern=identity")
    run.result.assert_outcomes(passed=1)
    assert re.search(rf"^  python +.* {re.escape(engine.python_image)} .*\(from --image\)$", run.text, re.M)
    assert run.events("identity[python:who_and_where]") == [
        ("ids", {"uid": 65534, "gid": 65534, "euid": 65534, "egid": 65534}),
        ("write", {"where": "/", "result": "EROFS"}),
        ("write", {"where": "tree", "result": "EROFS"}),
        ("write", {"where": "/tmp", "result": "written"}),
    ]
    assert_nothing_left(engine.client)


# -- limits --------------------------------------------------------------------------------------


def test_a_memory_hog_is_ended_by_the_oom_killer_and_the_next_scenario_runs(inner, engine):
    run = inner("--pattern=memory")
    assert run.outcomes() == {"patterns/memory[python:hog]": "failed", "patterns/memory[python:after_hog]": "passed"}
    first, message = head(run.report("memory[python:hog]"))
    assert first.startswith("CRASH: memory [python] scenario 'hog' (")
    assert message == (
        "the python runner exited with code 137 before answering (the container hit its memory limit "
        f"({LIMITS.memory}) and the kernel's OOM killer ended it)"
    )
    assert run.events("memory[python:hog]") == []  # it never got to trace
    # A new runner container answers the next scenario.
    assert run.events("memory[python:after_hog]") == [("allocated", {"mb": 16})]
    assert_nothing_left(engine.client)


def runner_processes() -> int:
    """Processes on this machine running a python runner (a forked bomb process keeps its command line)."""
    count = 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().startswith(b"python3\0-u\0runner.py\0"):
                count += 1
        except OSError:
            pass  # ended meanwhile
    return count


def test_a_fork_bomb_is_stopped_at_the_pid_limit_and_the_next_scenario_runs(inner, engine):
    before = runner_processes()
    peak, done = [before], threading.Event()

    def watch():  # the bomb as this machine sees it
        while not done.wait(0.1):
            peak.append(runner_processes())

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.monotonic()
    try:
        run = inner("--pattern=fork_bomb", "--grace-s=2")
    finally:
        seconds = time.monotonic() - started
        done.set()
        watcher.join()
    assert run.outcomes() == {
        "patterns/fork_bomb[python:bomb]": "failed",
        "patterns/fork_bomb[python:after_bomb]": "passed",
    }
    first, message = head(run.report("fork_bomb[python:bomb]"))
    assert first.startswith("TIMEOUT: fork_bomb [python] scenario 'bomb' (")
    deadline = 1 * 50 / 1000 + 2  # one tick of window, plus the grace
    found = re.fullmatch(
        rf"no answer within {deadline:.1f} s \(window plus grace\); the python runner was killed and will be "
        rf"restarted \(the container reached its pid limit \((\d+) of {LIMITS.pids} processes and threads\): "
        r"a fork bomb or runaway thread creation was contained\)",
        message,
    )
    assert found, message
    assert int(found.group(1)) >= LIMITS.pids - 2
    assert run.events("fork_bomb[python:bomb]") == [("bomb_started", {})]
    # The restarted runner can start a process again, and the host is unharmed: it saw the bomb, never
    # beyond the limit, no bomb process survived the container, processes still start here, and the
    # session was not held up.
    assert run.events("fork_bomb[python:after_bomb]") == [("spawned", {"code": 0})]
    assert before < max(peak) <= before + LIMITS.pids, f"{before} -> {max(peak)}: is the engine on this machine?"
    assert runner_processes() <= before
    assert subprocess.run(["true"]).returncode == 0
    assert seconds < 30, seconds
    assert_nothing_left(engine.client)


# -- clean-up after a session that was killed ------------------------------------------------------


def start_session(root: Path, image: str, log: Path, *args: str, **environ: str) -> subprocess.Popen:
    """An inner docker session in its own process, as `make test RUNTIME=docker` starts one."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **environ}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "harness.plugin",
        "-p",
        "no:cacheprovider",
        "--runtime=docker",
        "--lang=python",
        f"--image=python={image}",
        f"--suite-root={root}",
        f"--cache-dir={REPO / '.cache'}",
        "-v",
        "patterns",
        *args,
    ]
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_until_running_a_scenario(client, proc: subprocess.Popen, log: Path) -> None:
    """Until the session's runner container runs (it starts for the first scenario), and a little more."""
    selector = {"label": [LABEL, f"{OWNER_LABEL}={owner_of(proc.pid)}"], "status": "running"}
    deadline = time.monotonic() + 120
    while not any("runner.py" in c.attrs["Config"]["Cmd"] for c in client.containers.list(filters=selector)):
        assert proc.poll() is None, f"the session ended before its runner started:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"no runner container after 120 s:\n{log.read_text()}"
        time.sleep(0.2)
    time.sleep(1.0)  # the runner says hello and takes the request: the scenario is under way


@pytest.mark.usefixtures("sigint_not_ignored")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_session_interrupted_midway_removes_its_containers_and_volume(root, engine, tmp_path, signum):
    log = tmp_path / "session.log"
    proc = start_session(root, engine.python_image, log, "--pattern=slow")
    try:
        wait_until_running_a_scenario(engine.client, proc, log)
        owner = owner_of(proc.pid)
        assert any(name.startswith("volume ") for name in owned(engine.client, owner))
        signalled = time.monotonic()
        proc.send_signal(signum)
        code = proc.wait(timeout=60)
        seconds = time.monotonic() - signalled
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = log.read_text()
    # The scenario had about 9 s to go: the session was cut short, and cleaned up without delay.
    assert seconds < 8 and "PASSED" not in text, (seconds, text)
    assert code == pytest.ExitCode.INTERRUPTED, text
    assert "KeyboardInterrupt" in text
    if signum == signal.SIGTERM:
        assert "signal SIGTERM" in text
    assert owned(engine.client, owner) == []


def test_what_a_killed_session_left_is_removed_when_the_next_one_starts(inner, root, engine, tmp_path):
    log = tmp_path / "session.log"
    proc = start_session(root, engine.python_image, log, "--pattern=slow")
    try:
        wait_until_running_a_scenario(engine.client, proc, log)
        owner = owner_of(proc.pid)
    finally:
        proc.kill()  # SIGKILL: nothing runs to clean up
        proc.wait()
    left = owned(engine.client, owner)
    assert sum(name.startswith("volume ") for name in left) == 1, left
    assert any(name.startswith("container ") for name in left), left

    run = inner("--pattern=quick")  # the next docker session
    run.result.assert_outcomes(passed=1)
    found = re.search(r"^  removed (\d+) leftover\(s\) of an earlier run that was killed: (.+)$", run.text, re.M)
    assert found, run.text
    removed = found.group(2).split(", ")
    assert int(found.group(1)) == len(removed)
    assert set(left) <= set(removed)  # (with whatever else a dead session left)
    assert owned(engine.client, owner) == []
    assert_nothing_left(engine.client)


# -- clear errors ----------------------------------------------------------------------------------


@pytest.fixture
def dead_docker_host():
    """DOCKER_HOST for a socket nobody listens on (bound, never listening: a stale engine socket)."""
    with tempfile.TemporaryDirectory(prefix="suite-") as folder:  # short: socket paths are limited
        path = Path(folder) / "docker.sock"
        with socket.socket(socket.AF_UNIX) as stale:
            stale.bind(str(path))
            yield f"unix://{path}"


def test_without_an_engine_docker_is_a_usage_error_naming_the_address(root, engine, dead_docker_host, tmp_path):
    log = tmp_path / "session.log"
    proc = start_session(root, engine.python_image, log, DOCKER_HOST=dead_docker_host)
    code = proc.wait(timeout=60)
    text = log.read_text()
    assert code == pytest.ExitCode.USAGE_ERROR, text
    (line,) = [line for line in text.splitlines() if line.startswith("ERROR: ")]
    assert line.startswith(f"ERROR: no Docker engine answers at {dead_docker_host} (")
    assert line.endswith(
        "Start it (`sudo systemctl start docker`, or `dockerd &`), point DOCKER_HOST at one, or run with RUNTIME=local."
    )
    assert "Traceback" not in text and 'File "' not in text


def test_without_an_engine_auto_falls_back_to_local_and_says_why(inner_suite, engine, monkeypatch, dead_docker_host):
    monkeypatch.setenv("DOCKER_HOST", dead_docker_host)
    run = inner_suite(FIXTURES, "--runtime=auto", "--lang=python", runtime="local")("--pattern=quick")
    run.result.assert_outcomes(passed=1)
    why = rf"^  auto: local, because no Docker engine answers at {re.escape(dead_docker_host)} \("
    assert re.search(why, run.text, re.M), run.text
    assert re.search(r"^  python +python3 \S+ +/", run.text, re.M)  # a local toolchain


def test_auto_names_the_images_it_cannot_pull_in_one_line(inner_suite, engine):
    missing = ["async-suite-missing/python:0", "async-suite-missing/javascript:0"]
    run = inner_suite(FIXTURES, "--runtime=auto", "--lang=python,javascript", runtime="local")(
        "--pattern=quick", f"--image=python={missing[0]}", f"--image=javascript={missing[1]}"
    )
    run.result.assert_outcomes(passed=1)
    (why,) = [line for line in run.text.splitlines() if line.startswith("  auto: local, because ")]
    listed = re.match(r"  auto: local, because these images are not present and cannot be pulled: (.*?) \(", why)
    assert listed and sorted(listed[1].split(", ")) == sorted(missing), why
    assert why.endswith("`make standin-images` builds local stand-ins.")
    assert why.count("cannot be pulled") == 1, why


def test_a_missing_image_that_cannot_be_pulled_is_named_with_what_to_do(inner, engine):
    missing = "async-suite-missing/python:0"
    with pytest.raises(docker.errors.ImageNotFound):
        engine.client.images.get(missing)
    run = inner("--pattern=quick", image=missing)
    run.result.assert_outcomes(failed=1)
    report = run.report("quick[python:one_tick]")
    assert report.startswith(f"python: Python: image {missing} (from --image) is not present and cannot be pulled (")
    assert report.endswith(
        "Pull it where a registry is reachable, set SUITE_IMAGE_PYTHON to a mirror, or build local stand-ins with "
        "`make standin-images`."
    )
    assert f"  python      NOT AVAILABLE: Python: image {missing} (from --image) is not present" in run.text
    assert_nothing_left(engine.client)


def image_archive(tag: str, architecture: str) -> bytes:
    """A `docker load` archive of a one-file image whose config says `architecture`."""

    def tar(files: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as archive:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size, info.mode = len(data), 0o644
                archive.addfile(info, io.BytesIO(data))
        return buffer.getvalue()

    layer = tar({"probe.txt": b"an image for another platform\n"})
    layer_id = hashlib.sha256(layer).hexdigest()
    config = json.dumps(
        {
            "architecture": architecture,
            "os": "linux",
            "config": {"Cmd": ["/probe"]},
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:{layer_id}"]},
        }
    ).encode()
    config_id = hashlib.sha256(config).hexdigest()
    manifest = [{"Config": f"{config_id}.json", "RepoTags": [tag], "Layers": [f"{layer_id}/layer.tar"]}]
    return tar(
        {
            "manifest.json": json.dumps(manifest).encode(),
            f"{config_id}.json": config,
            f"{layer_id}/layer.tar": layer,
        }
    )


def test_an_image_for_another_platform_names_both_platforms(inner, engine):
    architecture = "arm64" if engine.platform != "linux/arm64" else "amd64"
    tag = f"async-suite-test/other-platform:{architecture}-{os.getpid()}"
    engine.client.images.load(image_archive(tag, architecture))
    try:
        assert engine.client.images.get(tag).attrs["Architecture"] == architecture
        run = inner("--pattern=quick", image=tag)
    finally:
        engine.client.images.remove(tag, force=True)
    run.result.assert_outcomes(failed=1)
    report = run.report("quick[python:one_tick]")
    assert report == (
        f"python: Python: image {tag} is built for linux/{architecture}, but the engine runs {engine.platform}. "
        f"Pull the {engine.platform} variant (docker pull --platform {engine.platform} {tag}) "
        f"or set SUITE_IMAGE_PYTHON to an image for this platform."
    )
    assert_nothing_left(engine.client)


def test_an_image_that_does_not_hold_what_its_tag_names_is_refused(inner, engine):
    tag = f"async-suite-test/python:2.7-{os.getpid()}"  # the stand-in, under a tag naming Python 2.7
    engine.client.images.get(engine.python_image).tag(tag)
    try:
        run = inner("--pattern=quick", image=tag)
    finally:
        engine.client.images.remove(tag)
    run.result.assert_outcomes(failed=1)
    report = run.report("quick[python:one_tick]")
    assert re.fullmatch(
        rf"python: Python: image {re.escape(tag)} names python3 2\.7 in its tag, but holds python3 3\.\d+\.\d+: "
        r"an image must hold what its tag names\. Rebuild it \(a stand-in: make standin-images\) or name an "
        r"image that holds 2\.7 \(set SUITE_IMAGE_PYTHON\)\.",
        report,
    ), report
    assert_nothing_left(engine.client)
