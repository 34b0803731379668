"""What a pinned divergence is about, read from how its trace differs from the spec's.

The topics are declared here, in the order a reader looks for them; a divergence belongs to every
topic its difference shows, and is listed under the first.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from ..trace import _key as same_event  # the comparison's own notion of one event (1 == 1.0)

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
    spec = [(e[0], e[1], e[2] if len(e) > 2 else {}) for e in expect]
    own = [(e[0], e[1], e[2] if len(e) > 2 else {}) for e in pinned]
    a, b = Counter(same_event(ev, f) for _, ev, f in spec), Counter(same_event(ev, f) for _, ev, f in own)
    changed = {json.loads(k)[0] for k in (a - b) + (b - a)}
    ticks_a, ticks_b = defaultdict(list), defaultdict(list)
    for tick, ev, f in spec:
        ticks_a[same_event(ev, f)].append(tick)
    for tick, ev, f in own:
        ticks_b[same_event(ev, f)].append(tick)
    found = {
        "outcome": bool(changed & _OUTCOME_EVENTS),
        "cancellation": "cancelled" in changed,
        "timing": any(sorted(ticks_a[k]) != sorted(ticks_b[k]) for k in a.keys() & b.keys()),
        "ordering": not changed and Counter(map(repr, spec)) == Counter(map(repr, own)) and spec != own,
        "effects": bool(changed - _OUTCOME_EVENTS - {"cancelled"}),
    }
    return [topic for topic, *_ in TOPICS if found[topic]] or ["effects"]


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
