"""A language run at several versions: which versions give the same trace.

Two versions give the same trace of a scenario when their outcomes are the same and they observed
the same events (tick, event, fields as JSON values), in any order inside a tick unless the scenario
is `ordered`: the comparison's own notion of a trace, without the milliseconds. The pattern pages
group a scenario's versions by it ("20: not available · 22, 24, 26: pass").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from harness.catalogue.languages import version_key
from harness.catalogue.selection import at_version
from harness.outputs.report.view import by_snippet, lane_status, scenario_anchor
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


def trace_of(entry: dict[str, Any], ordered: bool) -> tuple:
    """What two versions must share to give the same trace: the outcome (a pinned pass is not a plain
    one) and the events by tick, in arrival order inside a tick only if the scenario is `ordered`."""
    events = [(o["tick"], event_key(o["ev"], o["fields"])) for o in entry["observed"]]
    events.sort(key=(lambda e: e[0]) if ordered else None)  # stable: arrival order kept inside a tick
    return lane_status(entry), tuple(events)


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
                        groups.setdefault(trace_of(entry, scenario["ordered"]), []).append((t, entry))
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
