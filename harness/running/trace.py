"""Trace comparison: observed events in milliseconds against expected events in ticks.

Normalisation rules (also in the README):
* an event stamped `t` ms after the scenario started belongs to tick floor((t + early_ms) / tick_ms):
  it may come up to `early_ms` before its tick and up to a whole tick minus `early_ms` after it;
* expected and observed traces match when, tick by tick, they hold the same events (event name and
  fields, compared as JSON values); inside a tick order matters only for ordered scenarios;
* the stream must never go back to an earlier tick.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from harness.catalogue.spec import Expected


@dataclass(frozen=True)
class Observed:
    t: float
    ev: str
    fields: dict[str, Any]
    tick: int


@dataclass(frozen=True)
class Row:
    tick: int
    expected: Expected | None
    observed: Observed | None
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.expected is not None and self.observed is not None


@dataclass
class Comparison:
    rows: list[Row]
    problems: list[str] = field(default_factory=list)
    lateness_ms: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(row.ok for row in self.rows)

    @property
    def max_lateness_ms(self) -> float:
        return max(self.lateness_ms, default=0.0)


def to_tick(t_ms: float, tick_ms: float, early_ms: float) -> int:
    if not math.isfinite(t_ms):  # the runner client refuses such lines; nothing else may pass one on
        raise ValueError(f"t={t_ms} is not a finite number of milliseconds")
    return max(0, math.floor((t_ms + early_ms) / tick_ms))


def observe(raw: list[tuple[float, str, dict]], tick_ms: float, early_ms: float) -> list[Observed]:
    return [Observed(t, ev, fields, to_tick(t, tick_ms, early_ms)) for t, ev, fields in raw]


def _normal(value: Any) -> Any:
    """JSON numbers compare by value: 1 and 1.0 are the same number (true is not 1)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def event_key(ev: str, fields: dict) -> str:
    """One event as the comparison tells events apart: name and fields as JSON values (1 == 1.0)."""
    return json.dumps([ev, _normal(fields)], sort_keys=True)


def compare(expected: tuple[Expected, ...], observed: list[Observed], ordered: bool, tick_ms: float) -> Comparison:
    comparison = Comparison(rows=[])
    for before, after in zip(observed, observed[1:]):
        if after.tick < before.tick:
            comparison.problems.append(
                f"stream went back in time: {format_event(after.ev, after.fields)} (tick {after.tick}) "
                f"came after {format_event(before.ev, before.fields)} (tick {before.tick})"
            )
            break
    ticks = sorted({e.tick for e in expected} | {o.tick for o in observed})
    for tick in ticks:
        exp = [e for e in expected if e.tick == tick]
        obs = [o for o in observed if o.tick == tick]
        rows = _match_ordered(tick, exp, obs) if ordered else _match_unordered(tick, exp, obs)
        comparison.rows.extend(rows)
    _explain_moves(comparison.rows)
    comparison.lateness_ms = [r.observed.t - r.tick * tick_ms for r in comparison.rows if r.ok]
    return comparison


def _match_unordered(tick: int, exp: list[Expected], obs: list[Observed]) -> list[Row]:
    rows: list[Row] = []
    remaining = list(obs)
    missing = []
    for e in exp:
        found = next((o for o in remaining if event_key(o.ev, o.fields) == event_key(e.ev, e.fields)), None)
        if found is None:
            missing.append(e)
        else:
            remaining.remove(found)
            rows.append(Row(tick, e, found))
    rows.extend(Row(tick, e, None) for e in missing)
    rows.extend(Row(tick, None, o) for o in remaining)
    return rows


def _match_ordered(tick: int, exp: list[Expected], obs: list[Observed]) -> list[Row]:
    a = [event_key(e.ev, e.fields) for e in exp]
    b = [event_key(o.ev, o.fields) for o in obs]
    rows: list[Row] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            rows.extend(Row(tick, exp[i], obs[j]) for i, j in zip(range(i1, i2), range(j1, j2)))
            continue
        rows.extend(Row(tick, exp[i], None, "out of order" if a[i] in b else "") for i in range(i1, i2))
        rows.extend(Row(tick, None, obs[j], "out of order" if b[j] in a else "") for j in range(j1, j2))
    return rows


def _explain_moves(rows: list[Row]) -> None:
    """Pair a missing event with the same event seen at another tick: `1 tick late`."""
    missing = [i for i, r in enumerate(rows) if r.observed is None]
    extra = [i for i, r in enumerate(rows) if r.expected is None]
    for i in missing:
        e = rows[i].expected
        for j in extra:
            o = rows[j].observed
            if rows[j].note or event_key(o.ev, o.fields) != event_key(e.ev, e.fields):
                continue
            shift = o.tick - e.tick
            word = "late" if shift > 0 else "early"
            plural = "" if abs(shift) == 1 else "s"
            rows[i] = Row(rows[i].tick, e, None, f"seen at tick {o.tick}")
            rows[j] = Row(rows[j].tick, None, o, f"expected at tick {e.tick}: {abs(shift)} tick{plural} {word}")
            break


_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


def format_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{format_value(k)}: {format_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if isinstance(value, str) and _PLAIN.match(value) and value not in ("true", "false", "null"):
        return value
    return json.dumps(value)


def format_event(ev: str, fields: dict) -> str:
    """An event as reports show it: `start {op: a}`; whatever a snippet put in it is shown escaped."""
    name = format_value(ev)
    return f"{name} {format_value(fields)}" if fields else name


def render_diff(comparison: Comparison, tick_ms: float) -> str:
    """Expected and actual side by side per tick; actual with its raw milliseconds."""
    left = [format_event(r.expected.ev, r.expected.fields) if r.expected else "" for r in comparison.rows]
    width = max([len("expected"), *map(len, left)])
    lines = [f"  tick  {'expected':<{width}}    actual (ms since start; tick = {tick_ms:g} ms)"]
    previous = None
    for row, text in zip(comparison.rows, left):
        tick = f"{row.tick:>4}" if row.tick != previous else "    "
        previous = row.tick
        mark = " " if row.ok else "✗"
        if row.observed:
            fields = row.observed.fields
            if row.expected:  # a matched pair reads the same on both sides: fields in the spec's order
                order = list(row.expected.fields)
                fields = dict(
                    sorted(fields.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
                )
            actual = f"{format_event(row.observed.ev, fields)}  @{row.observed.t:.1f}"
        else:
            actual = "(missing)"
        note = f"   <- {row.note}" if row.note else ""
        lines.append(f"{mark} {tick}  {text:<{width}}    {actual}{note}")
    lines.extend(f"✗ {problem}" for problem in comparison.problems)
    return "\n".join(lines)
