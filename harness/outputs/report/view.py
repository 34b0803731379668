"""What the report's pages show, computed from a results document (no HTML here)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from harness.catalogue.spec import CATEGORIES
from harness.outputs.timeline import Event, Lane, timeline_svg

# Outcomes that make a scenario red (`error`: the harness could not run it); `pass` with a divergence
# is a pinned (divergent) pass.
BAD = ("fail", "timeout", "crash", "protocol error", "error")


@dataclass(frozen=True)
class Cell:
    state: str  # pass, divergent, fail, not-applicable, not-run, absent
    text: str
    title: str
    href: str | None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def page_of(pattern_id: str) -> str:
    return f"pattern-{pattern_id}.html"


def scenario_anchor(scenario: str) -> str:
    return f"sc-{slug(scenario)}"


def code_anchor(label: str) -> str:
    return f"code-{slug(label)}"


def columns(doc: dict[str, Any]) -> list[str]:
    """Snippet labels across the catalogue: languages in the run's order, each before its variants."""
    order = list(doc["run"]["languages"])
    labels = {s["label"]: s["language"] for p in doc["patterns"] for s in p["snippets"]}
    order += sorted({lang for lang in labels.values() if lang not in order})
    rank = {lang: i for i, lang in enumerate(order)}
    return sorted(set(labels) | set(order), key=lambda label: (rank[label.split("/")[0]], "/" in label, label))


def by_snippet(doc: dict[str, Any]) -> dict[tuple[str, str], list[dict]]:
    """Results per (pattern, snippet label), in the file's (spec) order."""
    index: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for result in doc["results"]:
        index[result["pattern"], result["snippet"]].append(result)
    return index


def cell(pattern: dict[str, Any], label: str, results: list[dict]) -> Cell:
    language = label.split("/")[0]
    page = page_of(pattern["id"])
    reason = pattern["not_applicable"].get(language)
    if reason is not None:
        return Cell("not-applicable", "n/a", f"not applicable: {reason}", page + "#not-applicable")
    if label not in {s["label"] for s in pattern["snippets"]}:
        return Cell("absent", "", f"{pattern['id']} has no {label} snippet", None)
    ran = [r for r in results if r["outcome"] not in ("not run", "not applicable")]
    if not ran:
        why = f"{label} did not run: not selected, or the run stopped first"
        return Cell("not-run", "not run", why, page + "#" + code_anchor(label))
    bad = [r for r in ran if r["outcome"] in BAD]
    count = f"{len(ran) - len(bad)}/{len(ran)}"
    if bad:
        first = bad[0]
        lines = [f"{r['scenario']}: {r['outcome']}" + (" (stale divergence)" if _stale(r) else "") for r in bad]
        return Cell("fail", f"✗ {count}", "\n".join(lines), page + "#" + scenario_anchor(first["scenario"]))
    pinned = [r for r in ran if r["divergence"]]
    if pinned:
        lines = [f"{r['scenario']}: {r['divergence']['reason']}" for r in pinned]
        return Cell(
            "divergent",
            f"◆ {count}",
            "pinned divergence\n" + "\n".join(lines),
            page + "#" + scenario_anchor(pinned[0]["scenario"]),
        )
    return Cell("pass", f"✓ {count}", f"{label}: every scenario passed", page + "#" + code_anchor(label))


def _stale(result: dict[str, Any]) -> bool:
    """The pinned divergence did not happen: the language now follows the spec."""
    return bool(result["divergence"] and result["divergence"]["stale"])


def catalogue_order(patterns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Patterns by catalogue section (in the order readers meet them), keeping spec order inside one."""
    rank = {category: i for i, category in enumerate(CATEGORIES)}
    return sorted(patterns, key=lambda p: rank.get(p["category"], len(rank)))


def matrix(doc: dict[str, Any]) -> tuple[list[str], list[tuple[dict, list[Cell]]]]:
    """The column labels and, per pattern in catalogue order, its row of cells."""
    labels = columns(doc)
    index = by_snippet(doc)
    rows = [(p, [cell(p, label, index[p["id"], label]) for label in labels]) for p in catalogue_order(doc["patterns"])]
    return labels, rows


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
    return Lane(result["snippet"], events, status, note, expected)


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
            for r in index[pattern["id"], s["label"]]
            if r["scenario"] == scenario["name"] and r["outcome"] not in ("not run", "not applicable")
        ]
        expected = Lane("expected", [Event(tick, ev, fields) for tick, ev, fields in scenario["expect"]], "expected")
        views.append(
            {
                "scenario": scenario,
                "anchor": scenario_anchor(scenario["name"]),
                "svg": timeline_svg([expected, *map(lane, ran)], scenario["window"], tick_ms),
                "notes": [r for r in ran if r["outcome"] != "pass" or r["divergence"] or r["truncated"]],
            }
        )
    return views


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
