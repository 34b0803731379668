"""One protocol, checked for every language: the five runners, locally and in docker, are driven
through the same cases and must answer each the same way.

tests/conformance/patterns/ holds the cases that are snippets, each written in all five languages
(the summary in its pattern.yaml says what it does). They are checked at two levels:

* the wire: the test speaks to a runner line by line, sends it those cases and the lines a thin
  runner must still refuse (not JSON, not an object, deeply nested, no integer id, no string key,
  an unknown key), and checks its answers. Every line a runner writes must be valid against
  harness/schemas/protocol.schema.json (protocol version 2).
* the harness: an inner session of the harness over the cases must give every scenario the outcome
  in OUTCOMES, in all five languages.

The local variants need every toolchain (marker `runners`); the docker ones an engine with the
stand-in images of `make standin-images` (marker `docker`). Neither is ever skipped.
"""

from __future__ import annotations

import json
import os
import queue
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest

from harness.base.errors import SuiteError
from harness.catalogue.languages import load_languages
from harness.catalogue.schemas import schema
from harness.catalogue.spec import load_pattern
from harness.running.lines import read_lines
from harness.runtimes.choice import choose_runtime
from harness.runtimes.images import choose_images, read_override_file
from harness.runtimes.runtime import RunnerProcess, Runtime

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
CASES = Path(__file__).with_name("conformance") / "patterns"
SCHEMA = schema("protocol")
# CONFORMANCE_LANG=javascript@20,go@1.22: the same tests of those versions (each language's
# versions: languages/<lang>/language.yaml); versions:local or versions:images: every supported
# version obtained locally, or held by an image (make check-versions).
LANGUAGE_NAMES = ["javascript", "python", "go", "rust", "java"]


def _versions(where: str) -> list[str]:
    """Every supported version of the languages whose versions are obtained locally (`local`: npm
    packages, Go toolchains, tokio lines) or held by images (`images`: CPython, OpenJDK)."""
    local = lambda lang: any(v.obtain or v.names for v in lang.versions)  # noqa: E731
    return [
        f"{name}@{v.name}"
        for name, lang in load_languages(REPO / "languages").items()
        for v in lang.versions
        if local(lang) == (where == "local")
    ]


_WANTED = os.environ.get("CONFORMANCE_LANG", "")
LANGUAGES = (
    _versions(_WANTED.partition(":")[2])
    if _WANTED in ("versions:local", "versions:images")
    else [name.strip() for name in _WANTED.split(",") if name.strip()] or LANGUAGE_NAMES
)


def at_versions(languages: dict) -> dict:
    """The languages, and each at the versions LANGUAGES names (`go@1.22`)."""
    named = {name: languages[name.partition("@")[0]].at(name.partition("@")[2]) for name in LANGUAGES if "@" in name}
    return {**languages, **named}


RUNTIMES = [
    pytest.param("local", marks=pytest.mark.runners),
    pytest.param("docker", marks=pytest.mark.docker),
]
TO_SET_UP = "Start the Docker engine (`dockerd &` or `sudo systemctl start docker`) and run `make standin-images`."
TICK_MS = 50
SETTLE_MS = 2 * TICK_MS  # the wire's leak case traces 1.5 ticks after its start, so inside this
ANSWER_S = 20.0  # the most any answer below may take (a JVM restart, a loaded machine)
CHILD = ["sleep", "7777"]  # what child_process starts (its input `seconds`)
# pytester points HOME at a temporary folder; the toolchains that keep their state under the real
# one (rustup's default toolchain, Go's module and build caches) are told where it is.
HOME = Path.home()
TOOLCHAIN_HOMES = {"RUSTUP_HOME": ".rustup", "CARGO_HOME": ".cargo", "GOPATH": "go", "GOCACHE": ".cache/go-build"}


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": SCHEMA["$defs"]})


KINDS = {kind: _validator(kind) for kind in ("hello", "loading", "request", "trace", "end", "settled")}


def kind_of(message: object) -> str:
    """The one kind of protocol line `message` is valid as; fails the test otherwise."""
    kinds = [kind for kind, validator in KINDS.items() if validator.is_valid(message)]
    assert len(kinds) == 1, f"not exactly one kind of protocol line ({kinds}): {message}"
    return kinds[0]


def test_the_protocol_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    for kind in KINDS:
        assert {"$ref": f"#/$defs/{kind}"} in SCHEMA["oneOf"]


# -- the wire ------------------------------------------------------------------------------------


@dataclass
class Answer:
    """Everything a runner wrote for one request, up to its settled line."""

    traces: list[dict] = field(default_factory=list)
    late: list[dict] = field(default_factory=list)  # traces after the window closed
    stray: list[bytes] = field(default_factory=list)  # non-JSON lines
    end: dict | None = None
    settled: dict | None = None

    @property
    def steps(self) -> list[int]:
        return [trace["fields"]["n"] for trace in self.traces]


class Wire:
    """A runner spoken to line by line, outside the harness: it can be sent anything."""

    def __init__(self, process: RunnerProcess):
        self.process = process
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._next_id = 1
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=read_lines, args=(process.stderr, lambda _: None), daemon=True).start()
        hello = self.message(self.read(60))
        self.loaded = []  # the snippets the runner said it loads before its hello
        while kind_of(hello) == "loading":
            self.loaded.append(hello["loading"])
            hello = self.message(self.read(60))
        assert kind_of(hello) == "hello", hello

    def _pump(self) -> None:
        read_lines(self.process.stdout, lambda line: self._lines.put(line.data))
        self._lines.put(None)

    def read(self, timeout: float = ANSWER_S) -> bytes | None:
        """The next stdout line, or None once stdout has ended."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"the runner wrote nothing within {timeout:g} s")
        return line

    @staticmethod
    def message(line: bytes | None) -> dict:
        assert line is not None, "the runner's stdout ended"
        return json.loads(line)

    def send(self, line: bytes) -> None:
        self.process.write(line + b"\n")

    def request(self, key: str, input: dict, window: int = 1, **more) -> tuple[int, Answer]:
        """Send a valid request (the schema says so) and collect its answer."""
        request_id = self._next_id
        self._next_id += 1
        request = {"id": request_id, "key": key, "input": input, "tick_ms": TICK_MS, "window": window}
        request |= {"settle_ms": SETTLE_MS, **more}
        assert kind_of(request) == "request"
        self.send(json.dumps(request).encode())
        return request_id, self.answer(request_id)

    def answer(self, request_id: int | None) -> Answer:
        """Read up to the settled line of `request_id`, checking every line against the schema
        and the order: traces, then one end, then late traces, then one settled."""
        answer = Answer()
        deadline = time.monotonic() + ANSWER_S
        while answer.settled is None:
            line = self.read(max(0.1, deadline - time.monotonic()))
            assert line is not None, f"the runner's stdout ended before request {request_id} settled"
            try:
                message = json.loads(line)
            except ValueError:
                answer.stray.append(line)
                continue
            kind = kind_of(message)
            assert message["id"] == request_id, f"a line of another request: {message}"
            if kind == "trace":
                assert bool(message.get("late")) == (answer.end is not None), f"late iff after the end: {message}"
                (answer.late if answer.end else answer.traces).append(message)
            elif kind == "end":
                assert answer.end is None, f"a second end line: {message}"
                answer.end = message
            else:
                assert kind == "settled" and answer.end is not None, f"{kind} line out of place: {message}"
                answer.settled = message
        return answer


@pytest.fixture(scope="module", params=RUNTIMES)
def runtime(request) -> Iterator[Runtime]:
    languages = at_versions(load_languages(REPO / "languages"))
    try:
        choice = choose_runtime(
            request.param, REPO / ".cache", languages, LANGUAGES, choose_images(REPO, languages, [])
        )
    except SuiteError as exc:
        pytest.fail(f"the {request.param} runtime cannot run: {exc}\n{TO_SET_UP}", pytrace=False)
    yield choice.runtime
    choice.runtime.close()


@pytest.fixture(scope="module")
def launchers(runtime: Runtime):
    """launch(language): a new runner over the conformance snippets, built once per language."""
    languages = at_versions(load_languages(REPO / "languages"))
    patterns = [load_pattern(path, LANGUAGE_NAMES) for path in sorted(CASES.glob("*/pattern.yaml"))]
    prepared = {}

    def launch(language: str) -> RunnerProcess:
        if language not in prepared:
            snippets = [s for p in patterns for s in p.snippets if s.language == language.partition("@")[0]]
            prepared[language] = runtime.prepare(languages[language], snippets, lambda _: None)
        return prepared[language].launch()

    return launch


@pytest.fixture
def wire(launchers, language: str) -> Iterator[Wire]:
    process = launchers(language)
    try:
        yield Wire(process)
    finally:
        process.kill()  # the runner and whatever it started
        process.release()


def refused(answer: Answer, request_id: int | None, *fragments: str) -> None:
    """A request answered with end: error naming the problem, and nothing left running."""
    assert answer.traces == [] and answer.late == [] and answer.stray == []
    assert answer.end["end"] == "error" and answer.end["id"] == request_id, answer.end
    message = answer.end["message"]
    assert message.startswith(("malformed request: ", "unknown key ")), message
    for fragment in fragments:
        assert fragment in message, message
    assert answer.settled == {"id": request_id, "settled": True, "pending": []}


BASE = b'"input": {}, "tick_ms": 50, "window": 1, "settle_ms": 50'
# (case, request line, whether it carries a readable id (7), what the refusal names). A runner
# trusts the rest of a request: the harness sends only requests valid against the schema.
BAD_LINES = [
    ("unknown_key", b'{"id": 7, "key": "no_such_snippet", ' + BASE + b"}", True, ['unknown key "no_such_snippet"']),
    ("no_key", b'{"id": 7, ' + BASE + b"}", True, ["malformed request", "key"]),
    ("key_not_text", b'{"id": 7, "key": 7, ' + BASE + b"}", True, ["malformed request", "key"]),
    ("id_not_an_integer", b'{"id": "seven", "key": "ok", ' + BASE + b"}", False, ["malformed request", "id"]),
    ("field_not_json", b'{"id": 7, "key": "ok", "input": {steps: 2}, "tick_ms": 50, "window": 1}', False,
     ["malformed request", "JSON"]),
    ("not_an_object", b"[7, 50, 1]", False, ["malformed request", "object"]),
    ("not_utf8", b'{"id": 7, "key": "\xff\xfe", ' + BASE + b"}", False, ["malformed request"]),
    ("nested_too_deep", b"[" * 200_000 + b"]" * 200_000, False, ["malformed request"]),
]  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_bad_request_line_is_refused_and_the_runner_goes_on(wire: Wire, language: str):
    for case, line, has_id, fragments in BAD_LINES:
        try:
            request = json.loads(line.decode())
        except (ValueError, RecursionError):
            pass  # not JSON to the schema either
        else:  # the schema refuses what the runners refuse, but for keys it cannot know
            assert KINDS["request"].is_valid(request) == (case == "unknown_key"), case
        wire.send(line)
        refused(wire.answer(7 if has_id else None), 7 if has_id else None, *fragments)
    _, answer = wire.request("ok", {}, window=2)  # ... and goes on
    assert answer.end == {"id": 1, "end": "done"} and answer.steps == [1, 2]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_runner_answers_the_snippet_cases_alike(wire: Wire, language: str):
    request_id, ok = wire.request("ok", {}, window=2)
    assert ok.end == {"id": request_id, "end": "done"} and ok.steps == [1, 2] and ok.stray == []
    assert [round(trace["t"] / TICK_MS) for trace in ok.traces] == [0, 1]  # each in its tick
    assert ok.settled["pending"] == []

    request_id, raised = wire.request("raises", {})
    assert raised.end["end"] == "error" and "conformance boom" in raised.end["message"], raised.end
    assert raised.steps == [1] and raised.settled["pending"] == []

    _, stray = wire.request("stray_stdout", {})
    assert stray.stray == [b"conformance stray"] and stray.end["end"] == "done" and stray.steps == [1]

    # Work that traces after the window closed, before the runner settled: late, and its own.
    _, traced = wire.request("leak", {"mode": "trace"})
    assert traced.steps == [1] and [t["fields"]["n"] for t in traced.late] == [2]
    assert traced.settled["pending"] == []
    # Work still running when the runner settles: named, once, by what it is in the language.
    _, running = wire.request("leak", {"mode": "forever"})
    assert running.late == [] and len(running.settled["pending"]) == 1, running.settled
    assert re.fullmatch(r"1 \S.*", running.settled["pending"][0]), running.settled
    # ... and not charged again to the innocent scenario that follows on the same runner.
    _, clean = wire.request("leak", {"mode": "none"})
    assert clean.steps == [1] and clean.late == [] and clean.settled["pending"] == []

    # A child process is not the runner's to look for (Node names the handle it holds on one, a
    # `ProcessWrap`, as any other handle of its event loop): the harness sees the process itself.
    _, spawned = wire.request("child_process", {"seconds": int(CHILD[1])})
    assert spawned.end["end"] == "done", spawned.end
    assert not [p for p in spawned.settled["pending"] if "child process" in p], spawned.settled
    assert wire.process.children() == [CHILD[0]]

    # A snippet that exits ends the runner with its code, and nothing more is written. (The child
    # process above may hold the runner's stdout open: killing the runner's group ends it too.)
    wire.send(json.dumps({"id": 99, "key": "exits", "input": {"code": 3}, "tick_ms": TICK_MS, "window": 1}).encode())
    step = wire.message(wire.read())
    assert kind_of(step) == "trace" and step["fields"] == {"n": 1}
    assert wire.process.wait(timeout=ANSWER_S) == 3
    wire.process.kill()
    assert wire.read() is None


# -- the harness ---------------------------------------------------------------------------------

# Every scenario's outcome, as the first word(s) of its report: the same in every language.
OUTCOMES = {
    # in a runner process of its own: the language's own ending (exit status, what it printed) is
    # held to each pin, a clean one included
    "alone:fails": {"PASS"},
    "alone:clean": {"PASS"},
    "child_process:spawns": {"PROTOCOL ERROR"},  # a child process left running
    "closes_stdin:closes": {"CRASH"},  # charged to itself, though its trace is right
    "exits:exits": {"CRASH"},
    "flood:floods": {"PROTOCOL ERROR", "TIMEOUT"},  # which of the two depends on the machine's speed
    "hangs:hangs": {"TIMEOUT"},
    "leak:traces_after_window": {"PROTOCOL ERROR"},
    "leak:left_running": {"PROTOCOL ERROR"},
    "leak:clean": {"PASS"},  # runs after left_running, on the same runner
    "ok:steps": {"PASS"},
    "raises:raises": {"CRASH"},
    "shapes:describes": {"PASS"},  # each helper describes the errors as the case pins them
    "stray_stdout:prints": {"PROTOCOL ERROR"},
}
REPORT_SAYS = {
    "child_process:spawns": "1 child process",
    "closes_stdin:closes": "the scenario broke its runner",
    "exits:exits": "exited with code 3",
    "raises:raises": "conformance boom",
    "stray_stdout:prints": "conformance stray",
}
MAX_REPORT = 20_000  # characters
GRACE_S = 3  # beyond the window: a hang costs this much, and a restarted container starts within it
SCENARIO_S = 30  # the most a scenario may take: its deadline, a runner restart, a loaded machine


def children_left(argv: list[str]) -> list[int]:
    """Processes running `argv` on this machine (containers' included)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if cmdline.read_bytes().split(b"\0")[:-1] == [arg.encode() for arg in argv]:
                found.append(int(cmdline.parent.name))
        except OSError:
            pass
    return found


@pytest.mark.parametrize("runtime_name", RUNTIMES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_harness_gives_every_case_the_same_outcome_in_every_language(
    inner_suite, monkeypatch, runtime_name, language
):
    for name, folder in TOOLCHAIN_HOMES.items():
        if name not in os.environ and (HOME / folder).is_dir():
            monkeypatch.setenv(name, str(HOME / folder))
    options = [f"--runtime={runtime_name}", f"--lang={language}", "--jobs=1", f"--grace-s={GRACE_S}"]
    if runtime_name == "docker":
        images = read_override_file(REPO, load_languages(REPO / "languages"))
        # a default version (java@25) runs in its language's own image
        image = images.get(language) or images.get(language.partition("@")[0])
        if image is None:
            pytest.fail(f"no stand-in image for {language} in images.override.yaml\n{TO_SET_UP}", pytrace=False)
        options.append(f"--image={language}={image}")
    session = inner_suite(CASES, *options, runtime=runtime_name)()

    outcomes, reports = {}, {}
    for item, report in session.calls.items():
        pattern, _, rest = item.removeprefix("patterns/").partition("[")
        case = f"{pattern}:{rest.rstrip(']').split(':')[1]}"
        outcomes[case] = "PASS" if report.passed else report.longreprtext.split(":", 1)[0]
        reports[case] = report.longreprtext
    assert outcomes.keys() == OUTCOMES.keys()
    assert {case: outcome for case, outcome in outcomes.items() if outcome not in OUTCOMES[case]} == {}
    for case, says in REPORT_SAYS.items():
        assert says in reports[case], reports[case]
    assert max(len(report) for report in reports.values()) < MAX_REPORT  # a flood is cut, and says so
    # Nothing waited beyond a deadline (the first scenario pays for the build, if any)...
    durations = {item: round(report.duration, 1) for item, report in list(session.calls.items())[1:]}
    assert max(durations.values()) < SCENARIO_S, durations
    # ... nor on the child process, which did not survive the runner it was started by.
    assert children_left(CHILD) == []
