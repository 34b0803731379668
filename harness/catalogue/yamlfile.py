"""YAML loading that remembers where every value came from, so errors can name a line."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from harness.base.errors import SpecError

MAX_BYTES = 1 << 20  # a spec is a few KiB; a bigger file is a mistake (or /dev/zero), never read whole


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


def load_yaml(path: Path, inside: Path | None = None) -> YamlDocument:
    """The YAML document at `path`: a regular file of at most MAX_BYTES, in UTF-8, whose mappings
    hold each key once, and (with `inside`) whose resolved path lies in that folder. Anything else
    is a SpecError naming the file (and line), raised before anything of a refused file is read."""
    text = read_text(path, inside)
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                raise SpecError([f"{path}:1: the file is empty; expected a mapping"])
            data = loader.construct_document(root)
        finally:
            loader.dispose()
    except _DuplicateKey as exc:
        raise SpecError(
            [
                f"{path}:{exc.line}: key {exc.key!r} is given twice in one mapping, at lines {exc.first} and "
                f"{exc.line}; YAML would silently keep the last: remove one of them"
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = exc.problem or exc.context or "invalid YAML"
        raise SpecError([f"{path}:{line}: YAML syntax error: {detail}"]) from None
    return YamlDocument(path, data, root)


def read_text(path: Path, inside: Path | None = None, limit: int = MAX_BYTES) -> str:
    """The text of `path`, refused (SpecError) unless it is a regular file (a symlink to /dev/zero, a
    FIFO or a folder is not), of at most `limit` bytes (at most limit + 1 are ever read), decoded as
    UTF-8, and, with `inside`, resolving (symlinks included) into that folder."""
    try:
        resolved = path.resolve()
        if inside is not None and not resolved.is_relative_to(inside.resolve()):
            raise SpecError(
                [
                    f"{path}: leads to {resolved}, outside {inside.resolve()}; the suite reads only its own files, "
                    f"so replace the symlink by the file itself"
                ]
            )
        info = os.stat(resolved)
        if not stat.S_ISREG(info.st_mode):
            raise SpecError([f"{path}: not a regular file ({_kind(info.st_mode)}); the suite reads only regular files"])
        # O_NONBLOCK: if the file was swapped for a FIFO since the stat, opening it does not wait
        fd = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise SpecError([f"{path}: not a regular file; the suite reads only regular files"])
            raw = file.read(limit + 1)
    except OSError as exc:
        raise SpecError([f"{path}: cannot read: {exc.strerror}"]) from None
    if len(raw) > limit:
        raise SpecError(
            [f"{path}: larger than {limit >> 10} KiB; a spec is plain data of a few KiB, so this is not one"]
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError([f"{path}:1: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8"])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start : exc.start + 1]
        raise SpecError(
            [f"{path}:{line}: byte {exc.start} (column {column}) is {byte!r}, not UTF-8; save the file as UTF-8"]
        ) from None


def _kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "not a file"


class _DuplicateKey(Exception):
    def __init__(self, key: object, first: int, line: int):
        super().__init__(key)
        self.key, self.first, self.line = key, first, line


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a mapping that gives a key twice (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                    continue  # `<<` merges may be overridden; a non-text key is refused elsewhere
                key = self.construct_object(key_node)
                try:
                    hash(key)
                except TypeError:
                    continue
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise _DuplicateKey(key, seen[key], line)
                seen[key] = line
        return super().construct_mapping(node, deep)


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
    if error.validator == "pattern" and "x-says" in error.schema:  # the schema's own words for its rule
        return f"{error.instance!r}: {error.schema['x-says']}"
    if error.validator in ("oneOf", "anyOf", "not", "minItems", "maxItems") and "x-says" in error.schema:
        return error.schema["x-says"]
    path = list(error.absolute_path)
    if error.validator == "minItems" and path and path[-1] == "expect":
        return "no expected events: a scenario needs at least one [tick, event, {fields}]"
    if error.validator in ("minItems", "maxItems") and {"expect", "expect_one_of"} & set(path):
        return f"expected [tick, event, {{fields}}], got {error.instance!r}"
    return error.message
