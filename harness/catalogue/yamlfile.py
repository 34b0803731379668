"""YAML loading that remembers where every value came from, so errors can name a line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from harness.base.errors import SpecError


@dataclass
class YamlDocument:
    path: Path
    data: Any
    root: yaml.Node

    def line_of(self, location: Iterable[str | int]) -> int:
        """1-based line of the value at `location` (keys and indices), or of its nearest parent."""
        node = self.root
        for step in location:
            child = _child(node, step)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def problem(self, location: Iterable[str | int], message: str) -> str:
        location = list(location)
        where = _describe(location)
        return f"{self.path}:{self.line_of(location)}: {where}{message}"

    def validate(self, schema: dict) -> None:
        """Raise SpecError listing every schema violation, each with its file and line."""
        validator = jsonschema.Draft202012Validator(schema)
        errors = sorted(validator.iter_errors(self.data), key=lambda e: self.line_of(e.absolute_path))
        if errors:
            raise SpecError([self.problem(e.absolute_path, _explain(e)) for e in errors])


def load_yaml(path: Path) -> YamlDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError([f"{path}: cannot read: {exc.strerror}"]) from None
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                raise SpecError([f"{path}:1: the file is empty; expected a mapping"])
            data = loader.construct_document(root)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = exc.problem or exc.context or "invalid YAML"
        raise SpecError([f"{path}:{line}: YAML syntax error: {detail}"]) from None
    return YamlDocument(path, data, root)


def _child(node: yaml.Node, step: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == step or (isinstance(step, int) and key.value == str(step)):
                return value
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]
    return None


def _describe(location: list[str | int]) -> str:
    if not location:
        return ""
    text = ""
    for step in location:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return f"{text}: "


def _explain(error: jsonschema.ValidationError) -> str:
    """jsonschema's message, phrased as what was expected."""
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return f"{error.message}; allowed fields: {allowed}"
    if error.validator == "required":
        return f"missing field: {error.message}"
    if error.validator == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    path = list(error.absolute_path)
    if error.validator == "minItems" and path and path[-1] == "expect":
        return "no expected events: a scenario needs at least one [tick, event, {fields}]"
    if error.validator in ("minItems", "maxItems") and "expect" in path:
        return f"expected [tick, event, {{fields}}], got {error.instance!r}"
    return error.message
