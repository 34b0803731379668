"""How the process of a scenario run alone ended (harness.running.alone), as its spec states it: the
exit status, and the classes of what it wrote on stderr.

A language names its classes in languages/<lang>/language.yaml (`printed:`), each a regex matching
the first line of one block of output (`panic: ` in Go, `Task exception was never retrieved` in
Python); the lines after it, up to the next line a class matches, belong to that block. A line that
is not blank and comes before any class is unclassified, which fails the scenario naming it: output
the spec does not account for is never ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.catalogue.spec import Ending

MAX_UNCLASSIFIED = 5  # unclassified lines quoted in a message


@dataclass(frozen=True)
class Printed:
    classes: tuple[str, ...]  # in the order they were printed
    unclassified: tuple[str, ...]  # lines before any class (blank ones aside)


def classify(lines: list[str], classes: tuple[tuple[str, str], ...]) -> Printed:
    """Sort stderr `lines` into blocks of `classes` ((name, regex), tried in order)."""
    compiled = [(name, re.compile(pattern)) for name, pattern in classes]
    found: list[str] = []
    unclassified: list[str] = []
    for line in lines:
        name = next((name for name, regex in compiled if regex.search(line)), None)
        if name is not None:
            found.append(name)
        elif not found and line.strip():
            unclassified.append(line)
    return Printed(tuple(found), tuple(unclassified))


def ending_problem(language: str, expected: Ending, exit: int, printed: Printed, cut: int) -> str:
    """Why the observed ending is not the one expected, or "" when it is."""
    problems = []
    if printed.unclassified:
        shown = ", ".join(repr(line) for line in printed.unclassified[:MAX_UNCLASSIFIED])
        more = len(printed.unclassified) - MAX_UNCLASSIFIED
        problems.append(
            f"unclassified output on stderr (no class of languages/{language}/language.yaml `printed:` matches "
            f"it): {shown}" + (f" and {more} more lines" if more > 0 else "")
        )
    if cut:
        problems.append(f"{cut} stderr lines were not kept, so its first classes may be missing")
    observed = Ending(exit, printed.classes)
    if observed != expected:
        problems.append(f"ending differs: expected {expected.describe()}, observed {describe_exit(observed)}")
    return "; ".join(problems)


def describe_exit(ending: Ending) -> str:
    if ending.exit < 0:  # a local process ended by a signal
        return f"killed by signal {-ending.exit}, printed [{', '.join(ending.printed)}]"
    return ending.describe()
