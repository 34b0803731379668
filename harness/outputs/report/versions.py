"""A language run at several versions: which versions give the same trace, and where it changes.

Two versions give the same trace of a scenario when their outcomes are the same and they observed
the same events (tick, event, fields as JSON values), in any order inside a tick unless the scenario
is `ordered`, and, for a scenario run alone, their processes ended alike (exit status, classes of
what was printed): the comparison's own notion of a trace, without the milliseconds. Where the spec
leaves a choice open (`expect_one_of`) and both versions gave one of its traces, they agree whichever
each gave: one run of a random choice tells nothing about a version. The pattern pages
group a scenario's versions by it ("20: not available · 22, 24, 26: pass"); the changelog lists every
place where it changes between consecutive versions that ran the scenario, with the reason.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from harness.catalogue.languages import version_key
from harness.catalogue.selection import at_version
from harness.catalogue.spec import Ending
from harness.outputs.report.view import by_snippet, catalogue_order, lane, lane_status, scenario_anchor, slug
from harness.outputs.timeline import Lane, short_label, timeline_svg
from harness.running.ending import describe_exit
from harness.running.trace import event_key

_IDLE = ("not run", "not applicable")
# The message of a `not available` entry (harness/running/verdict.py): what the snippet requires, and why.
_REQUIRES = re.compile(r"^not available before (?P<version>\S+) \((?P<why>.*?)\); on ", re.S)

# What an outcome is called in a version's group.
WORDS = {"divergent": "pass (pinned)", "not available": "not available", "not run": "not run"}


@dataclass(frozen=True)
class Target:
    """One version of a language a run named (`javascript@20`), or the one found (`javascript`)."""

    name: str  # as runs and results name it: `javascript@20`, `javascript`
    language: str
    version: str | None  # as named; None: not named, the toolchain found ran it
    reported: str | None  # as its runner reported it: 20.20.2

    @property
    def shown(self) -> str:
        """How a group or a heading names it: `20`; `24.22.3 (found)` for one the run did not name."""
        if self.version is not None:
            return self.version
        return f"{self.reported} (found)" if self.reported else "as found"

    @property
    def order(self) -> tuple[tuple[int, ...], str]:
        return version_key(self.reported or self.version or ""), self.version or ""


def targets_by_language(doc: dict[str, Any]) -> dict[str, list[Target]]:
    """Every language the run ran at more than one version, with its targets, oldest first; in the
    run's order of languages."""
    languages: dict[str, list[Target]] = {}
    for name, info in doc["run"]["languages"].items():
        language, _, version = name.partition("@")
        languages.setdefault(language, []).append(Target(name, language, version or None, info.get("version")))
    return {language: sorted(ts, key=lambda t: t.order) for language, ts in languages.items() if len(ts) > 1}


def choices(entry: dict[str, Any], scenario: dict[str, Any]) -> list | None:
    """The traces of the choice a passing entry held to (its pin's `expect_one_of`, or the
    scenario's), or None when it held to one trace or did not pass."""
    status = lane_status(entry)
    if status == "pass":
        return scenario.get("expect_one_of")
    if status == "divergent":
        reason = entry["divergence"]["reason"]
        pin = next((d for d in scenario.get("divergences", {}).values() if d["reason"] == reason), {})
        return pin.get("expect_one_of")
    return None


def ending_of(entry: dict[str, Any]) -> dict[str, Any] | None:
    """How the process of a scenario run alone ended ({exit, printed}), or None: not run alone, or
    it did not get as far as ending."""
    return (entry.get("ending") or {}).get("observed")


def describe_ending(ending: dict[str, Any] | None) -> str:
    if ending is None:
        return "no ending observed"
    return describe_exit(Ending(ending["exit"], tuple(ending["printed"])))


def trace_of(entry: dict[str, Any], scenario: dict[str, Any]) -> tuple:
    """What two versions must share to give the same trace: the outcome (a pinned pass is not a plain
    one), the events by tick, in arrival order inside a tick only if the scenario is `ordered`, and
    how the process ended if the scenario ran alone; for an entry that passed by giving one trace of
    a choice, the choice itself instead of the events."""
    ending = json.dumps(ending_of(entry), sort_keys=True)
    if (held := choices(entry, scenario)) is not None:
        return lane_status(entry), "one of", json.dumps(held, sort_keys=True), ending
    events = [(o["tick"], event_key(o["ev"], o["fields"])) for o in entry["observed"]]
    events.sort(key=(lambda e: e[0]) if scenario["ordered"] else None)  # stable: arrival order kept inside a tick
    return lane_status(entry), tuple(events), ending


def requirement(entry: dict[str, Any]) -> tuple[str, str] | None:
    """(version, why) a `not available` entry says its snippet requires, read from its message."""
    match = _REQUIRES.match(entry["message"]) if entry["outcome"] == "not available" else None
    return (match["version"], " ".join(match["why"].split())) if match else None


def _first_line(text: str) -> str:
    return text.strip().split("\n")[0]


def note(entry: dict[str, Any]) -> str:
    """Why a version's entry is what it is, in one line: the requirement it lacks, its pin, its failure."""
    if needed := requirement(entry):
        return f"requires {needed[0]}: {needed[1]}"
    status = lane_status(entry)
    if status == "divergent":
        return f"pinned divergence: {entry['divergence']['reason']}"
    if entry["outcome"] in _IDLE or status == "pass":
        return ""
    stale = " (stale divergence)" if entry["divergence"] and entry["divergence"]["stale"] else ""
    return _first_line(entry["message"]) + stale


# -- the pattern pages: versions grouped by trace ----------------------------------------------


@dataclass(frozen=True)
class Group:
    targets: tuple[Target, ...]
    status: str  # pass, divergent, fail, not available, not run, ...
    note: str

    @property
    def word(self) -> str:
        return WORDS.get(self.status, self.status)

    @property
    def versions(self) -> str:
        return ", ".join(t.shown for t in self.targets)


@dataclass(frozen=True)
class Row:
    scenario: str
    anchor: str
    groups: tuple[Group, ...]

    @property
    def same(self) -> bool:
        return len(self.groups) == 1


@dataclass(frozen=True)
class SnippetVersions:
    label: str  # the snippet's label, without a version: `javascript`, `python/gather`
    rows: tuple[Row, ...]

    @property
    def differing(self) -> int:
        return sum(not row.same for row in self.rows)


@dataclass(frozen=True)
class LanguageVersions:
    language: str
    targets: tuple[Target, ...]
    snippets: tuple[SnippetVersions, ...] = ()
    not_applicable: str | None = None

    @property
    def versions(self) -> str:
        return ", ".join(t.shown for t in self.targets)


def _labels(pattern: dict[str, Any], language: str) -> list[str]:
    """The language's snippets in `pattern`: the reference first, then the variants in spec order."""
    labels = [s["label"] for s in pattern["snippets"] if s["language"] == language]
    return sorted(labels, key=lambda label: "/" in label)


def _entries(index, pattern: dict[str, Any], label: str, target: Target) -> dict[str, dict[str, Any]]:
    return {r["scenario"]: r for r in index[pattern["id"], at_version(label, target.version)]}


def pattern_versions(doc: dict[str, Any], pattern: dict[str, Any]) -> list[LanguageVersions]:
    """For each language run at more than one version that ran something of `pattern`: per snippet,
    per scenario, its versions grouped by trace."""
    index = by_snippet(doc)
    views = []
    for language, targets in targets_by_language(doc).items():
        if language in pattern["not_applicable"]:
            views.append(LanguageVersions(language, tuple(targets), (), pattern["not_applicable"][language]))
            continue
        labels = _labels(pattern, language)
        entries = {(label, t.name): _entries(index, pattern, label, t) for label in labels for t in targets}
        if not any(r["outcome"] not in _IDLE for by_scenario in entries.values() for r in by_scenario.values()):
            continue  # no snippet in the language, or none of them ran at any version
        tables = []
        for label in labels:
            rows = []
            for scenario in pattern["scenarios"]:
                groups: dict[tuple, list[tuple[Target, dict]]] = {}
                for t in targets:
                    entry = entries[label, t.name].get(scenario["name"])
                    if entry is not None:
                        groups.setdefault(trace_of(entry, scenario), []).append((t, entry))
                rows.append(
                    Row(
                        scenario["name"],
                        scenario_anchor(scenario["name"]),
                        tuple(
                            Group(tuple(t for t, _ in members), lane_status(members[0][1]), note(members[0][1]))
                            for members in groups.values()
                        ),
                    )
                )
            tables.append(SnippetVersions(label, tuple(rows)))
        views.append(LanguageVersions(language, tuple(targets), tuple(tables)))
    return views


# -- the changelog: where a trace changes between consecutive versions --------------------------


@dataclass(frozen=True)
class EventLine:
    tick: int
    text: str  # `succeed a 7`
    ms: float
    only: bool  # the other version has no such event in this tick


def _lines(entry: dict[str, Any], other: dict[str, Any]) -> list[EventLine]:
    theirs = Counter((o["tick"], event_key(o["ev"], o["fields"])) for o in other["observed"])
    lines = []
    for o in entry["observed"]:
        key = (o["tick"], event_key(o["ev"], o["fields"]))
        lines.append(EventLine(o["tick"], short_label(o["ev"], o["fields"]), o["t_ms"], theirs[key] <= 0))
        theirs[key] -= 1
    return lines


@dataclass(frozen=True)
class Change:
    language: str
    before: Target
    after: Target
    pattern: dict[str, Any]
    label: str
    scenario: dict[str, Any]
    old: dict[str, Any]  # the entries of the two versions
    new: dict[str, Any]
    reasons: tuple[tuple[str, str], ...]  # (which version, why)
    svg: str

    @property
    def anchor(self) -> str:
        return "ch-" + slug(
            f"{self.language} {self.before.shown} {self.after.shown} {self.pattern['id']} {self.label} "
            f"{self.scenario['name']}"
        )

    @property
    def traces(self) -> tuple[list[EventLine], list[EventLine]]:
        """Each version's events as lines, those the other version lacks (in that tick) marked."""
        return _lines(self.old, self.new), _lines(self.new, self.old)

    @property
    def words(self) -> tuple[str, str]:
        """Each version's outcome, as the version tables say it (`pass (pinned)`)."""
        return tuple(WORDS.get(lane_status(e), lane_status(e)) for e in (self.old, self.new))

    @property
    def endings(self) -> tuple[str, str] | None:
        """How each version's process ended, for a scenario run alone; None for one that was not."""
        if not self.scenario.get("alone"):
            return None
        return describe_ending(ending_of(self.old)), describe_ending(ending_of(self.new))

    @property
    def what(self) -> str:
        """`availability`, `outcome`, `trace` or `ending`: what changed, in a word."""
        old, new = lane_status(self.old), lane_status(self.new)
        if "not available" in (old, new) and old != new:
            return "availability"
        if old != new:
            return "outcome"
        events_alike = trace_of(self.old, self.scenario)[:-1] == trace_of(self.new, self.scenario)[:-1]
        return "ending" if events_alike else "trace"


@dataclass(frozen=True)
class Step:
    """Two consecutive versions of a language and the changes between them."""

    before: Target
    after: Target
    changes: tuple[Change, ...]


@dataclass
class LanguageLog:
    language: str
    targets: tuple[Target, ...]
    compared: int = 0  # scenarios (of a snippet) that ran on at least two of the versions
    steps: list[Step] = field(default_factory=list)

    @property
    def versions(self) -> str:
        return ", ".join(t.shown for t in self.targets)

    @property
    def changes(self) -> int:
        return sum(len(step.changes) for step in self.steps)


def _reasons(before: Target, after: Target, old: dict[str, Any], new: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Why the trace differs: what a `not available` side requires, the pin of each side (once when
    both have the same), and a failing side's message."""
    reasons: list[tuple[str, str]] = []
    for target, entry in ((before, old), (after, new)):
        if needed := requirement(entry):
            reasons.append((target.shown, f"not available: requires {needed[0]}: {needed[1]}"))
    pins = [(t.shown, e["divergence"]["reason"]) for t, e in ((before, old), (after, new)) if e["divergence"]]
    if pins and not any(r.startswith("not available") for _, r in reasons):
        if len(pins) == 2 and pins[0][1] == pins[1][1]:
            reasons.append((f"{before.shown} and {after.shown}", f"pinned divergence: {pins[0][1]}"))
        else:
            reasons += [(shown, f"pinned divergence: {reason}") for shown, reason in pins]
            if len(pins) == 1:
                unpinned = after if pins[0][0] == before.shown else before
                reasons.append((unpinned.shown, "no divergence pinned: the spec's trace"))
    for target, entry in ((before, old), (after, new)):
        if entry["outcome"] not in ("pass", "not available") and entry["outcome"] not in _IDLE:
            reasons.append((target.shown, f"{entry['outcome']}: {note(entry)}"))
    return tuple(reasons)


def _timeline(doc: dict[str, Any], scenario: dict[str, Any], before: Target, after: Target, old, new) -> str:
    lanes = [lane(old), lane(new)]
    named = [
        Lane(f"{t.language} {t.shown}", ln.events, ln.status, ln.note, ln.expected)
        for t, ln in zip((before, after), lanes)
    ]
    return timeline_svg(named, scenario["window"], doc["run"]["tick_ms"], compact=True)


def changelog(doc: dict[str, Any]) -> list[LanguageLog]:
    """Per language run at more than one version: how many scenarios ran on two or more of them,
    and every change of trace or availability between consecutive versions that ran a scenario."""
    index = by_snippet(doc)
    logs = []
    for language, targets in targets_by_language(doc).items():
        log = LanguageLog(language, tuple(targets))
        found: dict[tuple[str, str], list[Change]] = {}
        for pattern in catalogue_order(doc["patterns"]):
            for label in _labels(pattern, language):
                per_target = [(t, _entries(index, pattern, label, t)) for t in targets]
                for scenario in pattern["scenarios"]:
                    ran = [
                        (t, entries[scenario["name"]])
                        for t, entries in per_target
                        if scenario["name"] in entries and entries[scenario["name"]]["outcome"] not in _IDLE
                    ]
                    log.compared += len(ran) > 1
                    for (before, old), (after, new) in zip(ran, ran[1:]):
                        if trace_of(old, scenario) == trace_of(new, scenario):
                            continue
                        found.setdefault((before.name, after.name), []).append(
                            Change(
                                language,
                                before,
                                after,
                                pattern,
                                label,
                                scenario,
                                old,
                                new,
                                _reasons(before, after, old, new),
                                _timeline(doc, scenario, before, after, old, new),
                            )
                        )
        # Each consecutive pair of the language's versions, changed or not, then any pair a scenario
        # skipped a version between (it did not run there).
        pairs = [(a.name, b.name) for a, b in zip(targets, targets[1:])]
        pairs += [pair for pair in found if pair not in pairs]
        by_name = {t.name: t for t in targets}
        log.steps = [Step(by_name[a], by_name[b], tuple(found.get((a, b), ()))) for a, b in pairs]
        logs.append(log)
    return logs
