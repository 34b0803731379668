"""`make coverage`: which snippets cover each entry of the project's lists, and what is uncovered.

The lists are each language's `primitives:` (languages/<lang>/language.yaml) and the patterns every
language must show (languages/catalogue.yaml). A snippet covers a primitive its spec's `uses:`
names: the entry itself or one of its alternatives (`ctx.Done / ctx.Err`, `watch or Notify`). A
pattern covers a catalogue entry when the entry lists its id or its `observes:` names the entry.
Whether the covering snippets pass comes from the latest results file (`make test` writes it):
a snippet with any outcome other than pass there is failing. The exit status is 1 while any entry
is uncovered or covered only by failing snippets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from harness.catalogue import Catalogue
from harness.catalogue.spec import Pattern
from harness.outputs.results import load_results

PASS, FAILING, NOT_RUN = "pass", "failing", "not run"
# What an entry is, from the statuses of what covers it; the first two fail `make coverage`.
UNCOVERED, ONLY_FAILING, UNVERIFIED, COVERED = "uncovered", "failing", "not verified", "covered"


@dataclass(frozen=True)
class Cover:
    """A snippet (`all_fail_fast[python/gather]`) or a whole pattern covering an entry."""

    pattern: str
    label: str | None  # None: the pattern as a whole
    status: str  # pass, failing, not run

    def __str__(self) -> str:
        return self.pattern if self.label is None else f"{self.pattern}[{self.label}]"


@dataclass(frozen=True)
class Entry:
    name: str
    covers: tuple[Cover, ...]
    expected_from: tuple[str, ...] = ()  # pattern ids meant to cover it (catalogue entries)

    @property
    def status(self) -> str:
        statuses = {c.status for c in self.covers}
        if not statuses:
            return UNCOVERED
        if PASS in statuses:
            return COVERED
        return UNVERIFIED if NOT_RUN in statuses else ONLY_FAILING


@dataclass(frozen=True)
class LanguageCoverage:
    language: str
    title: str
    entries: tuple[Entry, ...]
    unlisted: tuple[Entry, ...]  # primitives snippets use that the list does not name


@dataclass(frozen=True)
class Coverage:
    languages: tuple[LanguageCoverage, ...]
    patterns: tuple[Entry, ...]  # the cross-language catalogue
    results: Path | None  # the results file the statuses come from, if there was one

    def entries(self) -> Iterable[Entry]:
        for lang in self.languages:
            yield from lang.entries
        yield from self.patterns

    @property
    def ok(self) -> bool:
        return all(e.status not in (UNCOVERED, ONLY_FAILING) for e in self.entries())


def alternatives(name: str) -> tuple[str, ...]:
    """An entry's name and each alternative it offers, in the order written: `ctx.Done / ctx.Err`,
    `watch or Notify`."""
    return tuple(dict.fromkeys([name, *(part.strip() for part in re.split(r" / | or ", name) if part.strip())]))


def snippet_statuses(results: dict) -> dict[tuple[str, str], str]:
    """(pattern, snippet label) -> pass, failing or not run, from a results document (over every
    version run; a version its spec pins as lacking what it uses neither covers nor fails it)."""
    outcomes: dict[tuple[str, str], set[str]] = {}
    for entry in results["results"]:
        outcomes.setdefault((entry["pattern"], entry["snippet"]), set()).add(entry["outcome"])
    statuses = {}
    for key, seen in outcomes.items():
        ran = seen - {"not run", "not applicable", "not available"}
        statuses[key] = NOT_RUN if not ran else PASS if ran == {"pass"} else FAILING
    return statuses


def compute_coverage(catalogue: Catalogue, results: Path | None = None, document: dict | None = None) -> Coverage:
    """The coverage of the lists by the catalogue's specs; statuses from `results` if it exists (or
    from `document`, a results document already read: several files merged).

    Raises SuiteError (with file and line) for a spec, list or results file that does not load."""
    patterns = catalogue.patterns()
    read = results if results is not None and results.exists() else None
    if document is None and read is not None:
        document = load_results(read)
    statuses = snippet_statuses(document) if document is not None else {}
    languages = tuple(_language_coverage(catalogue, name, patterns, statuses) for name in catalogue.languages)
    return Coverage(languages, _catalogue_coverage(catalogue, patterns, statuses), read)


def _language_coverage(
    catalogue: Catalogue, language: str, patterns: list[Pattern], statuses: dict[tuple[str, str], str]
) -> LanguageCoverage:
    lang = catalogue.languages[language]
    uses: dict[str, list[Cover]] = {}
    for pattern in patterns:
        for snippet in pattern.snippets:
            if snippet.language == language:
                cover = Cover(pattern.id, snippet.label, statuses.get((pattern.id, snippet.label), NOT_RUN))
                for name in snippet.uses:
                    uses.setdefault(name, []).append(cover)
    entries = []
    listed: set[str] = set()
    order = {pattern.id: i for i, pattern in enumerate(patterns)}
    for primitive in lang.primitives:
        names = alternatives(primitive)
        listed.update(names)
        covers = dict.fromkeys(c for name in names for c in uses.get(name, ()))  # each once
        entries.append(Entry(primitive, tuple(sorted(covers, key=lambda c: (order[c.pattern], c.label or "")))))
    unlisted = tuple(Entry(name, tuple(covers)) for name, covers in sorted(uses.items()) if name not in listed)
    return LanguageCoverage(language, lang.title, tuple(entries), unlisted)


def _catalogue_coverage(
    catalogue: Catalogue, patterns: list[Pattern], statuses: dict[tuple[str, str], str]
) -> tuple[Entry, ...]:
    entries = []
    for requirement in catalogue.requirements():
        covers = tuple(
            Cover(p.id, None, _pattern_status(p, statuses))
            for p in patterns
            if p.id in requirement.patterns or requirement.name in p.observes
        )
        entries.append(Entry(requirement.name, covers, requirement.patterns))
    return tuple(entries)


def _pattern_status(pattern: Pattern, statuses: dict[tuple[str, str], str]) -> str:
    seen = {statuses.get((pattern.id, s.label), NOT_RUN) for s in pattern.snippets}
    return FAILING if FAILING in seen else NOT_RUN if NOT_RUN in seen else PASS


_MARK = {COVERED: "✓", UNVERIFIED: "?", ONLY_FAILING: "!", UNCOVERED: "✗"}


def _line(entry: Entry, width: int) -> str:
    if entry.status == UNCOVERED:
        meant = ", ".join(entry.expected_from)
        detail = "uncovered" + (f" (by pattern {meant}, when written)" if meant else "")
    else:
        shown = ", ".join(str(c) + ("" if c.status == PASS else f" ({c.status})") for c in entry.covers)
        detail = shown if entry.status == COVERED else f"{entry.status}: {shown}"
    return f"  {_MARK[entry.status]} {entry.name:<{width}}  {detail}"


def describe(coverage: Coverage) -> str:
    """What `make coverage` prints."""
    out = [
        f"statuses from {coverage.results}"
        if coverage.results
        else "no results file: nothing says whether the covering snippets pass (run `make test` first)",
        f"marks: {_MARK[COVERED]} covered by a passing snippet, {_MARK[UNVERIFIED]} covered by snippets not run, "
        f"{_MARK[ONLY_FAILING]} covered only by failing snippets, {_MARK[UNCOVERED]} uncovered",
    ]
    groups = [
        (f"{lang.title} ({lang.language}) primitives", lang.entries, lang.unlisted) for lang in coverage.languages
    ]
    groups.append(("Patterns every language must show (languages/catalogue.yaml)", coverage.patterns, ()))
    for title, entries, unlisted in groups:
        good = sum(e.status == COVERED for e in entries)
        width = max(len(e.name) for e in entries)
        out += ["", f"{title}: {good} of {len(entries)} covered", *(_line(e, width) for e in entries)]
        if unlisted:
            out.append(
                "  also used, not in the list: "
                + "; ".join(f"{e.name} ({', '.join(map(str, e.covers))})" for e in unlisted)
            )
    totals = {status: sum(e.status == status for e in coverage.entries()) for status in _MARK}
    out += [
        "",
        f"coverage: {totals[COVERED]} of {sum(totals.values())} entries covered by a passing snippet; "
        f"{totals[UNCOVERED]} uncovered, {totals[ONLY_FAILING]} covered only by failing snippets, "
        f"{totals[UNVERIFIED]} not verified by a run",
    ]
    return "\n".join(out)
