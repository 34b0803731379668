"""Errors meant for the person running the suite: each says what is wrong and what to do."""

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class SuiteError(Exception):
    """An error whose message is complete on its own; it is shown without a traceback."""


def once(cache: dict[K, V | SuiteError], key: K, compute: Callable[[], V]) -> V:
    """compute() at most once per key; a SuiteError it raised is kept and raised again, so a missing
    toolchain or image is looked for once and every scenario of that language says the same."""
    if key not in cache:
        try:
            cache[key] = compute()
        except SuiteError as exc:
            cache[key] = exc
    found = cache[key]
    if isinstance(found, SuiteError):
        raise found
    return found


class SpecError(SuiteError):
    """A pattern.yaml or language.yaml that does not follow its schema."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class ToolchainError(SuiteError):
    """A language's toolchain is missing or older than its minimum version."""


class BuildError(SuiteError):
    """A language's build tree failed to build."""
