"""What a run selects: languages at their versions, and patterns, as people write them on the
command line.

`LANG=go,python`, `LANG=go@1.22,go@1.26`, `PATTERN="timeout, race_and_any"`, `--lang=go --lang=java`:
lists are comma separated, may be repeated, and spaces around names do not matter. A language
without `@version` runs on whichever of its toolchains is found (its default image in docker);
`VERSIONS=all` runs every version each selected language supports. Every name is checked. An empty
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


def split_version(name: str) -> tuple[str, str | None]:
    """`go@1.22` -> ("go", "1.22"); `go` -> ("go", None)."""
    language, at, version = name.partition("@")
    return language.strip(), (version.strip() if at else None)


def at_version(label: str, version: str | None) -> str:
    """`python/gather` at 3.14: `python@3.14/gather`, as items and runs name it."""
    if version is None:
        return label
    language, slash, variant = label.partition("/")
    return f"{language}@{version}{slash}{variant}"


@dataclass(frozen=True)
class Selection:
    """The languages selected, in the catalogue's order, the versions each runs on (None: the one
    found, not named), and the pattern ids (empty: every one)."""

    languages: tuple[str, ...]
    patterns: tuple[str, ...] = ()
    versions: tuple[tuple[str, str | None], ...] = ()  # (language, version) in run order; empty: one each

    def wants_language(self, name: str) -> bool:
        return name in self.languages

    @property
    def targets(self) -> tuple[tuple[str, str | None], ...]:
        """(language, version) pairs a run runs: every selected language at each version named."""
        return self.versions or tuple((name, None) for name in self.languages)

    def versions_of(self, language: str) -> list[str | None]:
        return [version for name, version in self.targets if name == language]

    def target_names(self) -> list[str]:
        """`python`, `go@1.22`: how runs and results name the targets."""
        return [name if version is None else f"{name}@{version}" for name, version in self.targets]

    def wants_pattern(self, id: str) -> bool:
        return not self.patterns or id in self.patterns
