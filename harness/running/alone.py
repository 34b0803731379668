"""A scenario that runs alone (`alone: true`): a fresh runner process of its own, for that one request.

The shared long-lived runner guards itself against what a snippet does with a failure nobody
observes (a rejection no one handles, a panic in a goroutine): it must serve the next scenario. A
scenario about that very failure runs instead in a runner started for it through the same launcher
(the language's build, locally or in its image), told by ASYNC_SUITE_ALONE=1 to leave the language
to itself: no guard, no recover, a normal return from main. The process may end in the middle of
the window. What comes back is its trace (each event is flushed as it is written, so the events
before a crash arrive), its exit status and its stderr after the runner's mark, which the verdict
sorts into the language's classes of output (harness.running.ending).

The wait is bounded as any other: the window plus the grace for the scenario, then a few seconds for
the process to exit once its request is over; a process that overruns is killed with its process
group (its container) and the scenario is a timeout.
"""

from __future__ import annotations

import json
import subprocess
import time

from harness.running.client import (
    EOF,
    SETTLE_SLACK_S,
    TIMEOUT,
    Fault,
    Noise,
    Response,
    Runner,
    RunnerStartError,
    json_object,
)
from harness.runtimes.runtime import Launcher

ALONE = "ASYNC_SUITE_ALONE"  # tells a runner it serves one request, in a process of its own
EXIT_AFTER_S = 5.0  # for the process to exit once its request is over (an exit hook may still run)
STDERR_DRAIN_S = 2.0  # for its last stderr lines once it has exited


class AloneRunner(Runner):
    """A runner process started for one scenario, whose ending is observed rather than prevented."""

    def __init__(self, name: str, launch: Launcher, describe: str):
        super().__init__(name, lambda env=None: launch({**(env or {}), ALONE: "1"}), describe)
        self._exit: int | None = None

    def request(self, payload: dict, deadline_s: float, label: str = "") -> Response:
        """Start the process, send it the one request, and observe it to its end; never raises for
        what the process does. `response.exit` is its exit status, None when it had to be killed."""
        response = Response()
        try:
            self.start()
        except RunnerStartError as exc:
            response.fail(Fault.EXITED, f"the {self.name} runner could not be started alone: {exc}")
            return response
        started = time.monotonic()
        request_id = self._next_id
        self._next_id += 1
        self._labels[request_id] = label
        stderr_seen = self._stderr.seen
        noise = Noise()
        deadline = started + deadline_s
        try:
            if not self._write((json.dumps({"id": request_id, **payload}) + "\n").encode(), deadline):
                response.fail(
                    Fault.NO_ANSWER, f"the {self.name} runner did not read its stdin within {deadline_s:.1f} s"
                )
            elif self._collect(request_id, response, noise, deadline, started, "end"):
                settle_s = float(payload.get("settle_ms", 0)) / 1000 + SETTLE_SLACK_S
                self._collect(request_id, response, noise, time.monotonic() + settle_s, started, "settled")
            if response.fault is None and self._exit is None:
                self._await_exit(request_id, response, noise)
        finally:
            proc = self._proc
            note = self._discard() if proc is not None else ""
        if note and response.fault is None:
            response.message = note
        if noise.kept:
            response.fail(Fault.PROTOCOL, noise.describe())
        response.exit = self._exit if response.fault is None else None
        response.seconds = time.monotonic() - started
        response.stderr, response.stderr_cut = self._stderr.since(stderr_seen)
        return response

    def _await_exit(self, request_id: int, response: Response, noise: Noise) -> None:
        """The request is over: end of stdin, then the process's exit, EXIT_AFTER_S at most; what it
        still writes on stdout meanwhile is leaked activity."""
        try:
            self._proc.close_stdin()
        except OSError:
            pass
        deadline = time.monotonic() + EXIT_AFTER_S
        while True:
            line = self._next(deadline)
            if line is TIMEOUT:
                response.fail(
                    Fault.NO_ANSWER,
                    f"the {self.name} runner did not exit within {EXIT_AFTER_S:g} s of its request's end "
                    f"(something keeps it alive); it was killed",
                )
                return
            if line is EOF:
                self._observe_exit()
                return
            message = json_object(line)
            if message is None:
                noise.add(line)
            elif message.get("id") == request_id:
                response.leaked.append(f"after it settled: {line.text()}")
            else:
                self._stray(message.get("id"), line, request_id, response)

    def _observe_exit(self) -> None:
        try:
            self._exit = self._proc.wait(timeout=EXIT_AFTER_S)
        except subprocess.TimeoutExpired:
            self._exit = None

    def _lost(self, response: Response, timed_out: bool, until: str, waited_s: float) -> None:
        """Its stdout ended before the line awaited: here that is how the scenario may end (the
        language ended the process); only a missed deadline, or stdout closed by a process that
        goes on, is a fault."""
        if not timed_out:
            self._observe_exit()
            if self._exit is None:
                response.fail(
                    Fault.PROTOCOL, f"the {self.name} runner closed its stdout but did not exit; it was killed"
                )
        elif until == "end":
            response.fail(Fault.NO_ANSWER, f"no answer within {waited_s:.1f} s (window plus grace); it was killed")
        else:
            response.fail(Fault.PROTOCOL, f"no settled line within {waited_s:.1f} s of the request; it was killed")
