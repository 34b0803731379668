"""`make check-docs`: the docs' pattern blocks against the verified `[pattern]` regions, and UPDATE=1."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from harness.base.paths import repo_relative
from harness.catalogue import Catalogue
from harness.outputs.docs.blocks import DocBlock, DocError, find_blocks, split_lines


@dataclass(frozen=True)
class Difference:
    block: DocBlock
    region: str  # the verified region the block should show
    source: str  # where that region lives: `patterns/timeout/timeout.go:9-15`

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                _lines(self.block.text),
                _lines(self.region),
                fromfile=f"{self.block.where} ({self.block.names})",
                tofile=f"{self.source} (verified [pattern] region)",
            )
        )


@dataclass
class CheckResult:
    blocks: int = 0
    differences: list[Difference] = field(default_factory=list)
    rewritten: list[Difference] = field(default_factory=list)  # repaired by `update`
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences and not self.errors


def check_docs(docs: list[Path], catalogue: Catalogue, update: bool = False) -> CheckResult:
    """Compare every pattern block of `docs`; with `update`, rewrite those that differ in place."""
    result = CheckResult()
    for doc in docs:
        try:
            blocks = find_blocks(doc, catalogue)
        except DocError as exc:
            result.errors += exc.problems
            continue
        result.blocks += len(blocks)
        differences = [d for d in (_compare(block, catalogue) for block in blocks) if d is not None]
        if update and differences:
            try:
                _rewrite(doc, differences)
            except DocError as exc:
                result.errors += exc.problems
                continue
            result.rewritten += differences
        else:
            result.differences += differences
    return result


def _compare(block: DocBlock, catalogue: Catalogue) -> Difference | None:
    snippet = catalogue.snippet(block.pattern, block.language, block.variant)
    region = catalogue.region(snippet)
    if block.text.strip("\n") == region.text:
        return None
    return Difference(block, region.text, f"{repo_relative(snippet.file)}:{region.first_line}-{region.last_line}")


def _rewrite(doc: Path, differences: list[Difference]) -> None:
    """Each differing block's code replaced by its region, keeping the fences and their indentation."""
    lines = split_lines(doc.read_bytes().decode("utf-8"))  # as written: CRLF kept
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    for difference in sorted(differences, key=lambda d: d.block.line, reverse=True):
        block = difference.block
        # A line of nothing but the fence's character, as many or more, would close the block early.
        closes = [line for line in _lines(difference.region) if re.fullmatch(rf"\s*{re.escape(block.fence)}+\s*", line)]
        if closes:
            raise DocError(
                [
                    f"{block.where}: the verified region holds a line starting with {block.fence}, which would "
                    f"close this block; open the block with a longer fence ({block.fence}{block.fence[0]})"
                ]
            )
        code = [(block.indent + line if line.strip() else "") + newline for line in difference.region.splitlines()]
        first, end = block.body
        lines[first:end] = code
    doc.write_bytes("".join(lines).encode("utf-8"))


def _lines(text: str) -> list[str]:
    return [line + "\n" for line in text.strip("\n").splitlines()]


def describe(result: CheckResult) -> str:
    """What `make check-docs` prints: every error and difference, then a one-line summary."""
    out: list[str] = [*result.errors]
    for difference in result.differences:
        out += [
            f"{difference.block.where}: {difference.block.names} differs from the verified snippet "
            f"(make check-docs UPDATE=1 rewrites it)",
            difference.diff(),
        ]
    for difference in result.rewritten:
        out.append(f"{difference.block.where}: rewrote {difference.block.names} from {difference.source}")
    summary = (
        f"{result.blocks} pattern block(s) checked: {len(result.differences)} differ, "
        f"{len(result.rewritten)} rewritten, {len(result.errors)} error(s)"
    )
    return "\n".join([*out, summary])
