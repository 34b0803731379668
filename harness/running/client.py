"""The harness side of the runner protocol (version 2): one long-lived runner process per language.

Runners are thin testees; the protocol's knowledge is here. Requests go out as JSON lines on stdin,
each valid against harness/schemas/protocol.schema.json (the harness's own tests hold it to that).
For each, trace lines and one end line come back on stdout; then, once the runner has kept its
runtime alive up to `settle_ms` longer, one settled line naming what the scenario left running
inside the runtime. What the runner started outside it (child processes) the harness looks for
itself, through the runner's process group or container. Every line that comes back is checked
here. stderr is kept (its tail) and shown when a scenario does not pass.

Every wait has a deadline and every buffer a size (harness.running.lines): whatever a runner does, a request
ends by its deadline. A runner that misses one is killed, with whatever it started, and started again
for the next request.
"""

from __future__ import annotations

import json
import math
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any

import jsonschema

from harness.base.errors import SuiteError
from harness.base.text import printable
from harness.catalogue.schemas import schema
from harness.running.lines import EOF, MAX_LINE_BYTES, Line, LineQueue, LineTail
from harness.runtimes.runtime import Launcher, RunnerProcess

STDERR_LINES_KEPT = 200
NOISE_LINES_KEPT = 20  # stray stdout lines quoted in a message; the rest are counted
STDERR_MARK_WAIT_S = 2.0  # for a request's stderr mark, once its settled line came
SETTLE_SLACK_S = 5.0  # beyond settle_ms, for the runner to look for what is still running
EXIT_WAIT_S = 2.0  # for a runner whose stdout ended to exit
EXIT_POLL_S = 0.2  # how often a wait for a line looks whether the runner has exited
MAX_FIELDS_DEPTH = 32  # a trace's fields are small JSON values; deeper ones would break their comparison
TIMEOUT = object()  # what _next gives when the deadline passed
PROTOCOL_VERSION = 2  # what a runner's hello must name (languages/README.md, Runner protocol)
CHILDREN_POLL_S = 0.005  # how often, while settling, the harness looks again for child processes
NO_PRELOAD = "ASYNC_SUITE_NO_PRELOAD"  # snippets a runner loads only when asked for them
LOAD_TIMEOUT_S = 20.0  # for a starting runner to load one snippet (its `loading` line to the next line)
STOP_DRAIN_S = 2.0  # for the last lines of a runner asked to end
PROBE_S = 5.0  # for a runner to answer the probe after a scenario (languages/README.md, The harness's side)
PROBE = {"key": "", "input": None, "tick_ms": 1, "window": 0, "settle_ms": 0}  # a key no runner knows


class Fault(Enum):
    """What went wrong in one exchange, as the client saw it (harness.running.verdict judges it)."""

    NO_ANSWER = "no answer in time"  # the request was not taken, or no end line came by the deadline
    RAISED = "the snippet raised"  # end: error
    EXITED = "the runner ended"  # it exited, or could not be (re)started
    PROTOCOL = "protocol fault"  # a line that breaks the protocol, or activity left behind


@dataclass
class Response:
    """What a runner answered to one request, before any comparison."""

    events: list[tuple[float, str, dict]] = field(default_factory=list)
    fault: Fault | None = None  # None: the request ended normally (its trace is still to be judged)
    message: str = ""
    stack: str = ""
    stderr: list[str] = field(default_factory=list)
    stderr_cut: int = 0  # stderr lines of this request that were not kept
    leaked: list[str] = field(default_factory=list)  # what this request left running or traced too late
    left_running: bool = False  # the runner named work still running after it settled
    strays: list[str] = field(default_factory=list)  # lines of earlier requests that came during this one
    seconds: float = 0.0
    exit: int | None = None  # a runner run alone (harness.running.alone): its exit status

    def fail(self, fault: Fault, message: str) -> None:
        """Record a problem; the first one is the fault, every one is said."""
        if self.fault is None:
            self.fault = fault
        self.message = f"{self.message}\n{message}" if self.message else message


@dataclass
class Noise:
    """Non-JSON lines on stdout during one request: the first few quoted, the rest counted."""

    kept: list[str] = field(default_factory=list)
    more_lines: int = 0
    more_bytes: int = 0

    def add(self, line: Line) -> None:
        if len(self.kept) < NOISE_LINES_KEPT:
            self.kept.append(repr(line.text()))
        else:
            self.more_lines += 1
            self.more_bytes += len(line.data) + line.cut + 1

    def describe(self) -> str:
        lines = [f"non-JSON line on stdout: {text}" for text in self.kept]
        if self.more_lines:
            lines.append(f"... and {self.more_lines} more non-JSON lines ({_size(self.more_bytes)}), not shown")
        return "\n".join(lines)


def scenario_request(key: str, input: Any, tick_ms: float, window: int, settle_ms: float) -> dict[str, Any]:
    """The request of one scenario, as harness/schemas/protocol.schema.json describes it (without
    its id, which the client numbers)."""
    return {"key": key, "input": input, "tick_ms": tick_ms, "window": window, "settle_ms": settle_ms}


class RunnerStartError(Exception):
    def __init__(self, message: str, loading: str | None = None, ended: bool = False):
        super().__init__(message)
        self.loading = loading  # the snippet it was loading when it failed, if it said so
        self.ended = ended  # it ended before its hello (rather than hanging or saying something else)


class Runner:
    """A runner speaking the protocol of languages/README.md, in whatever process `launch` starts."""

    def __init__(self, name: str, launch: Launcher, describe: str, start_timeout: float = 60.0):
        self.name = name
        self.launch = launch
        self.describe = describe  # the command or container, for messages
        self.start_timeout = start_timeout
        self.hello: dict[str, Any] = {}
        self._proc: RunnerProcess | None = None
        self._stdout: LineQueue | None = None
        self._stderr: LineTail | None = None
        self._next_id = 1
        self._labels: dict[int, str] = {}  # request id -> what it ran, to name it in messages
        # Snippets the runner must not load before its hello: one of them broke an earlier start.
        self.no_preload: list[str] = []
        self._loading: str | None = None  # the snippet a starting runner said it is loading
        self._ended = False  # whether a starting runner ended before its hello

    # -- process lifecycle -------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        self._loading, self._ended = None, False
        try:
            self._proc = self.launch({NO_PRELOAD: ",".join(self.no_preload)} if self.no_preload else None)
        except (OSError, SuiteError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise RunnerStartError(f"cannot start {self.name} runner `{self.describe}`: {reason}") from None
        self._stdout = LineQueue(self._proc.stdout)
        self._stderr = LineTail(self._proc.stderr, keep=STDERR_LINES_KEPT)
        try:
            reason = self._await_hello()
        except BaseException:  # Ctrl-C or SIGTERM while it starts: it ends with the run, unnamed
            self._discard()
            raise
        if reason is None:
            return
        note = self._discard()
        stderr = "\n".join(self._stderr.since(0)[0])
        if self._loading is not None:
            reason = f"{reason} while loading the snippet {self._loading!r}"
        raise RunnerStartError(
            f"{self.name} runner {_with_note(reason, note)}" + (f"; its stderr:\n{stderr}" if stderr else ""),
            loading=self._loading,
            ended=self._ended,
        )

    def _await_hello(self) -> str | None:
        """Read up to the hello line; None once it came, else why it did not."""
        deadline = loaded_by = time.monotonic() + self.start_timeout
        while True:
            line = self._next(min(deadline, loaded_by))
            if line is TIMEOUT:
                if time.monotonic() < deadline:
                    return f"did not load it within {LOAD_TIMEOUT_S:g} s"
                return f"did not say hello within {self.start_timeout:g} s"
            if line is EOF:
                self._ended = True
                return self._ended_reason("before saying hello")[0]
            message = json_object(line)
            if message is not None and isinstance(message.get("loading"), str) and len(message) == 1:
                self._loading, loaded_by = message["loading"], time.monotonic() + LOAD_TIMEOUT_S
                continue
            if message is None or "hello" not in message:
                self._stderr.add(f"[stdout before hello] {line.text()}")
                continue
            if not isinstance(message["hello"], dict):
                return f'said hello with {line.text()}; expected {{"hello": {{...}}}}'
            version = message["hello"].get("protocol")
            if version == PROTOCOL_VERSION and (problem := _invalid(message, "hello")):
                return f"said hello with {line.text()}: {problem}"
            if version != PROTOCOL_VERSION:
                return (
                    f"speaks protocol {version if version is not None else 1}, and this harness speaks "
                    f"protocol {PROTOCOL_VERSION} (languages/README.md): its runner template is older or newer "
                    f"than the harness; update languages/{self.name}/ and the harness together"
                )
            self.hello = message["hello"]
            # its stderr mark came just before: what it wrote while starting is not a request's
            self._stderr.wait_marks(1, STDERR_MARK_WAIT_S)
            return None

    def stop(self) -> list[str]:
        """End the runner: end of stdin asks it to exit; whatever is left of it is killed. What it
        still wrote after its last request settled is returned: a scenario's activity that outlived
        it, which no later scenario was there to see."""
        proc = self._proc
        if proc is None:
            return []
        if proc.poll() is None:
            try:
                proc.close_stdin()
                proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        late: list[str] = []
        deadline = time.monotonic() + STOP_DRAIN_S
        while len(late) < NOISE_LINES_KEPT and isinstance(line := self._next(deadline), Line):
            mid = (json_object(line) or {}).get("id")
            label = self._labels.get(mid) if isinstance(mid, int) and not isinstance(mid, bool) else None
            late.append(f"{label} (request {mid}): {line.text()}" if label else f"stray output: {line.text()}")
        self._discard()
        return late

    def _discard(self) -> str:
        """Kill the runner and what it started, free what it held; why it ended, where known."""
        proc, self._proc = self._proc, None
        if proc is None:  # already discarded, by another thread in a cancelled run
            return ""
        if proc.poll() is None:
            proc.kill()
        note = proc.exit_note()
        proc.release()
        self._stdout.abandon()
        self._stderr.finish(timeout=2)  # its last lines, now that it is gone
        return note

    def _ended_reason(self, when: str) -> tuple[str, bool]:
        """Why stdout ended, and whether the runner exited (else it closed stdout and went on, and is
        killed by the caller)."""
        try:
            return f"exited with code {self._proc.wait(timeout=EXIT_WAIT_S)} {when}", True
        except subprocess.TimeoutExpired:
            return f"closed its stdout {when} but kept running; it was killed", False

    def _next(self, deadline: float) -> Line | None | object:
        """The next stdout line, EOF when stdout ended or the runner exited, or TIMEOUT once the
        deadline has passed (checked first: a runner flooding stdout does not get past its deadline).
        A runner's exit is looked at too: a process it started may hold its stdout open."""
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                return self._stdout.get(min(remaining, EXIT_POLL_S))
            except queue.Empty:
                proc = self._proc  # None once stopped by another thread (a cancelled run)
                if proc is None or proc.poll() is not None:
                    try:  # what it wrote before it exited is read by now, or in a moment
                        return self._stdout.get(EXIT_POLL_S)
                    except queue.Empty:
                        return EOF
        return TIMEOUT

    def _write(self, data: bytes, deadline: float) -> bool:
        """Write to the runner's stdin; False if it did not take the bytes by the deadline."""
        proc, done = self._proc, threading.Event()

        def write() -> None:
            try:
                proc.write(data)
            except (OSError, ValueError):
                pass  # a dead runner: reading its stdout says how it ended
            finally:
                done.set()

        threading.Thread(target=write, daemon=True).start()
        return done.wait(max(0.0, deadline - time.monotonic()))

    # -- one request -------------------------------------------------------------------------

    def request(self, payload: dict[str, Any], deadline_s: float, label: str = "") -> Response:
        """Send one request and collect its answer until the runner has settled; never raises for
        what the runner does. `payload` carries settle_ms, how long the runner watches after the end;
        `label` names the request where its activity turns up during a later one."""
        response = Response()
        if not self.alive:
            restarting = time.monotonic()
            try:
                if self._proc is not None:
                    self._discard()
                self.start()
            except RunnerStartError as exc:
                response.fail(Fault.EXITED, f"the {self.name} runner could not be (re)started: {exc}")
                response.seconds = time.monotonic() - restarting
                return response
        # the deadline counts from here: a (re)start, a JVM or a container, is not the scenario's time
        started = time.monotonic()
        request_id = self._next_id
        self._next_id += 1
        self._labels[request_id] = label or f"{payload.get('key')}:{payload.get('scenario')}"
        stderr_seen, marks_seen = self._stderr.seen, self._stderr.marks
        noise = Noise()
        deadline = started + deadline_s
        if not self._write((json.dumps({"id": request_id, **payload}) + "\n").encode(), deadline):
            note = self._discard()
            response.fail(
                Fault.NO_ANSWER,
                _with_note(
                    f"the {self.name} runner did not read its stdin (the request could not be written within "
                    f"{deadline_s:.1f} s); it was killed and will be restarted",
                    note,
                ),
            )
        elif self._collect(request_id, response, noise, deadline, started, "end"):
            settle_s = float(payload.get("settle_ms", 0)) / 1000 + SETTLE_SLACK_S
            if self._collect(request_id, response, noise, time.monotonic() + settle_s, started, "settled"):
                self._await_children(response, float(payload.get("settle_ms", 0)) / 1000)
                if self._probe(request_id, response, noise):
                    self._stderr.wait_marks(marks_seen + 2, STDERR_MARK_WAIT_S)
        if response.left_running and self._proc is not None:
            # work the scenario left running would trace into the next request under its id
            self._discard()
            response.leaked.append(f"the {self.name} runner was restarted, so that work cannot reach the next scenario")
        if noise.kept:
            response.fail(Fault.PROTOCOL, noise.describe())
        response.seconds = time.monotonic() - started
        response.stderr, response.stderr_cut = self._stderr.since(stderr_seen)
        return response

    def _probe(self, request_id: int, response: Response, noise: Noise) -> bool:
        """Ask a runner that has just settled a request for a key it cannot know, and expect its
        refusal: a runner the scenario broke (it closed or replaced stdin or stdout, or it ends the
        process a moment later) is then charged to that scenario, never to the next one. A trace of
        the scenario that comes meanwhile is its leaked activity. Whether the runner answered."""
        if self._proc is None or response.left_running:
            return False  # killed, or about to be restarted: nothing to ask
        probe_id = self._next_id
        self._next_id += 1
        self._labels[probe_id] = "the probe after a scenario"
        deadline = time.monotonic() + PROBE_S
        said, broke = None, ""
        if not self._write((json.dumps({"id": probe_id, **PROBE}) + "\n").encode(), deadline):
            broke = f"did not read its stdin within {PROBE_S:g} s"
        while not broke:
            line = self._next(deadline)
            if line is TIMEOUT:
                broke = f"did not answer within {PROBE_S:g} s"
            elif line is EOF:
                broke = self._ended_reason("")[0].strip()
            elif (message := json_object(line)) is None:
                noise.add(line)
            elif message.get("id") == request_id and not isinstance(request_id, bool):
                response.leaked.append(f"after it settled: {line.text()}")
            elif message.get("id") != probe_id:
                self._stray(message.get("id"), line, request_id, response)
            elif "end" in message:
                said = message
            elif "settled" in message:
                if said is not None and said.get("end") == "error":
                    return True
                broke = f"answered the probe with {said} instead of a refusal"
        response.fail(
            Fault.EXITED,
            _with_note(
                f"the {self.name} runner {broke} once this scenario had settled: the scenario broke its runner "
                "(closed or replaced its stdin or stdout, or ended it); the runner was restarted",
                self._discard(),
            ),
        )
        return False

    def _await_children(self, response: Response, settle_s: float) -> None:
        """Child processes the scenario started and left running: looked for until there are none,
        `settle_s` at most (a pool shutting down may take a moment), and named as leaked activity."""
        deadline = time.monotonic() + settle_s
        while (children := self._proc.children()) and time.monotonic() < deadline:
            time.sleep(CHILDREN_POLL_S)
        if children:
            response.leaked.append(
                f"still running after the window: {_plural(len(children), 'child process')} "
                f"({', '.join(children[:3])}{', ...' if len(children) > 3 else ''})"
            )
            response.left_running = True

    def _collect(
        self, request_id: int, response: Response, noise: Noise, deadline: float, started: float, until: str
    ) -> bool:
        """Read stdout until the request's `until` line ("end" or "settled"); False if it never came
        (the runner timed out or ended, which `response` then says)."""
        while True:
            line = self._next(deadline)
            if line is TIMEOUT or line is EOF:
                # rounded: started + s - started is not always s, and messages name the seconds given
                self._lost(response, line is TIMEOUT, until, round(deadline - started, 6))
                return False
            if line.cut:
                size = _size(len(line.data) + line.cut)
                response.fail(
                    Fault.PROTOCOL,
                    f"a stdout line longer than {_size(MAX_LINE_BYTES)} was cut ({size}): {line.text()}",
                )
                continue
            message = json_object(line)
            if message is None:
                noise.add(line)
                continue
            mid = message.get("id")
            if mid != request_id or isinstance(mid, bool):
                self._stray(mid, line, request_id, response)
            elif until == "end" and "end" in message:
                self._take_end(message, response)
                return True
            elif until == "settled" and "settled" in message:
                self._take_settled(message, line, response)
                return True
            elif until == "settled" or message.get("late"):
                response.leaked.append(f"after the window closed: {line.text()}")
            elif "settled" in message:
                response.fail(Fault.PROTOCOL, f"a settled line before the end line: {line.text()}")
            else:
                self._take_trace(message, line, response, (time.monotonic() - started) * 1000)

    def _lost(self, response: Response, timed_out: bool, until: str, waited_s: float) -> None:
        """The runner did not send the line awaited: it missed the deadline, or its stdout ended."""
        if timed_out:
            if until == "end":
                fault, reason = Fault.NO_ANSWER, f"no answer within {waited_s:.1f} s (window plus grace)"
            else:  # the protocol's last line of a request never came
                fault, reason = Fault.PROTOCOL, f"no settled line within {waited_s:.1f} s of the request"
            reason = f"{reason}; the {self.name} runner was killed and will be restarted"
        else:
            when = "before answering" if until == "end" else "after the scenario ended, before settling"
            reason, exited = self._ended_reason(when)
            reason = f"the {self.name} runner {reason}"
            fault = Fault.EXITED if exited else Fault.PROTOCOL
        response.fail(fault, _with_note(reason, self._discard()))

    def _stray(self, mid: Any, line: Line, request_id: int, response: Response) -> None:
        """A line of another request: an earlier one's activity is its own, never this one's trace."""
        if isinstance(mid, int) and not isinstance(mid, bool) and mid in self._labels and mid < request_id:
            response.strays.append(f"{self._labels[mid]} (request {mid}): {line.text()}")
        else:
            response.fail(Fault.PROTOCOL, f"a line for no request sent (id {mid!r}): {line.text()}")

    def _take_end(self, message: dict, response: Response) -> None:
        if message["end"] == "error":
            # where the runtime knows more (a container at its pid limit), say it with the error
            text = printable(str(message.get("message", "(no message)")))
            response.fail(Fault.RAISED, _with_note(text, self._proc.exit_note()))
            response.stack = printable(str(message.get("stack", "")))
        elif message["end"] != "done":
            response.fail(Fault.PROTOCOL, f"unknown end {message['end']!r}; expected done or error")

    def _take_settled(self, message: dict, line: Line, response: Response) -> None:
        pending = message.get("pending")
        if not isinstance(pending, list) or not all(isinstance(p, str) for p in pending):
            response.fail(Fault.PROTOCOL, f"malformed settled line (pending must be a list of text): {line.text()}")
            return
        response.leaked.extend(f"still running after the window: {p}" for p in pending)
        response.left_running = response.left_running or bool(pending)

    def _take_trace(self, message: dict, line: Line, response: Response, elapsed_ms: float) -> None:
        t, ev, fields = message.get("t"), message.get("ev"), message.get("fields", {})
        problem = ""
        if not isinstance(ev, str) or not ev or not isinstance(fields, dict):
            problem = "expected {id, t, ev, fields} with ev a non-empty text and fields an object"
        elif _depth(fields) > MAX_FIELDS_DEPTH:
            problem = f"fields nest deeper than {MAX_FIELDS_DEPTH} levels"
        elif not isinstance(t, (int, float)) or isinstance(t, bool):
            problem = "t must be a number (milliseconds since the scenario started)"
        elif not math.isfinite(t) or t < 0:
            problem = f"t is {t}; it must be a finite, non-negative number of milliseconds"
        elif not _is_text(message):
            problem = "it holds text that is not Unicode (a lone surrogate)"
        elif t > elapsed_ms + 1000:
            problem = f"t is {t:g} ms, later than the {elapsed_ms:.0f} ms this request has run"
        if problem:
            response.fail(Fault.PROTOCOL, f"malformed trace line ({problem}): {line.text()}")
        else:
            response.events.append((float(t), ev, fields))


def json_object(line: Line) -> dict | None:
    if not line.data.lstrip().startswith(b"{"):
        return None  # cheap for a flood of plain text
    try:
        message = json.loads(line.data)
    except (ValueError, RecursionError):  # not JSON, or nested past what a parser follows
        return None
    return message if isinstance(message, dict) else None


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a JSON value (without recursion: it may be very deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


@cache
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    protocol = schema("protocol")
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": protocol["$defs"]})


def _invalid(message: dict, kind: str) -> str | None:
    """What makes `message` no valid line of `kind` (harness/schemas/protocol.schema.json), if anything."""
    error = jsonschema.exceptions.best_match(_validator(kind).iter_errors(message))
    return None if error is None else f"{'/'.join(map(str, error.absolute_path)) or 'the line'}: {error.message}"


def _is_text(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plural(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}es" if thing.endswith("s") else f"{n} {thing}s"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    return f"{n / 1024:.1f} KiB" if n < 1 << 20 else f"{n / (1 << 20):.1f} MiB"


def _with_note(message: str, note: str) -> str:
    return f"{message} ({note})" if note else message
