"""Errors meant for the person running the suite: each says what is wrong and what to do."""


class SuiteError(Exception):
    """An error whose message is complete on its own; it is shown without a traceback."""


class SpecError(SuiteError):
    """A pattern.yaml or language.yaml that does not follow its schema."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class ToolchainError(SuiteError):
    """A language's toolchain is missing or older than its minimum version."""


class BuildError(SuiteError):
    """A language's build tree failed to build."""
