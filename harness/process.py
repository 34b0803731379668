"""The process behind a runner: a local child process, or a container (harness.docker_process).

A Runner (harness.runner) needs only this much of it: write to stdin, read stdout and stderr (each
by one reader, which closes it at its end), ask whether it is still running, kill it, and hear why it
ended.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from .leftovers import PidFiles


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

    def exit_note(self) -> str:
        """Why it ended, where the runtime knows more than the exit code (an OOM kill, a pid limit)."""

    def release(self) -> None:
        """Free what the process held (stdin, a container) and end whatever it left running."""


Launcher = Callable[[], RunnerProcess]


@dataclass(frozen=True)
class Prepared:
    """A language made ready to run (by a runtime): how to start its runner, and what its build cost."""

    launch: Launcher
    describe: str  # the command or image, named in messages
    build: str  # "cached" or "built in 3.2 s"


class LocalProcess:
    """A child process leading its own process group, so a kill reaches whatever it started.

    While it runs, a pid file (harness.leftovers) names it, so that a session killed outright has
    its runners killed by the next one."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], pid_files: PidFiles | None = None):
        self._proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.stdout = self._proc.stdout
        self.stderr = self._proc.stderr
        self._killed = False
        self._pid_file = pid_files.add(self._proc.pid, " ".join(argv)) if pid_files else None

    def write(self, data: bytes) -> None:
        self._proc.stdin.write(data)
        self._proc.stdin.flush()

    def close_stdin(self) -> None:
        self._proc.stdin.close()

    def poll(self) -> int | None:
        return self._proc.poll()

    def wait(self, timeout: float | None = None) -> int:
        return self._proc.wait(timeout)

    def kill(self) -> None:
        self._killed = True
        self._kill_group()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass  # stuck in the kernel; release() tries once more

    def _kill_group(self) -> None:
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass  # nothing of the group is left

    def exit_note(self) -> str:
        code = self._proc.returncode
        if code is not None and code < 0 and not self._killed:
            return f"killed by signal {signal.Signals(-code).name}"
        return ""

    def release(self) -> None:
        # A snippet's child processes share the runner's group: they end with it, so none keeps the
        # pipes open or outlives the run. stdout and stderr are closed by their readers.
        self._kill_group()
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        if self._pid_file is not None:
            self._pid_file.unlink(missing_ok=True)


def local_launcher(argv: list[str], cwd: Path, env: dict[str, str], pid_files: PidFiles | None = None) -> Launcher:
    return lambda: LocalProcess(argv, cwd, env, pid_files)
