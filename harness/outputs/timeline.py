"""A scenario's timeline as SVG: one lane per trace, events as marks at their tick.

    svg = timeline_svg([Lane("expected", expected, "expected"), Lane("go", observed, "pass")],
                       window=5, tick_ms=50)

Every mark carries a `<title>` (its tick, raw milliseconds when observed, and the event in full),
so hovering shows what a compact label cannot. A lane given `expected` events too is drawn as an
overlay: events found in both are plain marks, an expected event that did not come is a hollow
dashed mark, and an event that was not expected is a red one. The picture is self-contained (no
stylesheet, no script): colours are presentation attributes, so it reads the same inline in HTML,
as a file, or in print.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from harness.outputs.text import visible, xml_text  # every text of the picture is written through it
from harness.running.trace import event_key as same_event  # the comparison's notion of one event (1 == 1.0)
from harness.running.trace import format_event, format_value


class Event(NamedTuple):
    tick: int
    ev: str
    fields: dict[str, Any]
    ms: float | None = None  # raw milliseconds since the scenario started, when observed


@dataclass(frozen=True)
class Lane:
    label: str  # `expected`, `go`, `python/gather`
    events: tuple[Event, ...] | list[Event]
    status: str = "pass"  # expected, pass, fail, divergent, timeout, crash, protocol error, not run
    note: str = ""  # shown on hover over the lane's label: a divergence's reason, a failure's message
    expected: tuple[Event, ...] | list[Event] | None = None  # overlaid, for a lane that failed


# Lane backgrounds and event colours (colour-blind safe hues; marks also differ by shape of outline).
_LANE_FILL = {
    "expected": "#eef1f5",
    "pass": "#ffffff",
    "divergent": "#fff6e0",
    "fail": "#fdecec",
    "timeout": "#fdecec",
    "crash": "#fdecec",
    "protocol error": "#fdecec",
}
_EVENT_FILL = {
    "start": "#6b7785",
    "succeed": "#1a7f37",
    "result": "#1a7f37",
    "fail": "#b35900",
    "error": "#b35900",
    "cancelled": "#6f42c1",
}
_OTHER_FILL = "#0b6bcb"
_WRONG = "#cf222e"
_BADGE = {"divergent": "pinned", "fail": "fail", "timeout": "timeout", "crash": "crash", "protocol error": "protocol"}


@dataclass(frozen=True)
class _Geometry:
    col: int  # width of one tick
    row: int  # height of one stacked mark
    label_w: int  # width of the lane label column
    font: int
    radius: float


_FULL = _Geometry(col=104, row=18, label_w=132, font=11, radius=5)
_COMPACT = _Geometry(col=68, row=15, label_w=96, font=10, radius=4)
_AXIS_H = 22
MAX_STACK = 12  # marks drawn in one tick of one lane; a flood beyond is summed up as `+N more`


def short_label(ev: str, fields: dict[str, Any]) -> str:
    """`start a`, `succeed a 7`, `error timeout`: the event and its field values, without keys.
    Values go `op` first, then by key, so lanes read alike whatever order a language wrote them in."""
    keys = sorted(fields, key=lambda k: (k != "op", k))
    return " ".join([ev, *(format_value(fields[k]) for k in keys)])


def _mark_title(event: Event, kind: str) -> str:
    where = f"tick {event.tick}" + (f", {event.ms:.1f} ms" if event.ms is not None else "")
    prefix = {"missing": "expected, missing: ", "extra": "not expected: "}.get(kind, "")
    return f"{prefix}{format_event(event.ev, event.fields)} ({where})"


def _key(event: Event) -> str:
    return same_event(event.ev, event.fields)


def _overlay(lane: Lane) -> list[tuple[Event, str]]:
    """The lane's marks as (event, kind), kind one of ok, missing, extra (per-tick multiset match)."""
    if lane.expected is None:
        return [(Event(*e), "ok") for e in lane.events]
    observed = [Event(*e) for e in lane.events]
    expected = [Event(*e) for e in lane.expected]
    marks: list[tuple[Event, str]] = []
    for tick in sorted({e.tick for e in observed} | {e.tick for e in expected}):
        wanted = Counter(_key(e) for e in expected if e.tick == tick)
        for event in (e for e in observed if e.tick == tick):
            if wanted[_key(event)] > 0:
                wanted[_key(event)] -= 1
                marks.append((event, "ok"))
            else:
                marks.append((event, "extra"))
        for event in (e for e in expected if e.tick == tick):
            if wanted[_key(event)] > 0:
                wanted[_key(event)] -= 1
                marks.append((event, "missing"))
    return marks


def _fit(text: str, width: float, font: int) -> str:
    """Cut `text` to about `width` pixels (an average glyph is ~0.55 em wide)."""
    room = max(1, int(width / (font * 0.55)))
    return text if len(text) <= room else text[: max(1, room - 1)] + "…"


def timeline_svg(lanes: list[Lane], window: int, tick_ms: float, *, compact: bool = False) -> str:
    """An SVG element drawing `lanes` over ticks 0..window (wider if an event came later)."""
    if not lanes:
        raise ValueError("a timeline needs at least one lane")
    g = _COMPACT if compact else _FULL
    # The label column fits the longest label and its badge (bold glyphs: ~0.6 em).
    longest = max(len(lane.label) + len(_BADGE.get(lane.status, "")) + 1 for lane in lanes)
    g = replace(g, label_w=max(g.label_w, math.ceil(longest * g.font * 0.6) + 12))
    laid = [(lane, _overlay(lane)) for lane in lanes]
    last = max([window, *(e.tick + 1 for _, marks in laid for e, _ in marks)])
    width = g.label_w + last * g.col + 16
    out: list[str] = []
    y = _AXIS_H
    for lane, marks in laid:
        per_tick = Counter(e.tick for e, _ in marks)
        height = min(MAX_STACK + 1, max(per_tick.values(), default=1)) * g.row + 8
        out.append(_lane(lane, marks, y, height, width, g))
        y += height
    axis = _axis(last, window, tick_ms, y, g)
    title = f"timeline over {window} ticks of {tick_ms:g} ms: " + ", ".join(f"{ln.label} {ln.status}" for ln in lanes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} {y + 4}" '
        f'width="{width}" height="{y + 4}" role="img" font-family="system-ui, sans-serif" '
        f'font-size="{g.font}"><title>{xml_text(title)}</title>{axis}{"".join(out)}</svg>'
    )


def _axis(last: int, window: int, tick_ms: float, bottom: int, g: _Geometry) -> str:
    parts = []
    for tick in range(last + 1):
        x = g.label_w + tick * g.col
        parts.append(f'<line x1="{x}" y1="{_AXIS_H - 4}" x2="{x}" y2="{bottom}" stroke="#d0d7de"/>')
        parts.append(
            f'<text x="{x + 3}" y="{_AXIS_H - 8}" fill="#57606a"><title>{tick * tick_ms:g} ms</title>{tick}</text>'
        )
    # Where the runner stopped observing: later events are leaks, not part of the scenario.
    x = g.label_w + window * g.col
    parts.append(
        f'<line x1="{x}" y1="{_AXIS_H - 4}" x2="{x}" y2="{bottom}" stroke="#57606a" stroke-dasharray="3 3">'
        f"<title>window closes (tick {window}, {window * tick_ms:g} ms)</title></line>"
    )
    parts.append(f'<text x="4" y="{_AXIS_H - 8}" fill="#57606a">tick ({tick_ms:g} ms)</text>')
    return "".join(parts)


def _lane(lane: Lane, marks: list[tuple[Event, str]], y: int, height: int, width: int, g: _Geometry) -> str:
    fill = _LANE_FILL.get(lane.status, "#f6f8fa")
    hover = f"{lane.label}: {lane.status}" + (f" ({lane.note})" if lane.note else "")
    badge = _BADGE.get(lane.status, "")
    label = _fit(visible(lane.label), g.label_w - 8 - (len(badge) + 1) * g.font * 0.6, g.font)
    parts = [
        f'<g class="lane" data-label="{xml_text(lane.label)}" data-status="{xml_text(lane.status)}">',
        f'<rect x="0" y="{y}" width="{width}" height="{height}" fill="{fill}" stroke="#d0d7de" stroke-width="0.5"/>',
        f'<text x="4" y="{y + g.row - 4}" font-weight="600"><title>{xml_text(hover)}</title>{xml_text(label)}'
        + (f' <tspan fill="{_WRONG if badge != "pinned" else "#9a6700"}">{badge}</tspan>' if badge else "")
        + "</text>",
    ]
    if not marks and lane.status not in ("expected", "pass", "divergent"):
        parts.append(f'<text x="{g.label_w + 4}" y="{y + g.row - 4}" fill="#57606a">no events</text>')
    stacked: Counter[int] = Counter()
    for event, kind in marks:
        level = stacked[event.tick]
        stacked[event.tick] += 1
        if level >= MAX_STACK:
            continue
        cx = g.label_w + event.tick * g.col + g.radius + 4
        cy = y + level * g.row + g.row / 2 + 2
        colour = _EVENT_FILL.get(event.ev, _OTHER_FILL)
        if kind == "missing":
            shape = f'fill="none" stroke="{_WRONG}" stroke-dasharray="2 2" stroke-width="1.5"'
        elif kind == "extra":
            shape = f'fill="{_WRONG}" stroke="{_WRONG}"'
        else:
            shape = f'fill="{colour}" stroke="{colour}"'
        text = _fit(visible(short_label(event.ev, event.fields)), g.col - 2 * g.radius - 10, g.font)
        text_fill = _WRONG if kind != "ok" else "#24292f"
        decoration = ' text-decoration="line-through"' if kind == "missing" else ""
        parts.append(
            f'<g class="mark" data-kind="{kind}"><title>{xml_text(_mark_title(event, kind))}</title>'
            f'<circle cx="{cx}" cy="{cy}" r="{g.radius}" {shape}/>'
            f'<text x="{cx + g.radius + 3}" y="{cy + g.font / 2 - 1.5}" fill="{text_fill}"{decoration}>'
            f"{xml_text(text)}</text></g>"
        )
    for tick, count in stacked.items():
        if count > MAX_STACK:
            x, more = g.label_w + tick * g.col + 4, count - MAX_STACK
            parts.append(
                f'<text x="{x}" y="{y + MAX_STACK * g.row + g.row - 2}" fill="{_WRONG}">'
                f"<title>{count} events in tick {tick}; the first {MAX_STACK} are drawn</title>+{more} more</text>"
            )
    parts.append("</g>")
    return "".join(parts)
