# tests/wrong_snippets/, tests/unloadable_snippets/ and tests/docker_snippets/ are miniature suites
# that test modules run in inner sessions. The harness plugin loaded by the root conftest must not
# collect them here.
"""Inner sessions: the harness run by pytest's own pytester over a miniature suite root.

A test module that uses the `inner_suite` fixture declares `pytest_plugins = ["pytester"]`.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

collect_ignore = ["wrong_snippets", "docker_snippets", "unloadable_snippets"]

REPO = Path(__file__).resolve().parents[1]
INNER_TICK_MS = 50.0  # inner sessions' tick: their fixture scenarios are a few ticks long


def make_suite_root(root: Path, patterns: Path, references: tuple[str, ...] = ()) -> None:
    """A suite root: a copy of `patterns` next to a symlink to the repository's languages/, plus
    the repository's own reference snippets named in `references` (`<pattern>/<file>`)."""
    (root / "languages").symlink_to(REPO / "languages", target_is_directory=True)
    shutil.copytree(patterns, root / "patterns", ignore=shutil.ignore_patterns("__pycache__"))
    for reference in references:
        shutil.copy2(REPO / "patterns" / reference, root / "patterns" / reference)


@pytest.fixture
def sigint_not_ignored():
    """Processes the test starts take SIGINT as Ctrl-C even when this run was started in the
    background by a shell, which makes it ignore SIGINT (a disposition that children inherit)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def short_id(nodeid: str) -> str:
    """`patterns/timeout/pattern.yaml::timeout[go:x]` as the tests name it: `patterns/timeout[go:x]`."""
    return f"patterns/{nodeid.rpartition('::')[2]}"


class TraceRecorder:
    """An inner-session plugin keeping, per item, the events its runner traced (t, ev, fields)."""

    def __init__(self):
        self.events: dict[str, list[tuple[float, str, dict]]] = {}

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_teardown(self, item):
        result = getattr(item, "result", None)
        if result is not None:
            self.events[short_id(item.nodeid)] = list(result.response.events)


class InnerRun:
    """The outcome and the terminal text of one inner session."""

    def __init__(self, result: pytest.RunResult, recorder: TraceRecorder | None = None):
        self.result = result
        self.text = result.stdout.str()
        self.traced = recorder.events if recorder is not None else {}
        reports = result.reprec.getreports("pytest_runtest_logreport")
        self.calls = {short_id(r.nodeid): r for r in reports if r.when == "call"}
        # Every item ran its call phase: nothing failed in set-up (a missing toolchain, a broken build).
        assert not [r.nodeid for r in reports if r.when != "call" and not r.passed], self.text

    def outcomes(self) -> dict[str, str]:
        return {nodeid: report.outcome for nodeid, report in self.calls.items()}

    def report(self, item: str) -> str:
        """The failure report of one item, as the terminal shows it."""
        text = self.calls[f"patterns/{item}"].longreprtext
        assert text in self.text
        return text

    def events(self, item: str) -> list[tuple[str, dict]]:
        """What the runner traced for one item, in order, without the milliseconds."""
        return [(ev, fields) for _, ev, fields in self.traced[f"patterns/{item}"]]


@pytest.fixture
def inner_suite(pytester: pytest.Pytester) -> Callable[..., Callable[..., InnerRun]]:
    """inner_suite(patterns, *options, runtime=name, references=()) copies `patterns` (and the
    reference snippets named, see make_suite_root) into a fresh suite root and
    returns run(*pytest_args), which runs an inner session of the harness over it, in this process,
    with the repository's build cache, and checks that its header names `runtime`."""

    def prepare(
        patterns: Path, *options: str, runtime: str, references: tuple[str, ...] = ()
    ) -> Callable[..., InnerRun]:
        root = pytester.path
        make_suite_root(root, patterns, references)

        def run(*args: str) -> InnerRun:
            recorder = TraceRecorder()
            # `--opt=value`: a plugin option's value given as a separate argument would be taken for a
            # test path when pytest determines the rootdir, before the plugin's options are known.
            result = pytester.runpytest_inprocess(
                "-p",
                "harness.plugin",
                f"--tick-ms={INNER_TICK_MS:g}",  # the fixtures' windows are short; options may override
                *options,
                f"--suite-root={root}",
                f"--cache-dir={REPO / '.cache'}",
                "-v",
                "patterns",
                *args,
                plugins=[recorder],
            )
            session = InnerRun(result, recorder)
            # The plugin is loaded once (by -p; no conftest of the repository is in play), and the
            # items are those of the copied suite root.
            tick = next((o.split("=", 1)[1] for o in options if o.startswith("--tick-ms=")), f"{INNER_TICK_MS:g}")
            assert session.text.count(f"async suite: runtime {runtime}, tick {tick} ms") == 1, session.text
            assert f"rootdir: {root}" in session.text
            return session

        return run

    return prepare
