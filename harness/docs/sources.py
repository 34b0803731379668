"""What the docs are made from: a suite root's languages and pattern specs, and the lookups docs need.

Specs are loaded when first asked for, so checking a doc needs only the specs its blocks name.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

from ..errors import SpecError, SuiteError
from ..languages import Language, load_languages
from ..regions import Region, read_region
from ..spec import Pattern, Snippet, load_pattern


class Sources:
    def __init__(self, root: Path, languages: dict[str, Language]):
        self.root = root
        self.languages = languages
        self._loaded: dict[str, Pattern] = {}

    @cached_property
    def ids(self) -> list[str]:
        """Every pattern id (its folder holds a pattern.yaml), in folder order."""
        ids = [path.parent.name for path in sorted((self.root / "patterns").glob("*/pattern.yaml"))]
        if not ids:
            raise SuiteError(f"{self.root / 'patterns'}: no pattern.yaml found; is {self.root} the suite's root?")
        return ids

    def pattern(self, id: str) -> Pattern:
        """The spec of pattern `id`; SpecError naming its file and lines when it does not load."""
        if id not in self._loaded:
            path = self.root / "patterns" / id / "pattern.yaml"
            self._loaded[id] = load_pattern(path, list(self.languages))
        return self._loaded[id]

    def patterns(self) -> list[Pattern]:
        """Every spec; one SpecError listing the problems of all that do not load."""
        patterns, problems = [], []
        for id in self.ids:
            try:
                patterns.append(self.pattern(id))
            except SpecError as exc:
                problems += exc.problems
        if problems:
            raise SpecError(problems)
        return patterns

    def language_named(self, name: str) -> str | None:
        """The language a Markdown info string names (`go`, `golang`, `js`, ...), or None."""
        name = name.lower()
        for lang in self.languages.values():
            if name == lang.name or name in lang.aliases:
                return lang.name
        return None

    def info_names(self) -> str:
        """Every accepted info-string name, for error messages."""
        return ", ".join(n for lang in self.languages.values() for n in (lang.name, *lang.aliases))

    def snippet(self, pattern: str, language: str, variant: str | None) -> Snippet | None:
        for snippet in self.pattern(pattern).snippets:
            if snippet.language == language and snippet.variant == variant:
                return snippet
        return None

    def region(self, snippet: Snippet) -> Region:
        return read_region(snippet.file)

    def in_suite(self, path: Path) -> str:
        """`path` as the suite names it, from its root: `patterns/timeout/timeout.go`."""
        return Path(os.path.relpath(path, self.root)).as_posix()


def load_sources(root: Path) -> Sources:
    return Sources(root, load_languages(root / "languages"))
