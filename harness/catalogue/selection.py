"""What a run selects: languages and patterns, as people write them on the command line.

`LANG=go,python`, `PATTERN="timeout, race_and_any"`, `--lang=go --lang=java`: lists are comma
separated, may be repeated, and spaces around names do not matter. Every name is checked. An empty
value (the Makefile passes none for an empty variable) selects everything; a value that names
nothing (`PATTERN=,,,`, `LANG=,`) is refused, never taken for everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness.base.errors import SuiteError


class SelectionError(SuiteError):
    """A selection naming something the catalogue does not hold."""


def names(values: Iterable[str]) -> list[str]:
    """The names in some comma-separated lists, in order, each once, spaces stripped."""
    seen: dict[str, None] = {}
    for value in values:
        for name in value.split(","):
            if name.strip():
                seen[name.strip()] = None
    return list(seen)


def check_names_something(option: str, values: Iterable[str], known: Iterable[str], what: str) -> None:
    """Refuse a value that is not blank but names nothing (`,,,`): a stray comma, or a list built from
    nothing, would otherwise select every one of them."""
    for value in values:
        if value.strip() and not names([value]):
            raise SelectionError(
                f"{option}: {value!r} names no {what}; give names separated by commas, or leave it out "
                f"for every one; known: {', '.join(known)}"
            )


def check_known(option: str, wanted: list[str], known: list[str], what: str) -> None:
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise SelectionError(f"{option}: unknown {what} {', '.join(unknown)}; known: {', '.join(known)}")


@dataclass(frozen=True)
class Selection:
    """The languages selected, in the catalogue's order, and the pattern ids (empty: every one)."""

    languages: tuple[str, ...]
    patterns: tuple[str, ...] = ()

    def wants_language(self, name: str) -> bool:
        return name in self.languages

    def wants_pattern(self, id: str) -> bool:
        return not self.patterns or id in self.patterns
