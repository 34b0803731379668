"""The harness side of the runner protocol: one long-lived runner process per language.

Requests go out as JSON lines on stdin; trace lines and one terminal line per request come back on
stdout; stderr is collected and shown when a scenario does not pass. A runner that misses its
deadline is killed and started again for the next request.
"""

from __future__ import annotations

import collections
import json
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .errors import SuiteError
from .process import Launcher, RunnerProcess

STDERR_LINES_KEPT = 200


class Outcome(Enum):
    PASS = "pass"
    FAIL = "fail"
    TIMEOUT = "timeout"
    CRASH = "crash"
    PROTOCOL = "protocol error"


@dataclass
class Response:
    """What a runner answered to one request, before any comparison."""

    events: list[tuple[float, str, dict]] = field(default_factory=list)
    outcome: Outcome = Outcome.PASS  # PASS here means: the request ended normally
    message: str = ""
    stack: str = ""
    stderr: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)
    seconds: float = 0.0


class RunnerStartError(Exception):
    pass


class Runner:
    """A runner speaking the protocol of languages/README.md, in whatever process `launch` starts."""

    def __init__(self, name: str, launch: Launcher, describe: str, start_timeout: float = 60.0):
        self.name = name
        self.launch = launch
        self.describe = describe  # the command or container, for messages
        self.start_timeout = start_timeout
        self.hello: dict[str, Any] = {}
        self._proc: RunnerProcess | None = None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=STDERR_LINES_KEPT)
        self._stderr_seen = 0
        self._next_id = 1
        self._finished_ids: set[int] = set()

    # -- process lifecycle -------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        self._lines = queue.Queue()
        try:
            self._proc = self.launch()
        except (OSError, SuiteError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise RunnerStartError(f"cannot start {self.name} runner `{self.describe}`: {reason}") from None
        threading.Thread(target=self._pump_stdout, args=(self._proc, self._lines), daemon=True).start()
        self._stderr_pump = threading.Thread(target=self._pump_stderr, args=(self._proc,), daemon=True)
        self._stderr_pump.start()
        deadline = time.monotonic() + self.start_timeout
        while True:
            line = self._next_line(deadline)
            if line is None:
                if time.monotonic() < deadline:  # stdout closed: the runner is ending
                    code = self._proc.wait(timeout=10)
                    reason = _append_note(f"exited with code {code}", self._proc.exit_note())
                else:
                    reason = f"did not say hello within {self.start_timeout:g} s"
                self._drain_stderr()
                stderr = self._stderr_tail()
                self.stop()
                raise RunnerStartError(f"{self.name} runner {reason}" + (f"; its stderr:\n{stderr}" if stderr else ""))
            try:
                message = json.loads(line)
            except ValueError:
                self._stderr.append(f"[stdout before hello] {line.decode(errors='replace').rstrip()}")
                continue
            if isinstance(message, dict) and "hello" in message:
                self.hello = message["hello"]
                return

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                proc.close_stdin()
                proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
        proc.release()

    def _pump_stdout(self, proc: RunnerProcess, lines: queue.Queue) -> None:
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def _pump_stderr(self, proc: RunnerProcess) -> None:
        for line in proc.stderr:
            self._stderr.append(line.decode(errors="replace").rstrip("\n"))
            self._stderr_seen += 1

    def _drain_stderr(self) -> None:
        """Wait (briefly) until a dead runner's last stderr lines have been read."""
        if self._proc is not None and self._proc.poll() is not None:
            self._stderr_pump.join(timeout=2)

    def _next_line(self, deadline: float) -> bytes | None:
        try:
            return self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return None

    def _stderr_tail(self, since: int = 0) -> str:
        fresh = min(len(self._stderr), self._stderr_seen - since)
        return "\n".join(list(self._stderr)[-fresh:]) if fresh > 0 else ""

    # -- one request -------------------------------------------------------------------------

    def request(self, payload: dict[str, Any], deadline_s: float) -> Response:
        """Send one request and collect its answer; never raises for what the runner does."""
        if not self.alive:
            self.start()
        request_id = self._next_id
        self._next_id += 1
        stderr_mark = self._stderr_seen
        response = Response()
        started = time.monotonic()
        deadline = started + deadline_s
        try:
            self._proc.write((json.dumps({"id": request_id, **payload}) + "\n").encode())
        except OSError:
            pass  # the read loop below reports the dead runner
        while True:
            line = self._next_line(deadline)
            if line is None:
                if self.alive and time.monotonic() >= deadline:
                    response.outcome = Outcome.TIMEOUT
                    response.message = (
                        f"no answer within {deadline_s:.1f} s (window plus grace); "
                        f"the {self.name} runner was killed and will be restarted"
                    )
                    self._proc.kill()
                    response.message = _append_note(response.message, self._proc.exit_note())
                else:
                    code = self._proc.wait()
                    self._drain_stderr()
                    response.outcome = Outcome.CRASH
                    response.message = _append_note(
                        f"the {self.name} runner exited with code {code} before answering", self._proc.exit_note()
                    )
                self._proc.release()
                self._proc = None
                break
            done = self._take_line(line, request_id, response)
            if done:
                break
        self._finished_ids.add(request_id)
        response.seconds = time.monotonic() - started
        response.stderr = self._stderr_tail(stderr_mark).splitlines()
        return response

    def _take_line(self, line: bytes, request_id: int, response: Response) -> bool:
        """Fold one stdout line into the response; True when the request has ended."""
        text = line.decode(errors="replace").rstrip("\n")
        try:
            message = json.loads(text)
            if not isinstance(message, dict):
                raise ValueError
        except ValueError:
            response.outcome = Outcome.PROTOCOL
            response.message = _append(response.message, f"non-JSON line on stdout: {text[:200]!r}")
            return False
        mid = message.get("id")
        if mid != request_id or message.get("late"):
            origin = "this request" if mid == request_id else f"earlier request {mid}"
            response.leaked.append(f"{origin}: {text[:200]}")
            return False
        if "end" in message:
            if message["end"] == "error":
                response.outcome = Outcome.CRASH
                response.message = _append(response.message, str(message.get("message", "(no message)")))
                response.stack = str(message.get("stack", ""))
                response.message = _append_note(response.message, self._proc.exit_note())
            elif message["end"] != "done":
                response.outcome = Outcome.PROTOCOL
                response.message = _append(response.message, f"unknown end {message['end']!r}")
            return True
        try:
            t, ev, fields = float(message["t"]), message["ev"], message.get("fields", {})
            if not isinstance(ev, str) or not isinstance(fields, dict):
                raise TypeError
        except (KeyError, TypeError, ValueError):
            response.outcome = Outcome.PROTOCOL
            response.message = _append(response.message, f"malformed trace line: {text[:200]}")
            return False
        response.events.append((t, ev, fields))
        return False


def _append(message: str, more: str) -> str:
    return f"{message}\n{more}" if message else more


def _append_note(message: str, note: str) -> str:
    return f"{message} ({note})" if note else message
