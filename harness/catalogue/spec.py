"""Pattern specs: patterns/<id>/pattern.yaml, validated and turned into plain objects."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from harness.base.errors import SpecError
from harness.catalogue.languages import version_key
from harness.catalogue.schemas import schema
from harness.catalogue.selection import at_version
from harness.catalogue.yamlfile import YamlDocument, load_yaml

# Words joined by single _: a variant's key (build trees, the runner protocol) is <pattern>__<variant>,
# so no id may hold __ (nor end in _), or pattern a__b and pattern a's variant b would share one key.
ID = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
ID_RULE = "lowercase letters and digits, starting with a letter, words joined by single _ (no __, no _ at the end)"
MAX_ID = 40  # characters of a pattern, variant or scenario id (harness/schemas/pattern.schema.json)
MAX_INPUT_BYTES = 64 << 10  # a scenario's input as JSON: far inside a protocol line (1 MiB)
MAX_WINDOW = 1000  # ticks: 100 s at the default tick; a longer window is a typo, not a scenario

# The sections of the catalogue, in the order readers meet them (reports and docs group by these).
CATEGORIES = tuple(schema("pattern")["properties"]["category"]["enum"])


@dataclass(frozen=True)
class Expected:
    tick: int
    ev: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class Snippet:
    pattern: str
    language: str
    variant: str | None
    file: Path
    uses: tuple[str, ...]
    # (version, why): the oldest version that has what it uses; on an older one its scenarios must
    # fail to load or run, and are shown as not available (a pin that stops failing is stale)
    requires: tuple[str, str] | None = None
    version: str | None = None  # the version a run named for it (`LANG=go@1.22`), else None
    # other files of its pattern's folder it loads at run time (`files:`), copied beside it into the tree
    files: tuple[Path, ...] = ()

    @property
    def label(self) -> str:
        """How users name it: `go`, `python/gather`."""
        return self.language if self.variant is None else f"{self.language}/{self.variant}"

    @property
    def target(self) -> str:
        """The runner it runs in: its language, at the version a run named (`go@1.22`)."""
        return self.language if self.version is None else f"{self.language}@{self.version}"

    @property
    def run_label(self) -> str:
        """How a run names it: its label, with the version a run named (`python@3.14/gather`)."""
        return at_version(self.label, self.version)

    def at(self, version: str | None) -> Snippet:
        return replace(self, version=version)

    @property
    def key(self) -> str:
        """Identifier used inside build trees and the runner protocol."""
        return self.pattern if self.variant is None else f"{self.pattern}__{self.variant}"


# A divergence's key: a snippet's label, maybe qualified by the versions it holds for (`python>=3.14`,
# `java/virtual<25`, `go==1.22`): compared with the version that ran, as far as the key spells it.
QUALIFIED = re.compile(
    r"^(?P<label>[a-z][a-z0-9_]*(?:/[a-z][a-z0-9_]*)?)(?:(?P<op><=|>=|==|<|>)(?P<version>\d+(?:\.\d+)*))?$"
)
_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}


def holds_for(op: str, pinned: str, version: str | None) -> bool:
    """Whether a pin qualified by `op` and `pinned` (`>=`, `3.14`; `""` for every version) applies to
    a run of `version` (the version the runner reported): an unqualified pin applies to every
    version, a qualified one only to a version known to match, as far as the pin spells it."""
    if not op:
        return True
    if not version:
        return False
    want = version_key(pinned)
    return _OPS[op](version_key(version)[: len(want)], want)


Trace = tuple[Expected, ...]


@dataclass(frozen=True)
class Ending:
    """How the process of a scenario run alone ended: its exit status, and the classes of what it
    wrote on stderr after the runner's own mark, in order (languages/<lang>/language.yaml, `printed:`)."""

    exit: int
    printed: tuple[str, ...]

    def describe(self) -> str:
        return f"exit {self.exit}, printed [{', '.join(self.printed)}]"

    def as_yaml(self) -> dict[str, Any]:
        return {"exit": self.exit, "printed": list(self.printed)}


@dataclass(frozen=True)
class Divergence:
    reason: str
    expect: Trace  # the trace pinned; with `one_of`, the first of them
    label: str = ""
    op: str = ""  # "" (every version), or a comparison with `version`
    version: str = ""
    # the events are pinned, their ticks are not: they depend on the machine (how long a process
    # takes to start), and a fast one gives the common trace's, so one run cannot tell it stale
    unsteady: bool = False
    one_of: tuple[Trace, ...] = ()  # `expect_one_of`: a run must give one of these traces
    ending: Ending | None = None  # in a scenario run alone: how its process ends, where not as the scenario's

    @property
    def traces(self) -> tuple[Trace, ...]:
        """Every trace a run may give: one, or those of `expect_one_of`."""
        return self.one_of or (self.expect,)

    def holds_for(self, version: str | None) -> bool:
        return holds_for(self.op, self.version, version)


@dataclass(frozen=True)
class ShapePin:
    """The error shape(s) a snippet is observed to report in a scenario (`shapes:`), in trace order:
    what its language's error value is (`TimeoutError <- CancelledError`), as its trace helper
    describes it. Keyed like a divergence, maybe qualified by versions."""

    shapes: tuple[str, ...]  # with `one_of`, the first of them
    one_of: tuple[tuple[str, ...], ...]
    label: str
    op: str = ""
    version: str = ""

    @property
    def alternatives(self) -> tuple[tuple[str, ...], ...]:
        """Every list of shapes a run may report: one, or the choices of `{one_of: [...]}`."""
        return self.one_of or (self.shapes,)

    def holds_for(self, version: str | None) -> bool:
        return holds_for(self.op, self.version, version)

    @property
    def key(self) -> str:
        """As the spec keys it: `python`, `go<1.23`."""
        return f"{self.label}{self.op}{self.version}"


def in_force(pins, label: str, version: str | None):
    """Of `pins` (divergences or shape pins), the one snippet `label` is held to on `version`: the
    first qualified by versions that holds for it, else the plain one; None when none holds."""
    held = [pin for pin in pins if pin.label == label and pin.holds_for(version)]
    return min(held, key=lambda pin: not pin.op, default=None)


@dataclass(frozen=True)
class Scenario:
    name: str
    input: dict[str, Any]
    window: int
    ordered: bool
    expect: Trace  # the common trace; with `one_of`, the first of them
    divergences: dict[str, Divergence] = field(default_factory=dict)
    line: int = 0  # where it starts in its pattern.yaml
    shapes: dict[str, ShapePin] = field(default_factory=dict)  # by the spec's key (`python`, `go<1.23`)
    one_of: tuple[Trace, ...] = ()  # `expect_one_of`: a nondeterministic choice, a run gives one of them
    # `alone: true`: it runs in a runner process of its own, whose ending (exit status, what it
    # printed) is held to `ending` (or to its divergence's)
    alone: bool = False
    ending: Ending | None = None

    def ending_for(self, snippet: Snippet, version: str | None = None) -> Ending | None:
        """How a snippet's process must end on `version`: its divergence's ending, else the scenario's."""
        _, divergence = self.expectation_for(snippet, version)
        return divergence.ending if divergence is not None and divergence.ending is not None else self.ending

    @property
    def traces(self) -> tuple[Trace, ...]:
        """Every common trace a run may give: one, or those of `expect_one_of`."""
        return self.one_of or (self.expect,)

    def expectation_for(
        self, snippet: Snippet, version: str | None = None
    ) -> tuple[tuple[Expected, ...], Divergence | None]:
        """The trace a snippet must give on `version`: the first divergence pinned for its label that
        holds for that version (qualified ones before the plain one), else the common trace."""
        divergence = in_force(self.divergences.values(), snippet.label, version)
        return (divergence.expect if divergence else self.expect), divergence

    def shape_for(self, snippet: Snippet, version: str | None = None) -> ShapePin | None:
        """The error shapes a snippet must report on `version`, chosen as its divergence is; None:
        it must report none."""
        return in_force(self.shapes.values(), snippet.label, version)

    def traces_for(self, snippet: Snippet, version: str | None = None) -> tuple[tuple[Trace, ...], Divergence | None]:
        """As expectation_for, with every trace a run may give (those of `expect_one_of`)."""
        _, divergence = self.expectation_for(snippet, version)
        return (divergence.traces if divergence else self.traces), divergence


@dataclass(frozen=True)
class Pattern:
    id: str
    title: str
    category: str
    summary: str
    observes: tuple[str, ...]
    not_applicable: dict[str, str]  # language -> why the pattern does not apply to it
    path: Path
    snippets: tuple[Snippet, ...]
    scenarios: tuple[Scenario, ...]


def _own_file(doc: YamlDocument, path: Path, at: list, name: str, what: str, problems: list[str]) -> Path | None:
    """The file `name` of the spec's own folder; None (with a problem) when it resolves elsewhere.
    One that is missing is a problem too, but is still returned."""
    file, folder = path.parent / name, path.parent.resolve()
    if file.resolve().parent != folder:  # `..`, an absolute path, a sub-folder, a symlink out
        problems.append(
            doc.problem(
                at,
                f"{what} {name} is not a file of the pattern's own folder {folder.name}/ "
                f"(it resolves to {file.resolve()}); a spec names only files beside it",
            )
        )
        return None
    if not file.is_file():
        problems.append(doc.problem(at, f"{what} {name} does not exist"))
    return file


TODO = "TODO"  # what `make new-pattern` and `make record` leave for the author to fill in


def load_pattern(path: Path, languages: list[str], drafts: bool = False) -> Pattern:
    """Load and validate one pattern.yaml; raise SpecError naming every problem with its line.
    A TODO left in a title, summary, reason or expected trace is one of them unless `drafts` (for
    `make record`, which runs a spec that is still being written)."""
    folder, patterns = path.parent.resolve(), path.parent.parent.resolve()
    if folder.parent != patterns:  # a symlink out of the suite: never read what it leads to
        raise SpecError(
            [
                f"{path}: its folder {path.parent.name}/ leads to {folder}, which is not a folder of {patterns}; "
                f"a pattern's folder must be a folder of the suite's patterns/ (not a symlink leading elsewhere)"
            ]
        )
    try:
        doc = load_yaml(path, inside=folder)
        _plain_data(doc)
        doc.validate(schema("pattern"))
    except RecursionError:
        raise SpecError([f"{path}: values nested too deeply to read; a spec is plain data a few levels deep"]) from None
    data = doc.data
    problems: list[str] = [] if drafts else _todos(doc)

    if data["id"] != path.parent.name:
        problems.append(doc.problem(["id"], f"id {data['id']!r} must match the folder name {path.parent.name!r}"))

    not_applicable = data.get("not_applicable", {})
    for language in not_applicable:
        if language not in languages:
            problems.append(
                doc.problem(
                    ["not_applicable", language], f"unknown language {language!r}; known: {', '.join(languages)}"
                )
            )

    snippets = []
    for label, entry in data["snippets"].items():
        language, _, variant = label.partition("/")
        if language not in languages:
            problems.append(
                doc.problem(["snippets", label], f"unknown language {language!r}; known: {', '.join(languages)}")
            )
            continue
        if "/" in label and (not _is_id(variant) or len(variant) > MAX_ID):
            problems.append(
                doc.problem(
                    ["snippets", label],
                    f"variant {variant!r}: a variant is {ID_RULE}, {MAX_ID} characters at most; "
                    f"its key is {data['id']}__{variant}, which no other pattern or variant may have",
                )
            )
            continue
        if language in not_applicable:
            problems.append(
                doc.problem(["snippets", label], f"{language} has a snippet but is declared under not_applicable")
            )
        file = _own_file(doc, path, ["snippets", label, "file"], entry["file"], "snippet file", problems)
        if file is None:
            continue
        files = []
        for index, name in enumerate(entry.get("files", ())):
            at = ["snippets", label, "files", index]
            if name == entry["file"]:
                own = f"{name} is the snippet's own file; `files:` lists the others it loads"
                problems.append(doc.problem(at, own))
            elif (other := _own_file(doc, path, at, name, "file", problems)) is not None:
                files.append(other)
        requires = entry.get("requires")
        snippets.append(
            Snippet(
                data["id"],
                language,
                variant or None,
                file,
                tuple(entry.get("uses", ())),
                (requires["version"], " ".join(requires["reason"].split())) if requires else None,
                files=tuple(files),
            )
        )
    labels = {s.label for s in snippets}

    scenarios = []
    names: set[str] = set()
    for index, raw in enumerate(data["scenarios"]):
        at = ["scenarios", index]
        if raw["name"] in names:
            problems.append(doc.problem([*at, "name"], f"scenario name {raw['name']!r} is used twice"))
        names.add(raw["name"])
        one_of = _one_of(doc, [*at], raw, raw.get("ordered", False), problems)
        expect = one_of[0] if one_of else _events(raw["expect"])
        divergences = _pins(
            doc,
            [*at, "divergences"],
            raw.get("divergences", {}),
            "divergence for",
            labels,
            problems,
            lambda div, label, op, version: _divergence(
                doc, [*at, "divergences", f"{label}{op}{version}"], div, raw, problems, label, op, version
            ),
        )
        shapes = _pins(
            doc,
            [*at, "shapes"],
            raw.get("shapes", {}),
            "error shape pinned for",
            labels,
            problems,
            lambda pinned, *qualified: ShapePin(*_shapes(pinned), *qualified),
        )
        size = len(json.dumps(raw["input"]))
        if size > MAX_INPUT_BYTES:
            problems.append(
                doc.problem([*at, "input"], f"the input is {size} bytes as JSON; at most {MAX_INPUT_BYTES} are sent")
            )
        # an unsteady pin's ticks are one run's
        steady = [trace for d in divergences.values() if not d.unsteady for trace in d.traces]
        last_tick = max(e.tick for events in [*(one_of or (expect,)), *steady] for e in events)
        window = raw.get("window", last_tick + 1)
        if window <= last_tick:
            problems.append(
                doc.problem(
                    [*at, "window"],
                    f"window {window} closes before the last expected event at tick {last_tick}; "
                    f"make it at least {last_tick + 1}",
                )
            )
        scenarios.append(
            Scenario(
                raw["name"],
                raw["input"],
                window,
                raw.get("ordered", False),
                expect,
                divergences,
                doc.line_of(at),
                shapes,
                one_of,
                raw.get("alone", False),
                _ending(raw["ending"]) if "ending" in raw else None,
            )
        )

    if problems:
        raise SpecError(problems)
    return Pattern(
        data["id"],
        data["title"],
        data["category"],
        " ".join(data["summary"].split()),
        tuple(data.get("observes", ())),
        dict(not_applicable),
        path,
        tuple(snippets),
        tuple(scenarios),
    )


def _pins(doc: YamlDocument, at: list, entries: dict, what: str, labels: set[str], problems: list[str], make) -> dict:
    """A scenario's pins of one kind (its `divergences:` or `shapes:`, at `at`) by their keys, each
    made by `make(value, label, op, version)`; a key that names no snippet is one of the `problems`."""
    pins = {}
    for key, value in entries.items():
        qualified = QUALIFIED.match(key)
        if qualified is None or qualified["label"] not in labels:
            problems.append(
                doc.problem(
                    [*at, key],
                    f"{what} {key!r}, which has no snippet; a key is a snippet's label, maybe "
                    f"with the versions it holds for (python>=3.14, go<1.23); "
                    f"declared snippets: {', '.join(sorted(labels))}",
                )
            )
            continue
        pins[key] = make(value, qualified["label"], qualified["op"] or "", qualified["version"] or "")
    return pins


_JSON_TAGS = {f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "seq", "map")}


def _plain_data(doc: YamlDocument) -> None:
    """A spec is plain JSON data: refuse what YAML adds (dates, sets, binary, non-text keys, .nan and
    .inf), which no runner could be sent and no trace compared with, and refuse aliases: a few nested
    ones expand into gigabytes of request (each level multiplies the one below)."""
    problems: list[tuple[int, str]] = []
    seen: set[int] = set()
    stack = [doc.root]
    while stack:
        node = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            raise SpecError(
                [
                    f"{doc.path}:{line}: the value here is used again through a YAML alias (*name); a spec is "
                    f"plain data: write the value out where it is used"
                ]
            )
        seen.add(id(node))
        if node.tag not in _JSON_TAGS:
            problems.append((line, f"{node.tag.rpartition(':')[2]} {node.value!r} is not JSON data; quote it if text"))
        elif node.tag.endswith(":float") and node.value.lower().lstrip("+-") in (".nan", ".inf"):
            problems.append((line, f"{node.value} is not a finite number"))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.tag != "tag:yaml.org,2002:str":
                    problems.append((key.start_mark.line + 1, f"key {key.value!r} must be text; quote it"))
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    if problems:
        raise SpecError([f"{doc.path}:{line}: {message}" for line, message in sorted(problems)])


def _todos(doc: YamlDocument) -> list[str]:
    """Every TODO the author has still to fill in, each with its line."""
    data, found = doc.data, []
    for key in ("title", "summary"):
        if data[key].lstrip().startswith(TODO):
            found.append(doc.problem([key], f"a {TODO} is left: {data[key]}"))
    for index, scenario in enumerate(data["scenarios"]):
        at = ["scenarios", index]
        if any(event[1] == TODO for event in scenario.get("expect", [])):
            found.append(doc.problem([*at, "expect"], f"the expected trace is a {TODO}: `make record` observes it"))
        for label, divergence in scenario.get("divergences", {}).items():
            if divergence["reason"].lstrip().startswith(TODO):
                found.append(doc.problem([*at, "divergences", label, "reason"], f"say why: {divergence['reason']}"))
    return found


def _shapes(pinned) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A `shapes:` value as ShapePin holds it: its shapes, and the choices of a `{one_of: [...]}`."""

    def listed(value) -> tuple[str, ...]:
        return (value,) if isinstance(value, str) else tuple(value)

    if isinstance(pinned, dict):
        choices = tuple(listed(choice) for choice in pinned["one_of"])
        return choices[0], choices
    return listed(pinned), ()


def _divergence(
    doc: YamlDocument, at: list, div: dict, scenario: dict, problems: list[str], label: str, op: str, version: str
) -> Divergence:
    if "ending" in div and not scenario.get("alone"):
        problems.append(
            doc.problem([*at, "ending"], "an ending is pinned only in a scenario that runs alone (alone: true)")
        )
    if "expect" not in div and "expect_one_of" not in div:  # it pins only an ending: the common trace
        if not scenario.get("alone"):
            problems.append(doc.problem(at, "a divergence without expect or expect_one_of pins only an ending"))
        one_of = _one_of(doc, at, scenario, scenario.get("ordered", False), [])
        expect = one_of[0] if one_of else _events(scenario["expect"])
    else:
        one_of = _one_of(doc, at, div, scenario.get("ordered", False), problems)
        expect = one_of[0] if one_of else _events(div["expect"])
    ending = _ending(div["ending"]) if "ending" in div else None
    return Divergence(div["reason"], expect, label, op, version, div.get("unsteady", False), one_of, ending)


def _ending(raw: dict) -> Ending:
    return Ending(raw["exit"], tuple(raw["printed"]))


def _one_of(doc: YamlDocument, at: list, raw: dict, ordered: bool, problems: list[str]) -> tuple[Trace, ...]:
    """The traces of `raw`'s `expect_one_of` (none without it); two that are the same trace (the
    same events at each tick, in the same order if `ordered`) are a problem: a choice between
    alternatives that cannot be told apart is a typo."""
    if "expect_one_of" not in raw:
        return ()
    traces = tuple(_events(trace) for trace in raw["expect_one_of"])
    seen: dict[tuple, int] = {}
    for index, trace in enumerate(traces):
        keyed = [json.dumps([e.tick, e.ev, e.fields], sort_keys=True) for e in trace]
        key = tuple(keyed if ordered else sorted(keyed))
        if key in seen:
            problems.append(
                doc.problem(
                    [*at, "expect_one_of", index],
                    f"trace {index + 1} is the same as trace {seen[key] + 1}; each trace of expect_one_of "
                    f"must be one a run could tell apart from the others",
                )
            )
        seen.setdefault(key, index)
    return traces


def _events(raw: list[list]) -> tuple[Expected, ...]:
    return tuple(Expected(item[0], item[1], item[2] if len(item) > 2 else {}) for item in raw)


def _is_id(text: str) -> bool:
    import re

    return re.fullmatch(ID, text) is not None


__all__ = [
    "Pattern",
    "Scenario",
    "Snippet",
    "Expected",
    "Divergence",
    "Ending",
    "ShapePin",
    "load_pattern",
    "YamlDocument",
]
