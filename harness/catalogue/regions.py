"""The `[pattern]` region of a snippet: the reusable part readers copy, between anchor comments.

A snippet marks it with a line holding only the comment `[pattern]` and one holding `[/pattern]`
(`// [pattern]` in JavaScript, Go, Rust and Java, `# [pattern]` in Python). The region is the text
between them, dedented, without leading or trailing blank lines.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from harness.base.errors import SuiteError

_OPEN = re.compile(r"^\s*(?://|#)\s*\[pattern\]\s*$")
_CLOSE = re.compile(r"^\s*(?://|#)\s*\[/pattern\]\s*$")


@dataclass(frozen=True)
class Region:
    text: str  # dedented, as shown to readers
    first_line: int  # 1-based line of the region's first line in the file (after the opening anchor)
    last_line: int  # 1-based line of its last line (before the closing anchor)
    indent: str  # the indentation removed from every line


def find_region(source: str, name: str = "snippet") -> Region:
    """The single `[pattern]` region of `source`; SuiteError naming `name` when there is not exactly one."""
    lines = source.splitlines()
    opens = [i for i, line in enumerate(lines) if _OPEN.match(line)]
    closes = [i for i, line in enumerate(lines) if _CLOSE.match(line)]
    if len(opens) != 1 or len(closes) != 1 or closes[0] <= opens[0]:
        raise SuiteError(
            f"{name}: expected one `[pattern]` ... `[/pattern]` pair of anchor comments, "
            f"found {len(opens)} opening and {len(closes)} closing"
        )
    body = lines[opens[0] + 1 : closes[0]]
    first, last = 0, len(body)
    while first < last and not body[first].strip():
        first += 1
    while last > first and not body[last - 1].strip():
        last -= 1
    kept = body[first:last]
    text = textwrap.dedent("\n".join(kept))
    indent = ""
    if kept:
        sample = next(line for line in kept if line.strip())
        indent = sample[: len(sample) - len(sample.lstrip())]
        stripped = next(line for line in text.splitlines() if line.strip())
        indent = indent[: len(indent) - (len(stripped) - len(stripped.lstrip()))]
    return Region(text, opens[0] + 2 + first, opens[0] + 1 + last, indent)


def read_region(path: Path) -> Region:
    return find_region(path.read_text(encoding="utf-8"), str(path))


def replace_region(source: str, new_text: str, name: str = "snippet") -> str:
    """`source` with its region's lines replaced by `new_text`, re-indented as the old region was."""
    region = find_region(source, name)
    lines = source.splitlines(keepends=True)
    body = [(region.indent + line if line.strip() else "") for line in new_text.strip("\n").splitlines()]
    replaced = "".join(line + "\n" for line in body)
    return "".join(lines[: region.first_line - 1]) + replaced + "".join(lines[region.last_line :])
