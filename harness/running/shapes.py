"""Error shapes: what a language's error value is, judged apart from the trace.

An `error` event is compared across languages by its label alone (`{error: timeout}`). A snippet may
add the field `shape`, built by its trace helper from the error value itself (its type and the chain
it wraps: `TimeoutError <- CancelledError`, `*fmt.wrapError <- context.deadlineExceededError`). The
shape is per language: it is taken out of the event before the trace is compared, and held to the
scenario's `shapes:` pin for that snippet, strictly:

* a shape reported with no pin fails, asking for one (`make record UPDATE=1` writes it);
* a shape that differs from its pin fails, showing both;
* a pin whose snippet reports no shape any more is stale, and fails asking to remove it.
"""

from __future__ import annotations

import json
from typing import Any

from harness.base.paths import repo_relative
from harness.catalogue.spec import ShapePin, Snippet
from harness.running.trace import format_value

FIELD = "shape"  # the field of an `error` event that holds the error's shape
EVENT = "error"

Event = tuple[float, str, dict[str, Any]]


def _carries_shape(ev: str, fields: dict[str, Any]) -> bool:
    return ev == EVENT and FIELD in fields


def shapes_of(events: list[Event]) -> tuple[str, ...]:
    """The shapes the `error` events report, in trace order (a value that is not text, as JSON)."""
    return tuple(_text(fields[FIELD]) for _, ev, fields in events if _carries_shape(ev, fields))


def without_shapes(events: list[Event]) -> list[Event]:
    """The events as the trace comparison sees them: `error` events without their shape."""
    return [
        (t, ev, {k: v for k, v in fields.items() if k != FIELD} if _carries_shape(ev, fields) else fields)
        for t, ev, fields in events
    ]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else format_value(value)


def shape_problem(snippet: Snippet, scenario: str, pin: ShapePin | None, observed: tuple[str, ...]) -> str:
    """Why the shapes `observed` do not hold to `pin`, or "" if they do."""
    if observed in (pin.alternatives if pin is not None else ((),)):
        return ""
    spec = repo_relative(snippet.file.parent / "pattern.yaml")
    if pin is None:
        return (
            f"unpinned error shape: {snippet.label} reports {_listed(observed)} in scenario {scenario!r}, and "
            f"{spec} pins none; add it under the scenario's `shapes:` ({snippet.label}: {_yaml(observed)}), "
            f"or let `make record PATTERN={snippet.pattern} UPDATE=1` write it"
        )
    if not observed:
        return (
            f"stale error shape: {snippet.label} reports no error shape in scenario {scenario!r}, but {spec} "
            f"pins {_listed(pin.shapes)} under `shapes: {pin.key}`. Remove it."
        )
    if pin.one_of:
        return (
            f"error shape is none of those pinned for {pin.key}:\n"
            + "".join(f"  pinned:   {_yaml(shapes)}\n" for shapes in pin.one_of)
            + f"  observed: {_yaml(observed)}"
        )
    return (
        f"error shape differs from the one pinned for {pin.key}:\n"
        f"  pinned:   {_yaml(pin.shapes)}\n"
        f"  observed: {_yaml(observed)}"
    )


def _listed(shapes: tuple[str, ...]) -> str:
    return ", ".join(f"`{s}`" for s in shapes)


def _yaml(shapes: tuple[str, ...]) -> str:
    """As the spec writes it: one shape as quoted text, several as a list."""
    quoted = [json.dumps(s, ensure_ascii=False) for s in shapes]
    return quoted[0] if len(quoted) == 1 else "[" + ", ".join(quoted) + "]"
