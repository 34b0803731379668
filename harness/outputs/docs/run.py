"""`make test DOCS=...`: the docs' pattern blocks run in place of the snippets' `[pattern]` regions.

Each block becomes a copy of its snippet whose region is the block's code (the adapter around it
stays), written under the cache, never into patterns/. The copy keeps the snippet's file name, so
it lands in the build tree exactly where the snippet would, and the pattern's scenarios run against
it. Reports name the block by its doc's file and line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from harness.base.paths import repo_relative
from harness.catalogue import Catalogue
from harness.catalogue.regions import find_region, replace_region
from harness.catalogue.spec import Pattern, Snippet
from harness.outputs.docs.blocks import DocBlock, DocError, expand, find_blocks


@dataclass(frozen=True)
class DocSnippet:
    blocks: tuple[DocBlock, ...]  # every block with this code for this snippet (the first names it)
    snippet: Snippet  # the snippet, its file now the generated copy
    original: Path  # the snippet's own file
    first_line: int  # where the block's code starts in the copy (1-based)

    def doc_line(self, copy_line: int) -> int | None:
        """The line of the first block holding line `copy_line` of the copy, or None (the adapter)."""
        block = self.blocks[0]
        code = block.text.strip("\n").count("\n") + 1
        leading = len(block.text) - len(block.text.lstrip("\n"))  # blank lines the copy left out
        offset = copy_line - self.first_line
        return block.body[0] + 1 + leading + offset if 0 <= offset < code else None


class DocRuns:
    """The blocks of some docs, ready to replace their snippets in a session."""

    def __init__(self, by_snippet: dict[tuple[str, str], DocSnippet]):
        self._by_snippet = by_snippet  # (pattern id, snippet label) -> DocSnippet
        self._by_copy = {doc.snippet.file: doc for doc in by_snippet.values()}

    def substitute(self, pattern: Pattern) -> Pattern:
        """The pattern with only the snippets the docs show, each replaced by its doc's copy."""
        shown = (self._by_snippet.get((pattern.id, s.label)) for s in pattern.snippets)
        return replace(pattern, snippets=tuple(doc.snippet for doc in shown if doc is not None))

    def origin(self, snippet: Snippet) -> str | None:
        """`docs/guide.md:12` for a snippet that is a doc block's copy, else None."""
        doc = self._by_copy.get(snippet.file)
        return doc.blocks[0].where if doc else None

    def explain(self, snippet: Snippet, report: str) -> str:
        """A failure report about a doc block: which block it is, and its copy's lines as doc lines."""
        doc = self._by_copy.get(snippet.file)
        if doc is None:
            return report
        for other in self._by_copy.values():
            report = _doc_lines(report, other)
        shown = ", ".join(b.where for b in doc.blocks)
        return (
            f"doc block {shown} ({doc.blocks[0].names}), run as the [pattern] region of "
            f"{repo_relative(doc.original)} in {repo_relative(snippet.file)}\n{report}"
        )


def _doc_lines(report: str, doc: DocSnippet) -> str:
    """`<copy>:23`, `File "<copy>", line 23` and `(<file>:23)` in `report` become the doc's file and line."""
    copy = re.escape(repo_relative(doc.snippet.file))

    def located(match: re.Match) -> str:
        line = doc.doc_line(int(match["line"]))
        if line is None:
            return f"{match[0]} (the snippet's adapter, outside the block)"
        return f"{repo_relative(doc.blocks[0].doc)}:{line}"

    report = re.sub(rf'File "[^"]*{copy}", line (?P<line>\d+)', located, report)
    report = re.sub(rf"[^\s\"'(]*{copy}:(?P<line>\d+)", located, report)
    # A JVM stack frame names the file alone, `(Timeout.java:21)`: unique, as a class is in its package.
    return re.sub(rf"(?<=\(){re.escape(doc.snippet.file.name)}:(?P<line>\d+)(?=\))", located, report)


def prepare_doc_runs(specs: list[str], catalogue: Catalogue, cache: Path) -> DocRuns:
    """The blocks of the docs named by `specs`, each as a copy of its snippet under `cache`.

    Two blocks showing the same snippet with different code cannot share one build tree: that is
    an error naming both (run their docs one at a time)."""
    blocks: list[DocBlock] = []
    problems: list[str] = []
    for doc in expand(specs):
        try:
            blocks += find_blocks(doc, catalogue)
        except DocError as exc:
            problems += exc.problems
    grouped: dict[tuple[str, str], list[DocBlock]] = {}
    for block in blocks:
        grouped.setdefault((block.pattern, block.label), []).append(block)
    by_snippet = {}
    for (pattern, label), same in grouped.items():
        differing = [b for b in same if b.text.strip("\n") != same[0].text.strip("\n")]
        if differing:
            problems.append(
                f"{differing[0].where}: {differing[0].names} shows other code than {same[0].where}; "
                f"one run builds one version of a snippet: give their docs to separate runs"
            )
            continue
        by_snippet[(pattern, label)] = _copy(same, catalogue, cache)
    if problems:
        raise DocError(problems)
    if not by_snippet:
        raise DocError([f"{', '.join(specs)}: no code block names a pattern (```go pattern=timeout)"])
    return DocRuns(by_snippet)


def _copy(blocks: list[DocBlock], catalogue: Catalogue, cache: Path) -> DocSnippet:
    block = blocks[0]
    snippet = catalogue.snippet(block.pattern, block.language, block.variant)
    source = replace_region(snippet.file.read_text(encoding="utf-8"), block.text, str(snippet.file))
    digest = hashlib.sha256(f"{snippet.key}\0{source}".encode()).hexdigest()[:16]
    copy = cache / "doc-blocks" / digest / snippet.file.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(source, encoding="utf-8")
    first_line = find_region(source, str(copy)).first_line
    return DocSnippet(tuple(blocks), replace(snippet, file=copy), snippet.file, first_line)
