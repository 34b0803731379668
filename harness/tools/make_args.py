"""`python -m harness.tools.make_args ARG...`: pytest with ARG..., then the words of PYTEST_ARGS.

The Makefile's test and check targets run pytest through this. PYTEST_ARGS is written shell-style
(`-k 'python and second_fails'`, a quoted node id), so it is split into words as a POSIX shell
would split them, but by shlex: no shell ever parses it, so `;`, `$(...)`, backquotes and globs in
it stay text inside the arguments, and nothing in it runs.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping, Sequence


def pytest_args(args: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """pytest's arguments: `args`, then the words of PYTEST_ARGS (ValueError: a quote left open)."""
    return [*args, *shlex.split(environ.get("PYTEST_ARGS", ""))]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = pytest_args(sys.argv[1:] if argv is None else argv, os.environ)
    except ValueError as exc:
        print(
            f"PYTEST_ARGS={os.environ['PYTEST_ARGS']!r}: {exc}; quote as in a shell: PYTEST_ARGS=\"-k 'a and b'\"",
            file=sys.stderr,
        )
        return 2
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *args])


if __name__ == "__main__":
    sys.exit(main())
