"""A suite session: the settings of a run, its runner pool, and running one scenario.

session = Session(settings, catalogue.languages, runtime, progress)
session.register(pattern)                    # its snippets go into their languages' build trees
result = session.run(snippet, scenario)      # a ScenarioResult (harness.running.verdict)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness.base.errors import SuiteError
from harness.base.paths import repo_relative
from harness.catalogue.languages import Language
from harness.catalogue.spec import Pattern, Scenario, Snippet
from harness.running.client import Fault, Response, scenario_request
from harness.running.pool import RunnerPool
from harness.running.verdict import SUCCEEDED, Outcome, ScenarioResult, availability, judge
from harness.runtimes.runtime import Runtime

SETTLE_MS_MAX = 100.0  # how long, at most, a runner watches for activity after a scenario's end

# The tick every run uses unless TICK_MS says otherwise, chosen by measurement (docs/measurements.md):
# at 50 ms, full runs with both cores kept busy failed a dozen scenarios a tick late; at 100 ms none.
DEFAULT_TICK_MS = 100.0


@dataclass(frozen=True)
class Settings:
    tick_ms: float = DEFAULT_TICK_MS
    early_ms: float = 2.0
    grace_s: float = 5.0
    cache: Path = Path(".cache")


@dataclass
class LanguageStats:
    """A language's timing margin in a run: how late, at worst, an event came inside its tick."""

    scenarios: int = 0
    passed: int = 0
    max_lateness_ms: float = 0.0
    worst: str = ""
    seconds: float = 0.0


class Session:
    def __init__(
        self, settings: Settings, languages: dict[str, Language], runtime: Runtime, progress: Callable[[str], None]
    ):
        self.settings = settings
        self.languages = languages
        self.runtime = runtime
        self.pool = RunnerPool(languages, runtime, progress)
        self.stats: dict[str, LanguageStats] = {}
        self.patterns: dict[str, Pattern] = {}  # every pattern loaded, in loading order
        self.outlived: list[str] = []  # activity of a scenario that turned up only during a later one
        self._lock = threading.Lock()

    def register(self, pattern: Pattern) -> None:
        self.patterns[pattern.id] = pattern
        self.pool.register(pattern)

    def finish(self) -> None:
        """The scenarios are over: the runners are stopped, and what they wrote after their last
        request is activity that outlived its scenario too."""
        self.pool.stop_runners()
        self.outlived.extend(f"after the last scenario: {line}" for line in self.pool.after_last)
        self.pool.after_last.clear()

    def close(self) -> None:
        self.pool.close()

    def run(self, snippet: Snippet, scenario: Scenario, slot: int = 0) -> ScenarioResult:
        """Run one scenario on the runner of `slot`; a SuiteError when the language cannot run at
        all (a missing toolchain, a build that fails), counted like any scenario that did not pass."""
        label = f"{snippet.pattern}[{snippet.run_label}:{scenario.name}]"
        try:
            if scenario.alone:  # a runner process of its own, started for this scenario's request
                runner = self.pool.alone_runner(snippet.target)
            else:
                runner = self.pool.runner(snippet.target, slot)
            why = self.pool.left_out.get(snippet.target, {}).get(snippet.key)
            if why is not None:
                left_out = f"{repo_relative(snippet.file)} is left out of the {snippet.target} runner: {why}"
                result = ScenarioResult(
                    Outcome.CRASH, snippet, scenario, None, Response(fault=Fault.EXITED), None, left_out
                )
                if availability(result, self.version_of(snippet)).outcome is Outcome.UNAVAILABLE:
                    self._count(result)
                    return result
                raise SuiteError(left_out)
        except SuiteError:
            self._count(ScenarioResult(Outcome.CRASH, snippet, scenario, None, Response(fault=Fault.EXITED), None))
            raise
        tick_ms = self.settings.tick_ms
        request = scenario_request(snippet.key, scenario.input, tick_ms, scenario.window, min(tick_ms, SETTLE_MS_MAX))
        deadline = scenario.window * tick_ms / 1000 + self.settings.grace_s
        response = runner.request(request, deadline, label)
        with self._lock:
            self.outlived.extend(f"during {label}: {stray}" for stray in response.strays)
        version = self.version_of(snippet)
        printed = self.languages[snippet.target].printed
        judged = judge(snippet, scenario, response, tick_ms, self.settings.early_ms, version, printed)
        result = availability(judged, version)
        failed_to_load = self.pool.load_failures.get(snippet.target, {}).get(snippet.key)
        if failed_to_load is not None and result.outcome is not Outcome.PASS:
            result.message += f"\nwhen its runner started, the snippet broke it: {failed_to_load}"
        self._count(result)
        return result

    def version_of(self, snippet: Snippet) -> str | None:
        """The version a snippet's scenarios are judged at: what its runner reported in its hello,
        or, where the versions name a dependency's line (Rust's tokio), the one the run named."""
        lang = self.languages[snippet.target]
        named = lang.version_named
        if named is not None and named.names:
            return named.name
        return self.pool.versions.get(snippet.target) or lang.version_name or None

    def _count(self, result: ScenarioResult) -> None:
        with self._lock:
            stats = self.stats.setdefault(result.snippet.target, LanguageStats())
            stats.scenarios += 1
            stats.seconds += result.response.seconds
            if result.outcome in SUCCEEDED:
                stats.passed += 1
            if result.comparison and result.comparison.max_lateness_ms > stats.max_lateness_ms:
                stats.max_lateness_ms = result.comparison.max_lateness_ms
                stats.worst = result.label
