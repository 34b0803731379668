"""Writing expected traces into a pattern.yaml as the spec itself writes them, keeping every comment
and the layout of everything else (`make record UPDATE=1`), so the author reviews a `git diff`.

Events are written `- [tick, event, {fields}]`, one per line, as the specs are.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from harness.catalogue.spec import Ending, Expected

# The order of a scenario's keys in the specs.
SCENARIO_KEYS = (
    "name",
    "alone",
    "input",
    "window",
    "ordered",
    "expect",
    "expect_one_of",
    "ending",
    "divergences",
    "shapes",
)


@dataclass
class ScenarioUpdate:
    """What to write into one scenario: a new common trace (or None: keep it), the divergences to
    pin (label -> (reason, trace)), the labels whose divergence no longer happens, the error shapes
    to pin (key -> shapes) and the keys of those no longer reported. In a scenario run alone, a new
    common ending (or None: keep it), and the endings to pin with the divergences (a pin whose trace
    is None pins only its ending)."""

    name: str
    expect: tuple[Expected, ...] | None = None
    pin: dict[str, tuple[str, tuple[Expected, ...] | None]] = field(default_factory=dict)
    ending: Ending | None = None
    pin_endings: dict[str, Ending] = field(default_factory=dict)
    unpin: list[str] = field(default_factory=list)
    shapes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unshape: list[str] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return any((self.expect is not None, self.pin, self.unpin, self.shapes, self.unshape, self.ending))


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long reason or input
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [0, start, {op: a}], not [0, start, op: a]
    return yaml


def _flow(value: Any) -> Any:
    """A JSON value as YAML flow collections (`{op: a}`, `[1, 2]`)."""
    if isinstance(value, dict):
        mapping = CommentedMap((k, _flow(v)) for k, v in value.items())
        mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        seq = CommentedSeq(_flow(v) for v in value)
        seq.fa.set_flow_style()
        return seq
    return value


def events_yaml(events: Iterable[Expected]) -> CommentedSeq:
    """A block list of `[tick, event, {fields}]` flow lines."""
    seq = CommentedSeq()
    for event in events:
        item = CommentedSeq([event.tick, event.ev] + ([_flow(event.fields)] if event.fields else []))
        item.fa.set_flow_style()
        seq.append(item)
    return seq


def shapes_yaml(shapes: tuple[str, ...]) -> Any:
    """One shape as quoted text, several as a flow list of them."""
    quoted = [DoubleQuotedScalarString(shape) for shape in shapes]
    return quoted[0] if len(quoted) == 1 else _flow(quoted)


def divergence_yaml(reason: str, events: Iterable[Expected] | None, ending: Ending | None = None) -> CommentedMap:
    """A divergence: its reason, its trace (none: it pins only an ending), its ending."""
    entry = CommentedMap([("reason", reason)])
    if events is not None:
        entry["expect"] = events_yaml(events)
    if ending is not None:
        entry["ending"] = ending_yaml(ending)
    return entry


def ending_yaml(ending: Ending) -> CommentedMap:
    """`{exit: 2, printed: [panic]}`, in flow style."""
    return _flow(ending.as_yaml())


def dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def apply(path: Path, updates: list[ScenarioUpdate]) -> bool:
    """Write `updates` into the spec at `path`; whether it changed."""
    yaml = _yaml()
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text)
    by_name = {scenario["name"]: scenario for scenario in data["scenarios"]}
    for update in updates:
        scenario = by_name[update.name]
        if update.expect is not None:
            scenario.pop("expect_one_of", None)  # the one trace every snippet now gives replaces the choice
            scenario["expect"] = events_yaml(update.expect)
        divergences = scenario.get("divergences")
        for label in update.unpin:
            if divergences is not None:
                divergences.pop(label, None)
        if update.ending is not None:
            scenario["ending"] = ending_yaml(update.ending)
        for label, (reason, events) in update.pin.items():
            if divergences is None:
                divergences = scenario["divergences"] = CommentedMap()
            divergences[label] = divergence_yaml(reason, events, update.pin_endings.get(label))
        if divergences is not None and not divergences:
            del scenario["divergences"]
        _write_shapes(scenario, update)
        _order(scenario)
    out = io.StringIO()
    yaml.dump(data, out)
    if out.getvalue() == text:
        return False
    path.write_text(out.getvalue(), encoding="utf-8")
    return True


def _write_shapes(scenario: CommentedMap, update: ScenarioUpdate) -> None:
    shapes = scenario.get("shapes")
    for key in update.unshape:
        if shapes is not None:
            shapes.pop(key, None)
    for key, pinned in update.shapes.items():
        if shapes is None:
            shapes = scenario["shapes"] = CommentedMap()
        shapes[key] = shapes_yaml(pinned)
    if shapes is not None and not shapes:
        del scenario["shapes"]


def _order(scenario: CommentedMap) -> None:
    """Keys in the specs' order (a key added lands where a reader looks for it)."""
    keys = [k for k in SCENARIO_KEYS if k in scenario] + [k for k in scenario if k not in SCENARIO_KEYS]
    for index, key in enumerate(keys):
        if list(scenario).index(key) != index:
            scenario.move_to_end(key)
            for later in keys[index + 1 :]:
                scenario.move_to_end(later)
            break
