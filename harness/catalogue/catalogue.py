"""The catalogue: everything the suite knows before it runs anything.

One object loads the languages (languages/<lang>/language.yaml), the pattern specs
(patterns/<id>/pattern.yaml, each error kept with its file and line while the others still load),
their mutants, the project's list of patterns every language must show (languages/catalogue.yaml),
and parses every selection people make of them. The pytest plugin, bench, mutate, coverage, docs
and the report all read the suite through it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from harness.base.errors import SpecError, SuiteError
from harness.catalogue.languages import Language, load_languages
from harness.catalogue.mutants import MUTANTS_FILE, Mutant, load_mutants
from harness.catalogue.regions import Region, read_region
from harness.catalogue.schemas import schema
from harness.catalogue.selection import (
    Selection,
    SelectionError,
    check_known,
    check_names_something,
    names,
    split_version,
)
from harness.catalogue.spec import Pattern, Snippet, load_pattern
from harness.catalogue.yamlfile import load_yaml

SPEC_FILE = "pattern.yaml"


@dataclass(frozen=True)
class Requirement:
    """An entry of languages/catalogue.yaml: a pattern every language must show."""

    name: str
    patterns: tuple[str, ...]  # the pattern ids meant to cover it


class Catalogue:
    def __init__(self, root: Path, languages: dict[str, Language] | None = None):
        self.root = Path(root).resolve()
        self.languages = languages if languages is not None else load_languages(self.root / "languages")
        self._patterns: dict[tuple[str, bool], Pattern | SpecError] = {}
        self._clash_index: dict[str, list[str]] | None = None

    # -- patterns ----------------------------------------------------------------------------

    @property
    def patterns_folder(self) -> Path:
        return self.root / "patterns"

    @cached_property
    def pattern_ids(self) -> list[str]:
        """Every pattern id: the folders of patterns/ holding a pattern.yaml, in folder order."""
        folder = self.patterns_folder
        return sorted(p.parent.name for p in folder.glob(f"*/{SPEC_FILE}")) if folder.is_dir() else []

    def pattern(self, id: str, drafts: bool = False) -> Pattern:
        """The spec of pattern `id`; SpecError naming its file and lines when it does not load, or
        when one of its snippets breaks a rule of its language or clashes with another pattern's
        (with `drafts`, TODOs left to fill in are no error: `make record` runs such specs)."""
        key = (id, drafts)
        if key not in self._patterns:
            try:
                pattern = self._load(id, drafts)
                problems = self._snippet_problems(pattern) + self._clashes().get(id, [])
                self._patterns[key] = SpecError(problems) if problems else pattern
            except SpecError as exc:
                self._patterns[key] = exc
        found = self._patterns[key]
        if isinstance(found, SpecError):
            raise found
        return found

    def _load(self, id: str, drafts: bool) -> Pattern:
        return load_pattern(self.patterns_folder / id / SPEC_FILE, list(self.languages), drafts)

    def _snippet_problems(self, pattern: Pattern) -> list[str]:
        """What a snippet may not contain in its language (Go's func init), and the names its key
        would be spelled as, or it declares, that its language's generated code cannot hold."""
        problems = []
        spec = None
        for snippet in pattern.snippets:
            language = self.languages[snippet.language]
            for reserved in language.reserved:
                if clash := reserved.clash(snippet.key):
                    spec = spec or load_yaml(pattern.path)
                    spelling, name = clash
                    where = ["snippets", snippet.label]
                    problems.append(
                        f"{self.in_suite(pattern.path)}:{spec.line_of(where)}: snippets.{snippet.label}: "
                        f"{snippet.language} spells the key {snippet.key} as {name} ({spelling}): {reserved.says}; "
                        f"rename the {'variant' if snippet.variant else 'pattern'}"
                    )
            text = snippet.file.read_text(encoding="utf-8", errors="replace")
            declared_reserved = [r for r in language.reserved if "declared" in r.spelled and r.when == "always"]
            if declared_reserved and language.unique_names:
                for match in re.finditer(language.unique_names, text):
                    for reserved in declared_reserved:
                        if match.group(1) in reserved.names:
                            problems.append(
                                f"{self.in_suite(snippet.file)}:{_line(text, match.start(1))}: "
                                f"{snippet.language} name {match.group(1)} is reserved: {reserved.says}; rename it"
                            )
            for rule, says in self.languages[snippet.language].snippet_rules:
                for match in re.finditer(rule, text):
                    problems.append(f"{self.in_suite(snippet.file)}:{_line(text, match.start())}: {says}")
        return problems + self._ending_problems(pattern)

    def _ending_problems(self, pattern: Pattern) -> list[str]:
        """The classes of output an ending names that its language does not define (`printed:`): a
        scenario's ending against every language of the pattern, a divergence's against its own."""
        problems = []
        languages = list(dict.fromkeys(snippet.language for snippet in pattern.snippets))
        for scenario in pattern.scenarios:
            endings = [("ending", scenario.ending, lang) for lang in languages] + [
                (f"divergences.{key}.ending", d.ending, d.label.partition("/")[0])
                for key, d in scenario.divergences.items()
            ]
            for where, ending, lang in endings:
                classes = dict(self.languages[lang].printed)
                for name in ending.printed if ending is not None else ():
                    if name not in classes:
                        problems.append(
                            f"{self.in_suite(pattern.path)}:{scenario.line}: scenario {scenario.name}: {where}: "
                            f"{name!r} is no class of what {lang} prints; languages/{lang}/language.yaml "
                            f"`printed:` has {', '.join(classes) or 'none'}"
                        )
        return problems

    def _clashes(self) -> dict[str, list[str]]:
        """Per pattern id, the names its snippets declare that another snippet of the same
        language declares too, where the language keeps them in one namespace (Java's package)."""
        if self._clash_index is None:
            declared: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (language, name) -> (id, place)
            for id in self.pattern_ids:
                try:
                    pattern = self._load(id, drafts=True)
                except SpecError:
                    continue  # reported on its own
                for snippet in pattern.snippets:
                    unique = self.languages[snippet.language].unique_names
                    if unique is None:
                        continue
                    text = snippet.file.read_text(encoding="utf-8", errors="replace")
                    for match in re.finditer(unique, text):
                        place = f"{self.in_suite(snippet.file)}:{_line(text, match.start(1))}"
                        declared.setdefault((snippet.language, match.group(1)), []).append((id, place))
            self._clash_index = {}
            for (language, name), places in declared.items():
                if len(places) < 2:
                    continue
                for id, place in places:
                    others = ", ".join(p for _, p in places if p != place)
                    self._clash_index.setdefault(id, []).append(
                        f"{place}: {language} name {name} is declared again at {others}; every {language} "
                        f"snippet shares one namespace, so rename one of them"
                    )
        return self._clash_index

    def load(self, ids: Iterable[str] | None = None) -> tuple[list[Pattern], list[str]]:
        """The specs that load (of `ids`, default every one) and the problems of those that do not."""
        loaded, problems = [], []
        for id in self.pattern_ids if ids is None else ids:
            try:
                loaded.append(self.pattern(id))
            except SpecError as exc:
                problems += exc.problems
        return loaded, problems

    def patterns(self) -> list[Pattern]:
        """Every spec; one SpecError listing the problems of all that do not load."""
        if not self.pattern_ids:
            raise SuiteError(f"{self.patterns_folder}: no {SPEC_FILE} found; is {self.root} the suite's root?")
        loaded, problems = self.load()
        if problems:
            raise SpecError(problems)
        return loaded

    def loadable(self) -> list[Pattern]:
        """Every spec that loads (`make test` reports the others)."""
        return self.load()[0]

    def stray_folder(self, folder: Path) -> str | None:
        """What is wrong with a folder of patterns/ that holds no pattern.yaml (it is never silently
        left out), or None for a pattern's folder and for hidden ones (`.git`, `__pycache__`)."""
        spec = folder / SPEC_FILE
        if folder.name.startswith((".", "_")) or spec.is_file():
            return None
        if spec.is_symlink() or spec.exists():  # a symlink to /dev/zero, a FIFO, a folder: refused unread
            try:
                self.pattern(folder.name)
            except SpecError as exc:
                return str(exc)
            return f"{spec}: not a regular file; the suite reads only regular files"
        near = sorted(p.name for p in folder.glob("pattern.*")) + sorted(p.name for p in folder.glob("*.yaml"))
        hint = f" (found {near[0]}: rename it to {SPEC_FILE})" if near else ""
        return f"{folder}: a pattern folder without a {SPEC_FILE}{hint}; add one or remove the folder"

    # -- mutants -----------------------------------------------------------------------------

    def mutants(self, patterns: Iterable[str] = (), languages: Iterable[str] = ()) -> list[Mutant]:
        """Every mutant of the selected patterns and languages (all when none are named); one
        SpecError listing every problem of the specs and mutants files involved."""
        patterns, languages = set(patterns), set(languages)
        found: list[Mutant] = []
        problems: list[str] = []
        for id in self.pattern_ids:
            if (patterns and id not in patterns) or not (self.patterns_folder / id / MUTANTS_FILE).is_file():
                continue
            try:
                mutants = load_mutants(self.pattern(id))
            except SpecError as exc:
                problems += exc.problems
                continue
            found += [m for m in mutants if not languages or m.snippet.language in languages]
        if problems:
            raise SpecError(problems)
        return found

    # -- selections --------------------------------------------------------------------------

    def select(self, languages: Iterable[str] = (), patterns: Iterable[str] = (), versions: str = "") -> Selection:
        """The selection that `--lang` and `--pattern` values (lists as people write them, a language
        maybe with `@version`) and `--versions` (`all`, or empty) make; SelectionError naming every
        unknown name and what is known."""
        languages, patterns = list(languages), list(patterns)
        check_names_something("--lang (LANG)", languages, self.languages, "language")
        check_names_something("--pattern (PATTERN)", patterns, self.pattern_ids, "pattern")
        wanted = [split_version(name) for name in names(languages)]
        wanted_patterns = names(patterns)
        check_known("--lang (LANG)", [name for name, _ in wanted], list(self.languages), "language(s)")
        check_known("--pattern (PATTERN)", wanted_patterns, self.pattern_ids, "pattern(s)")
        if versions.strip() not in ("", "all"):
            raise SelectionError(f"--versions (VERSIONS): {versions!r}: say `all`, or name versions in LANG (go@1.22)")
        for name, version in wanted:
            known = [v.name for v in self.languages[name].versions]
            if version is not None and version not in known:
                raise SelectionError(
                    f"--lang (LANG): {name}@{version}: {name} has no version {version!r}; "
                    f"its versions: {', '.join(known) or 'none listed'} (languages/{name}/language.yaml)"
                )
        for id in wanted_patterns:  # a spec that is no regular file is never collected: say why here
            if not (self.patterns_folder / id / SPEC_FILE).is_file():
                try:
                    self.pattern(id)
                except SpecError as exc:
                    raise SelectionError(f"--pattern (PATTERN): pattern {id} cannot be run: {exc}") from None
        order = list(self.languages)
        chosen = tuple(name for name in order if not wanted or any(name == w for w, _ in wanted))
        targets: list[tuple[str, str | None]] = []
        for name in chosen:
            named = [v for w, v in wanted if w == name]
            if versions.strip() == "all":
                named = [v.name for v in self.languages[name].versions] or [None]
            elif not named:
                named = [None]
            for version in dict.fromkeys(named):  # each once, in the order given
                targets.append((name, version))
        plain = all(version is None for _, version in targets)
        return Selection(chosen, tuple(wanted_patterns), () if plain else tuple(targets))

    def target(self, language: str, version: str | None) -> Language:
        """The language as a run at that version runs it (its image, environment and build files)."""
        lang = self.languages[language]
        if version is None:
            return lang
        return lang.at(version)

    # -- lookups -----------------------------------------------------------------------------

    def snippet(self, pattern: str, language: str, variant: str | None) -> Snippet | None:
        for snippet in self.pattern(pattern).snippets:
            if snippet.language == language and snippet.variant == variant:
                return snippet
        return None

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

    def region(self, snippet: Snippet) -> Region:
        return read_region(snippet.file)

    def in_suite(self, path: Path) -> str:
        """`path` as the suite names it, from its root: `patterns/timeout/timeout.go`."""
        return Path(os.path.relpath(path, self.root)).as_posix()

    def requirements(self) -> list[Requirement]:
        """languages/catalogue.yaml: the patterns every language must show."""
        doc = load_yaml(self.root / "languages" / "catalogue.yaml")
        doc.validate(schema("catalogue"))
        return [Requirement(item["name"], tuple(item.get("patterns", ()))) for item in doc.data["patterns"]]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
