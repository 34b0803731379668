"""What a pinned divergence is about, read from how its trace differs from the spec's.

The topics are declared here, in the order a reader looks for them; a divergence belongs to every
topic its difference shows, and is listed under the first.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from harness.catalogue.selection import at_version
from harness.catalogue.spec import QUALIFIED, holds_for
from harness.running.trace import event_key as same_event  # the comparison's notion of one event (1 == 1.0)

# (id, heading, what a divergence under it changes)
TOPICS = (
    ("outcome", "Which error or result", "the caller gets another error or value"),
    ("cancellation", "Cancellation", "work is cancelled where the spec runs it on, or runs on where it is cancelled"),
    ("timing", "Timing", "the same events come at other ticks"),
    ("ordering", "Ordering", "the same events come in another order inside a tick"),
    ("effects", "Other effects", "other operations start, succeed or fail"),
    ("ending", "How the process ends", "a process run alone exits with another status or prints otherwise"),
)
_OUTCOME_EVENTS = {"result", "error"}


def topics(
    expect: list[list], pinned: list[list], ending: dict | None = None, own_ending: dict | None = None
) -> list[str]:
    """The topics on which the pinned trace differs from the spec's `expect` (events as [tick, ev, fields]),
    and, for a scenario run alone, the pinned ending from the scenario's (`own_ending` None: the same)."""
    spec, own = _keyed(expect), _keyed(pinned)
    a, b = Counter(key for _, _, key in spec), Counter(key for _, _, key in own)
    changed = {json.loads(key)[0] for key in (a - b) + (b - a)}  # names of events only one trace has
    ticks_a, ticks_b = defaultdict(list), defaultdict(list)
    for tick, _, key in spec:
        ticks_a[key].append(tick)
    for tick, _, key in own:
        ticks_b[key].append(tick)
    same_ticks = all(sorted(ticks_a[key]) == sorted(ticks_b[key]) for key in a.keys() | b.keys())
    found = {
        "outcome": bool(changed & _OUTCOME_EVENTS),
        "cancellation": "cancelled" in changed,
        "timing": any(sorted(ticks_a[key]) != sorted(ticks_b[key]) for key in a.keys() & b.keys()),
        "ordering": not changed and same_ticks and [key for *_, key in spec] != [key for *_, key in own],
        "effects": bool(changed - _OUTCOME_EVENTS - {"cancelled"}),
        "ending": own_ending is not None and own_ending != ending,
    }
    return [topic for topic, *_ in TOPICS if found[topic]] or ["effects"]


def _keyed(events: list[list]) -> list[tuple[int, str, str]]:
    """(tick, event name, the event as the trace comparison tells events apart)."""
    return [(tick, ev, same_event(ev, fields)) for tick, ev, fields in events]


def pin_in_force(pins: dict[str, Any], label: str, version: str | None) -> str | None:
    """The key of the pin (a divergence or an error shape of a results document's scenario) that
    snippet `label` is held to when run at the reported `version`, chosen as the run chooses it:
    one qualified by versions (`go<1.23`) that holds for it before the plain one; None when none holds."""
    pinned = []
    for key in pins:
        qualified = QUALIFIED.match(key)
        if qualified is None or qualified["label"] != label:
            continue
        op, meant = qualified["op"] or "", qualified["version"] or ""
        if holds_for(op, meant, version):
            pinned.append((key, op))
    return min(pinned, key=lambda pin: not pin[1], default=(None, ""))[0]


def reported_version(doc: dict[str, Any], language: str, version: str | None = None) -> str | None:
    """The version the runner of `language` (at the `version` the run named, if any) reported."""
    return (doc["run"]["languages"].get(at_version(language, version)) or {}).get("version")


def divergence_rows(patterns: list[dict], doc: dict[str, Any] | None = None) -> list[dict]:
    """Every pinned divergence of the catalogue, in spec order, with its topics and, given the run's
    `doc`, the result that shows whether this run saw it (None: no run it holds for)."""
    rows = []
    for pattern in patterns:
        for scenario in pattern["scenarios"]:
            for key, div in scenario.get("divergences", {}).items():
                label = QUALIFIED.match(key)["label"]
                rows.append(
                    {
                        "pattern": pattern,
                        "scenario": scenario["name"],
                        "label": key,
                        "snippet": label,
                        "reason": div["reason"],
                        "topics": topics(scenario["expect"], div["expect"], scenario.get("ending"), div.get("ending")),
                        "result": _held_by(doc, pattern["id"], scenario, key, label) if doc else None,
                    }
                )
    return rows


def _held_by(doc: dict[str, Any], pattern: str, scenario: dict, key: str, label: str) -> dict | None:
    """The result that shows whether this run saw pin `key`: of the snippet's results in this
    scenario, those run at a version the pin is in force for, the first that did not pass, else the
    first; None when none ran there."""
    held = [
        r
        for r in doc["results"]
        if (r["pattern"], r["snippet"], r["scenario"]) == (pattern, label, scenario["name"])
        and r["outcome"] not in ("not run", "not applicable")
        and pin_in_force(scenario["divergences"], label, reported_version(doc, r["language"], r.get("version"))) == key
    ]
    return next((r for r in held if r["outcome"] != "pass"), held[0] if held else None)


def grouped(patterns: list[dict], doc: dict[str, Any] | None = None) -> list[tuple[tuple[str, str, str], list[dict]]]:
    """The divergences under their first topic, topics in declared order, empty ones left out."""
    rows = divergence_rows(patterns, doc)
    return [
        (topic, [r for r in rows if r["topics"][0] == topic[0]])
        for topic in TOPICS
        if any(r["topics"][0] == topic[0] for r in rows)
    ]
