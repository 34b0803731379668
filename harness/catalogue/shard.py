"""Slices of a selection: `make test SHARD=2/3` runs the second of three slices.

Several machines (CI jobs) each run one slice; their results files merge into the whole run
(`make merge`). The split depends only on the cells selected, never on the machine or on the order
they were collected in, so every slice computes the same split: the longest windows go first (ties
by the cell's name), each to the slice with the least window time so far (ties: the lowest index).
A cell costs its window plus one tick, what its request and settle take however short its window.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from harness.base.errors import SuiteError

OVERHEAD_TICKS = 1  # what a cell costs beyond its window


class ShardError(SuiteError):
    """A SHARD value that names no slice."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1 .. count
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """`2/3` -> Shard(2, 3); anything else is refused saying how to write it."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if match is None or not 1 <= int(match[1]) <= int(match[2]):
        raise ShardError(
            f"SHARD={text!r}: name one slice of N as i/N, with 1 <= i <= N (SHARD=2/3 runs the second of three)"
        )
    return Shard(int(match[1]), int(match[2]))


def split(cells: Iterable[tuple[str, int]], count: int) -> dict[str, int]:
    """Each cell's slice (1 .. count), given (name, window in ticks) per cell; names are unique."""
    loads = [0] * count
    slices: dict[str, int] = {}
    for name, window in sorted(cells, key=lambda cell: (-cell[1], cell[0])):
        emptiest = min(range(count), key=lambda i: (loads[i], i))
        loads[emptiest] += window + OVERHEAD_TICKS
        slices[name] = emptiest + 1
    return slices
