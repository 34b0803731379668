"""The process behind a runner: a local child process, or a container (harness.docker_process).

A Runner (harness.runner) needs only this much of it: write to stdin, read stdout and stderr line by
line, ask whether it is still running, kill it, and hear why it ended.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol


class RunnerProcess(Protocol):
    stdout: Iterable[bytes]
    stderr: Iterable[bytes]

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
        """Free what the process held (pipes, a container) once it has ended."""


Launcher = Callable[[], RunnerProcess]


class LocalProcess:
    """A child process in its own session, so a kill reaches whatever it started."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str]):
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
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self._proc.kill()
        self._proc.wait()

    def exit_note(self) -> str:
        code = self._proc.returncode
        if code is not None and code < 0 and not self._killed:
            return f"killed by signal {signal.Signals(-code).name}"
        return ""

    def release(self) -> None:
        for stream in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
            try:
                stream.close()
            except OSError:
                pass


def local_launcher(argv: list[str], cwd: Path, env: dict[str, str]) -> Launcher:
    return lambda: LocalProcess(argv, cwd, env)
