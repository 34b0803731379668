"""What a pinned divergence is about, read from how its trace differs from the spec's.

The topics are declared here, in the order a reader looks for them; a divergence belongs to every
topic its difference shows, and is listed under the first.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from harness.running.trace import event_key as same_event  # the comparison's notion of one event (1 == 1.0)

# (id, heading, what a divergence under it changes)
TOPICS = (
    ("outcome", "Which error or result", "the caller gets another error or value"),
    ("cancellation", "Cancellation", "work is cancelled where the spec runs it on, or runs on where it is cancelled"),
    ("timing", "Timing", "the same events come at other ticks"),
    ("ordering", "Ordering", "the same events come in another order inside a tick"),
    ("effects", "Other effects", "other operations start, succeed or fail"),
)
_OUTCOME_EVENTS = {"result", "error"}


def topics(expect: list[list], pinned: list[list]) -> list[str]:
    """The topics on which the pinned trace differs from the spec's `expect` (events as [tick, ev, fields])."""
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
    }
    return [topic for topic, *_ in TOPICS if found[topic]] or ["effects"]


def _keyed(events: list[list]) -> list[tuple[int, str, str]]:
    """(tick, event name, the event as the trace comparison tells events apart)."""
    return [(tick, ev, same_event(ev, fields)) for tick, ev, fields in events]


def divergence_rows(patterns: list[dict]) -> list[dict]:
    """Every pinned divergence of the catalogue, in spec order, with its topics."""
    rows = []
    for pattern in patterns:
        for scenario in pattern["scenarios"]:
            for label, div in scenario.get("divergences", {}).items():
                rows.append(
                    {
                        "pattern": pattern,
                        "scenario": scenario["name"],
                        "label": label,
                        "reason": div["reason"],
                        "topics": topics(scenario["expect"], div["expect"]),
                    }
                )
    return rows


def grouped(patterns: list[dict]) -> list[tuple[tuple[str, str, str], list[dict]]]:
    """The divergences under their first topic, topics in declared order, empty ones left out."""
    rows = divergence_rows(patterns)
    return [
        (topic, [r for r in rows if r["topics"][0] == topic[0]])
        for topic in TOPICS
        if any(r["topics"][0] == topic[0] for r in rows)
    ]
