"""What the report's pages show, computed from a results document (no HTML here)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from harness.catalogue.selection import at_version
from harness.catalogue.spec import CATEGORIES
from harness.outputs.timeline import Event, Lane, timeline_svg

# Outcomes that make a scenario red (`error`: the harness could not run it); `pass` with a divergence
# is a pinned (divergent) pass.
BAD = ("fail", "timeout", "crash", "protocol error", "error")


@dataclass(frozen=True)
class Cell:
    """One snippet's state in the matrix (or, where the pattern does not apply to the language or has
    no snippet in it, the whole language's)."""

    state: str  # pass, divergent, fail, not-applicable, not-run, absent
    text: str
    title: str
    href: str | None
    label: str = ""  # the snippet (`java`, `java/allof`); empty for a whole language's cell
    variant: str | None = None  # the variant's name; None for the reference snippet


@dataclass(frozen=True)
class LanguageCell:
    """A pattern's cell of one language: its reference snippet first, then its variants."""

    language: str
    snippets: list[Cell]


# What a cell's state says in words, beside its mark and colour.
STATE_WORDS = {
    "pass": "passed",
    "divergent": "pinned",
    "fail": "failed",
    "not-applicable": "not applicable",
    "not-available": "not available on this version",
    "not-run": "not run",
    "absent": "no snippet",
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def page_of(pattern_id: str) -> str:
    return f"pattern-{pattern_id}.html"


def scenario_anchor(scenario: str) -> str:
    return f"sc-{slug(scenario)}"


def code_anchor(label: str) -> str:
    """The anchor of a snippet's code panel: one per snippet, whatever versions ran it."""
    return f"code-{slug(without_version(label))}"


def without_version(label: str) -> str:
    """`python@3.14/gather` -> `python/gather`: the snippet a label at a version names."""
    target, slash, variant = label.partition("/")
    return target.partition("@")[0] + slash + variant


def run_label(result: dict[str, Any]) -> str:
    """How a result's lane and note name its snippet: at the version the run named (`go@1.22`)."""
    return at_version(result["snippet"], result.get("version"))


def languages_of(doc: dict[str, Any]) -> list[str]:
    """The languages the report shows (at the versions the run named: `go@1.22`): the run's, in its
    order, then any other a pattern has a snippet in, by name."""
    order = list(doc["run"]["languages"])
    ran = {target.partition("@")[0] for target in order}
    found = {s["language"] for p in doc["patterns"] for s in p["snippets"]}
    return order + sorted(found - ran)


def by_snippet(doc: dict[str, Any]) -> dict[tuple[str, str], list[dict]]:
    """Results per (pattern, snippet label), in the file's (spec) order."""
    index: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for result in doc["results"]:
        index[result["pattern"], at_version(result["snippet"], result.get("version"))].append(result)
    return index


def cell(pattern: dict[str, Any], label: str, results: list[dict]) -> Cell:
    """The state of snippet `label` of `pattern` (one it has, in a language it applies to) over its
    `results`."""
    variant = label.partition("/")[2] or None
    page = page_of(pattern["id"])
    ran = [r for r in results if r["outcome"] not in ("not run", "not applicable")]
    if not ran:
        why = f"{label} did not run: not selected, or the run stopped first"
        return Cell("not-run", "not run", why, page + "#" + code_anchor(label), label, variant)
    bad = [r for r in ran if r["outcome"] in BAD]
    unavailable = [r for r in ran if r["outcome"] == "not available"]
    if unavailable and not bad and len(unavailable) == len(ran):
        why = unavailable[0]["message"].split("); on ")[0] + ")"
        return Cell(
            "not-available", "not available", f"{label}: {why}", page + "#" + code_anchor(label), label, variant
        )
    count = f"{len(ran) - len(bad)}/{len(ran)}"
    if bad:
        first = bad[0]
        lines = [f"{r['scenario']}: {r['outcome']}" + (" (stale divergence)" if _stale(r) else "") for r in bad]
        href = page + "#" + scenario_anchor(first["scenario"])
        return Cell("fail", f"✗ {count}", f"{label}\n" + "\n".join(lines), href, label, variant)
    pinned = [r for r in ran if r["divergence"]]
    if pinned:
        lines = [f"{r['scenario']}: {r['divergence']['reason']}" for r in pinned]
        href = page + "#" + scenario_anchor(pinned[0]["scenario"])
        return Cell("divergent", f"◆ {count}", f"{label}: pinned divergence\n" + "\n".join(lines), href, label, variant)
    return Cell(
        "pass", f"✓ {count}", f"{label}: every scenario passed", page + "#" + code_anchor(label), label, variant
    )


def _stale(result: dict[str, Any]) -> bool:
    """The pinned divergence did not happen: the language now follows the spec."""
    return bool(result["divergence"] and result["divergence"]["stale"])


def catalogue_order(patterns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Patterns by catalogue section (in the order readers meet them), keeping spec order inside one."""
    rank = {category: i for i, category in enumerate(CATEGORIES)}
    return sorted(patterns, key=lambda p: rank.get(p["category"], len(rank)))


def language_cell(pattern: dict[str, Any], language: str, index: dict[tuple[str, str], list[dict]]) -> LanguageCell:
    """The cell of `language` in `pattern`'s row: one entry per snippet, the reference first, then
    the variants in spec order; one entry for the language where the pattern does not apply or has
    no snippet in it."""
    language, _, version = language.partition("@")
    reason = pattern["not_applicable"].get(language)
    page = page_of(pattern["id"])
    if reason is not None:
        return LanguageCell(
            language, [Cell("not-applicable", "n/a", f"not applicable: {reason}", page + "#not-applicable")]
        )
    labels = [s["label"] for s in pattern["snippets"] if s["language"] == language]
    labels.sort(key=lambda label: "/" in label)  # stable: variants keep their spec order
    if not labels:
        return LanguageCell(language, [Cell("absent", "—", f"{pattern['id']} has no {language} snippet", None)])
    labels = [at_version(label, version or None) for label in labels]
    return LanguageCell(language, [cell(pattern, label, index[pattern["id"], label]) for label in labels])


def matrix(doc: dict[str, Any]) -> tuple[list[str], list[tuple[dict, list[LanguageCell]]]]:
    """The languages (one column each) and, per pattern in catalogue order, its row of cells."""
    languages = languages_of(doc)
    index = by_snippet(doc)
    rows = [
        (p, [language_cell(p, language, index) for language in languages]) for p in catalogue_order(doc["patterns"])
    ]
    return languages, rows


def lane_status(result: dict[str, Any]) -> str:
    if result["outcome"] == "pass" and result["divergence"]:
        return "divergent"
    return result["outcome"]


def lane(result: dict[str, Any]) -> Lane:
    events = [Event(o["tick"], o["ev"], o["fields"], o["t_ms"]) for o in result["observed"]]
    status = lane_status(result)
    note = result["divergence"]["reason"] if status == "divergent" else result["message"].split("\n")[0]
    expected = None
    if result["outcome"] in BAD:
        expected = [Event(tick, ev, fields) for tick, ev, fields in result["expected"]]
    return Lane(at_version(result["snippet"], result.get("version")), events, status, note, expected)


def scenarios(doc: dict[str, Any], pattern: dict[str, Any]) -> list[dict[str, Any]]:
    """Per scenario of `pattern`: its timeline (expected lane on top, then each snippet that ran, in
    spec order) and the results to explain under it (not a plain pass)."""
    tick_ms = doc["run"]["tick_ms"]
    index = by_snippet(doc)
    views = []
    for scenario in pattern["scenarios"]:
        ran = [
            r
            for s in pattern["snippets"]
            for target in languages_of(doc)
            if target.partition("@")[0] == s["language"]
            for r in index[pattern["id"], at_version(s["label"], target.partition("@")[2] or None)]
            if r["scenario"] == scenario["name"] and r["outcome"] not in ("not run", "not applicable")
        ]
        traces = scenario.get("expect_one_of") or [scenario["expect"]]
        expected = [
            Lane(
                "expected" if len(traces) == 1 else f"expected ({index} of {len(traces)})",
                [Event(tick, ev, fields) for tick, ev, fields in trace],
                "expected",
            )
            for index, trace in enumerate(traces, 1)
        ]
        views.append(
            {
                "scenario": scenario,
                "anchor": scenario_anchor(scenario["name"]),
                "svg": timeline_svg([*expected, *map(lane, ran)], scenario["window"], tick_ms),
                "notes": [r for r in ran if r["outcome"] != "pass" or r["divergence"] or r["truncated"]],
                "shapes": [shape_row(r) for r in ran if r.get("shapes")],
                "endings": [ending_row(r) for r in ran if r.get("ending")],
            }
        )
    return views


@dataclass(frozen=True)
class ShapeRow:
    """What error a snippet's caller got in a scenario: the shape pinned for it, and what it reported
    where that differs (`problem` says how)."""

    label: str
    pinned: list[str]
    observed: list[str] | None  # None: as pinned (or not run)
    problem: str


def shape_row(result: dict[str, Any]) -> ShapeRow:
    shapes = result["shapes"]
    observed = shapes["observed"] if shapes["problem"] else None
    return ShapeRow(run_label(result), shapes["pinned"] or [], observed, shapes["problem"])


@dataclass(frozen=True)
class EndingRow:
    """How a snippet's process ended in a scenario run alone: its exit status and the classes of what
    it printed, as pinned, and what this run gave where that differs (`problem` says how)."""

    label: str
    pinned: dict[str, Any]
    observed: dict[str, Any] | None  # None: as pinned (or not run)
    problem: str


def ending_row(result: dict[str, Any]) -> EndingRow:
    ending = result["ending"]
    observed = ending["observed"] if ending["problem"] else None
    return EndingRow(run_label(result), ending["pinned"], observed, ending["problem"])


def margins(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The run's timing margin per language (as its terminal summary gave it), with the share of the
    tick its latest event used and the time its scenarios took."""
    run = doc["run"]
    rows = []
    for language, margin in run["margin"].items():
        seconds = sum(r["seconds"] or 0.0 for r in doc["results"] if r["language"] == language)
        rows.append(
            margin | {"language": language, "share": margin["max_lateness_ms"] / run["tick_ms"], "seconds": seconds}
        )
    return rows
