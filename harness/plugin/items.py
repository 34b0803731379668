"""The test items of a run: one per (pattern, snippet, scenario), collected from pattern.yaml files.

Item ids read `patterns/all_fail_fast/pattern.yaml::all_fail_fast[go:second_fails]`, which pytest
takes back as they are printed. A spec that does not load, and a folder of patterns/ without a
spec, are failures of their own, said with their file and lines, while every other pattern runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.base.errors import SpecError, SuiteError
from harness.catalogue.spec import Pattern, Scenario, Snippet
from harness.plugin.state import DOCS_KEY, RUN_KEY, SCHEDULER_KEY
from harness.running.verdict import SUCCEEDED, failure_report


class PatternFile(pytest.File):
    def collect(self):
        run = self.config.stash[RUN_KEY]
        selection = run.selection
        try:
            pattern = run.catalogue.pattern(self.path.parent.name)
        except SpecError as exc:  # an error of its own; every other pattern still runs
            if selection.wants_pattern(self.path.parent.name):
                yield SpecErrorItem.from_parent(self, name="spec", error=exc)
            return
        docs = self.config.stash.get(DOCS_KEY, None)
        if docs is not None:  # `make test DOCS=...`: only the docs' blocks run, each in its snippet's place
            pattern = docs.substitute(pattern)
        run.session.register(pattern)
        if not selection.wants_pattern(pattern.id):
            return
        order = list(selection.languages)
        for snippet in sorted(
            pattern.snippets, key=lambda s: (order.index(s.language) if s.language in order else 99, s.label)
        ):
            if not selection.wants_language(snippet.language):
                continue
            for version in selection.versions_of(snippet.language):
                at = snippet.at(version)
                for scenario in pattern.scenarios:
                    name = f"{pattern.id}[{at.run_label}:{scenario.name}]"
                    if docs is not None:  # a doc block's item names it: `...]@docs/guide.md:12`
                        name = f"{name}@{docs.origin(snippet)}"
                    yield ScenarioItem.from_parent(self, name=name, pattern=pattern, snippet=at, scenario=scenario)

    def repr_failure(self, excinfo, style=None):
        """A collector's failure: a SuiteError is said as it is. `style` is accepted for pytest's Item
        signature, but a Collector's repr_failure takes only the exception, so it is not passed on."""
        if isinstance(excinfo.value, SuiteError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class StrayFolder(pytest.Directory):
    def __init__(self, *, problem: str, **kwargs):
        super().__init__(**kwargs)
        self.problem = problem

    def collect(self):
        yield SpecErrorItem.from_parent(self, name="pattern.yaml", error=SuiteError(self.problem))


class SpecErrorItem(pytest.Item):
    """A pattern.yaml that does not load (or is missing): a failure of its own, said with its file and
    lines (raised when run, not at set-up, where pytest would print its own traceback instead)."""

    def __init__(self, *, error: SuiteError, **kwargs):
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise self.error

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, "pattern spec"


class ScenarioFailed(Exception):
    def __init__(self, report: str):
        super().__init__(report)
        self.report = report


class ScenarioItem(pytest.Item):
    def __init__(self, *, pattern: Pattern, snippet: Snippet, scenario: Scenario, **kwargs):
        super().__init__(**kwargs)
        self.pattern = pattern
        self.snippet = snippet
        self.scenario = scenario
        self.add_marker(getattr(pytest.mark, snippet.language))
        self.result = None

    def runtest(self) -> None:
        session = self.config.stash[RUN_KEY].session
        scheduler = self.config.stash.get(SCHEDULER_KEY, None)
        if scheduler is not None:
            self.result = scheduler.result(self.snippet, self.scenario)
        else:
            self.result = session.run(self.snippet, self.scenario)
        if self.result.outcome not in SUCCEEDED:
            raise ScenarioFailed(failure_report(self.result, session.settings.tick_ms))

    def repr_failure(self, excinfo, style=None):
        docs = self.config.stash.get(DOCS_KEY, None)
        explain = docs.explain if docs is not None else lambda snippet, report: report  # names the doc block
        if isinstance(excinfo.value, ScenarioFailed):
            return explain(self.snippet, excinfo.value.report)
        if isinstance(excinfo.value, SuiteError):
            return explain(self.snippet, f"{self.snippet.run_label}: {excinfo.value}")
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.snippet.file, None, self.name


def stray_folder_item(parent: pytest.Collector, path: Path):
    """A folder of patterns/ without a pattern.yaml, as an item of its own, or None."""
    problem = parent.config.stash[RUN_KEY].catalogue.stray_folder(path)
    return StrayFolder.from_parent(parent, path=path, problem=problem) if problem else None
