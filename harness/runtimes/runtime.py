"""What the suite needs of a runtime (local toolchains, Docker images) and of the runner processes
it starts. The runner protocol client (harness.running) drives a RunnerProcess; the runtimes give
one back through Prepared.launch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from harness.catalogue.languages import Language
from harness.catalogue.spec import Snippet


class RunnerProcess(Protocol):
    stdout: BinaryIO
    stderr: BinaryIO

    def write(self, data: bytes) -> None:
        """Send bytes to stdin; OSError when the process is gone."""

    def close_stdin(self) -> None: ...

    def poll(self) -> int | None:
        """The exit code once the process has ended, else None."""

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the end (subprocess.TimeoutExpired past timeout) and give the exit code."""

    def kill(self) -> None:
        """End the process and everything it started, now."""

    def children(self) -> list[str]:
        """The processes the runner started that are still running (their command names): what a
        scenario left behind outside the runner's runtime, which no runner is asked to report."""

    def exit_note(self) -> str:
        """Why it ended, where the runtime knows more than the exit code (an OOM kill, a pid limit)."""

    def release(self) -> None:
        """Free what the process held (stdin, a container) and end whatever it left running."""


class Launcher(Protocol):
    def __call__(self, env: dict[str, str] | None = None) -> RunnerProcess:
        """Start a runner; `env` adds to its environment (ASYNC_SUITE_NO_PRELOAD, the protocol's)."""


@dataclass(frozen=True)
class Prepared:
    """A language made ready to run (by a runtime): how to start its runner, and what its build cost."""

    launch: Launcher
    describe: str  # the command or image, named in messages
    build: str  # "cached" or "built in 3.2 s"


class Runtime(Protocol):
    name: str
    notes: list[str]  # said under the run's header (what the runtime did before the run)

    def describe(self, lang: Language) -> str:
        """One header line: the exact version and where it comes from; SuiteError if unusable."""

    def image_of(self, lang: Language) -> str | None:
        """The image the language runs in, or None (a local toolchain)."""

    def prepare(self, lang: Language, snippets: list[Snippet], progress: Callable[[str], None]) -> Prepared:
        """Build the language's tree (or reuse it) and say how to start its runner."""

    def close(self) -> None:
        """Remove whatever the runtime created."""
