"""Markdown code blocks that name a pattern, found in users' docs.

A fenced block takes part when its info string carries `pattern=<id>` after the language, and
`variant=<name>` for a named variant:

    ```go pattern=all_fail_fast
    ```python pattern=all_fail_fast variant=gather

The language is the info string's first word: a language's name or one of its `aliases:` in
language.yaml (`js`, `py`, `golang`, `rs`, ...). Other attributes are left to other tools; blocks
without `pattern=` are not the suite's business.
"""

from __future__ import annotations

import glob
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from harness.base.errors import SpecError, SuiteError
from harness.base.paths import repo_relative
from harness.catalogue import Catalogue


class DocError(SuiteError):
    """Docs that cannot be checked: each problem names its file and line and says what to do."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class DocBlock:
    doc: Path
    line: int  # 1-based line of the opening fence
    language: str  # the language's name in the suite (`javascript` for ```js)
    pattern: str
    variant: str | None
    text: str  # the block's code, without the fence's indentation
    body: tuple[int, int]  # 0-based [first, end) lines of the code in the file
    indent: str  # the fence's indentation, given back to every line when the block is rewritten
    fence: str  # the opening fence's markup (``` or ~~~, maybe longer)

    @property
    def where(self) -> str:
        return f"{repo_relative(self.doc)}:{self.line}"

    @property
    def label(self) -> str:
        return self.language if self.variant is None else f"{self.language}/{self.variant}"

    @property
    def names(self) -> str:
        """How the block names itself, for messages: `go pattern=timeout`."""
        return f"{self.language} pattern={self.pattern}" + (f" variant={self.variant}" if self.variant else "")


def expand(specs: list[str]) -> list[Path]:
    """Markdown files named by paths, directories (every *.md below) or globs (`docs/**/*.md`)."""
    found: dict[Path, None] = {}
    missing = []
    for spec in (word for text in specs for word in text.split()):
        path = Path(spec)
        if path.is_dir():
            matches = sorted(path.rglob("*.md"))
        elif glob.has_magic(spec):
            matches = sorted(Path(p) for p in glob.glob(spec, recursive=True) if Path(p).is_file())
        else:
            matches = [path] if path.is_file() else []
        if not matches:
            missing.append(f"{spec}: no such Markdown file (a path, a folder or a glob such as docs/**/*.md)")
        found.update(dict.fromkeys(matches))
    if missing:
        raise DocError(missing)
    return list(found)


def _attributes(info: str) -> tuple[str, dict[str, str]]:
    try:
        words = shlex.split(info)
    except ValueError:  # an unbalanced quote in an attribute of another tool
        words = info.split()
    first = words[0] if words else ""
    pairs = dict(w.split("=", 1) for w in words[1:] if "=" in w)
    if "=" in first:
        pairs = {**dict([first.split("=", 1)]), **pairs}
        first = ""
    return first, pairs


_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """`text`'s lines with their endings, split where Markdown splits them (not at form feeds or
    U+2028, as str.splitlines does), so line numbers agree with the parser's."""
    return _LINE.findall(text)


def find_blocks(doc: Path, catalogue: Catalogue) -> list[DocBlock]:
    """The blocks of `doc` that name a pattern; DocError listing every block that names one wrongly."""
    try:
        text = doc.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocError([f"{repo_relative(doc)}: cannot read: {getattr(exc, 'strerror', None) or exc}"]) from None
    lines = [line.rstrip("\r\n") for line in split_lines(text)]
    blocks: list[DocBlock] = []
    problems: list[str] = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type != "fence" or token.map is None:
            continue
        name, attrs = _attributes(token.info)
        if "pattern" not in attrs:
            continue
        start, end = token.map
        where = f"{repo_relative(doc)}:{start + 1}"
        opening = _FENCE.match(lines[start])
        if opening is None:  # `> ```go` or `- ```go`: its lines carry a prefix a rewrite would lose
            problems.append(f"{where}: a checked code block must start its line (indentation only); move it out")
            continue
        indent, fence = opening["indent"], opening["fence"]
        closing = lines[end - 1].strip() if end - 1 > start else ""
        if end - 1 <= start or not (closing.startswith(fence) and not closing.strip(fence[0])):
            problems.append(f"{where}: the code block is never closed; end it with a line {fence}")
            continue
        problem = _naming_problem(name, attrs, catalogue)
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        code = [_dedent(line, indent) for line in lines[start + 1 : end - 1]]
        blocks.append(
            DocBlock(
                doc=doc,
                line=start + 1,
                language=catalogue.language_named(name),
                pattern=attrs["pattern"],
                variant=attrs.get("variant") or None,
                text="\n".join(code),
                body=(start + 1, end - 1),
                indent=indent,
                fence=fence,
            )
        )
    if problems:
        raise DocError(problems)
    return blocks


def _naming_problem(name: str, attrs: dict[str, str], catalogue: Catalogue) -> str | None:
    """What is wrong with how a block names its pattern, language and variant, if anything."""
    pattern, variant = attrs["pattern"], attrs.get("variant") or None
    language = catalogue.language_named(name)
    if not name:
        return f"the info string names pattern={pattern} but no language: put it first (```go pattern={pattern})"
    if language is None:
        return f"unknown language {name!r} in the info string; use one of: {catalogue.info_names()}"
    if pattern not in catalogue.pattern_ids:
        return f"unknown pattern {pattern!r}; known: {', '.join(catalogue.pattern_ids)}"
    try:
        spec = catalogue.pattern(pattern)
    except SpecError as exc:
        return f"the spec of pattern {pattern} does not load; fix it first:\n" + "\n".join(exc.problems)
    if language in spec.not_applicable:
        return f"pattern {pattern} does not apply to {language}: {spec.not_applicable[language]}"
    if catalogue.snippet(pattern, language, variant) is None:
        labels = ", ".join(s.label for s in spec.snippets if s.language == language) or "none"
        named = f"{language}/{variant}" if variant else language
        return f"pattern {pattern} has no {named} snippet; its {language} snippets: {labels}"
    return None


def _dedent(line: str, indent: str) -> str:
    """A code line without the fence's indentation (a line indented less loses what it has)."""
    if line.startswith(indent):
        return line[len(indent) :]
    return line.lstrip(" \t")
