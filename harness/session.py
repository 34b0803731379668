"""A suite session: toolchains, build trees and runners per language, and running one scenario."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .build import in_repository, repo_relative
from .errors import SuiteError, once
from .languages import Language
from .runner import Outcome, Response, Runner, RunnerStartError
from .runtime import Prepared, Runtime
from .spec import Divergence, Pattern, Scenario, Snippet
from .trace import Comparison, compare, format_event, observe

SETTLE_MS_MAX = 100.0  # how long, at most, a runner watches for activity after a scenario's end


# The tick every run uses unless TICK_MS says otherwise, chosen by measurement (README, Traces):
# at 50 ms, full runs with both cores kept busy failed a dozen scenarios a tick late; at 100 ms none.
DEFAULT_TICK_MS = 100.0


@dataclass(frozen=True)
class Settings:
    tick_ms: float = DEFAULT_TICK_MS
    early_ms: float = 2.0
    grace_s: float = 5.0
    cache: Path = Path(".cache")


@dataclass
class ScenarioResult:
    outcome: Outcome
    snippet: Snippet
    scenario: Scenario
    divergence: Divergence | None
    response: Response
    comparison: Comparison | None
    message: str = ""
    stale: bool = False  # a pinned divergence that no longer happens: it gave the common trace


@dataclass
class LanguageStats:
    scenarios: int = 0
    passed: int = 0
    max_lateness_ms: float = 0.0
    worst: str = ""
    seconds: float = 0.0
    build: str = ""


class Suite:
    def __init__(
        self, settings: Settings, languages: dict[str, Language], runtime: Runtime, progress: Callable[[str], None]
    ):
        self.settings = settings
        self.languages = languages
        self.runtime = runtime
        self.progress = progress
        self.stats: dict[str, LanguageStats] = {}
        self.patterns: dict[str, Pattern] = {}  # every pattern loaded, in loading order
        self.versions: dict[str, str] = {}  # language -> version its runner said hello with
        self.outlived: list[str] = []  # activity of a scenario that turned up only during a later one
        self._snippets: dict[str, dict[str, Snippet]] = {}
        # Scenarios may run concurrently (harness.parallel): a language is prepared once, under its
        # lock, and each of its runner slots has its own runner.
        self._prepared: dict[str, Prepared | SuiteError] = {}
        self._runners: dict[tuple[str, int], Runner | SuiteError] = {}
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._stats_lock = threading.Lock()

    # -- registration and set-up ------------------------------------------------------------

    def register(self, pattern: Pattern) -> None:
        """Every snippet of every loaded pattern goes into its language's build tree."""
        self.patterns[pattern.id] = pattern
        for snippet in pattern.snippets:
            self._snippets.setdefault(snippet.language, {})[snippet.key] = snippet

    def prepare(self, language: str) -> Prepared:
        """The language's build, once per session however many runners it gets."""
        with self._locks[language]:
            return once(self._prepared, language, lambda: self._prepare(language))

    def runner(self, language: str, slot: int = 0) -> Runner:
        """The runner of one slot; a slot is used by one thread at a time."""
        prepared = self.prepare(language)
        return once(self._runners, (language, slot), lambda: self._start_runner(language, prepared))

    def _prepare(self, language: str) -> Prepared:
        lang = self.languages[language]
        snippets = sorted(self._snippets.get(language, {}).values(), key=lambda s: s.key)
        self.progress(f"{language}: preparing build tree ({len(snippets)} snippets, runtime {self.runtime.name})")
        prepared = self.runtime.prepare(lang, snippets, self.progress)
        with self._stats_lock:
            self.stats.setdefault(language, LanguageStats()).build = prepared.build
        self.progress(f"{language}: build {prepared.build}")
        return prepared

    def _start_runner(self, language: str, prepared: Prepared) -> Runner:
        runner = Runner(language, prepared.launch, prepared.describe)
        try:
            runner.start()
        except RunnerStartError as exc:
            raise SuiteError(str(exc)) from None
        self.versions.setdefault(language, str(runner.hello.get("version", "")))
        return runner

    def release(self, language: str, slot: int) -> None:
        """Stop the runner of a slot; the slot's next scenario starts a fresh one."""
        runner = self._runners.pop((language, slot), None)
        if isinstance(runner, Runner):
            runner.stop()

    def close(self) -> None:
        try:
            for runner in self._runners.values():
                if isinstance(runner, Runner):
                    runner.stop()
        finally:
            self.runtime.close()

    # -- running -----------------------------------------------------------------------------

    def run(self, snippet: Snippet, scenario: Scenario, slot: int = 0) -> ScenarioResult:
        label = f"{snippet.pattern}[{snippet.label}:{scenario.name}]"
        try:
            runner = self.runner(snippet.language, slot)
        except SuiteError:  # counted like any scenario that did not pass, then reported as it is
            self._record(snippet, scenario, ScenarioResult(Outcome.CRASH, snippet, scenario, None, Response(), None))
            raise
        tick_ms = self.settings.tick_ms
        payload = {
            "key": snippet.key,
            "pattern": snippet.pattern,
            "variant": snippet.variant,
            "scenario": scenario.name,
            "input": scenario.input,
            "tick_ms": tick_ms,
            "window": scenario.window,
            "settle_ms": min(tick_ms, SETTLE_MS_MAX),
        }
        deadline = scenario.window * tick_ms / 1000 + self.settings.grace_s
        response = runner.request(payload, deadline, label)
        with self._stats_lock:
            self.outlived.extend(f"during {label}: {stray}" for stray in response.strays)
        expected, divergence = scenario.expectation_for(snippet)
        result = ScenarioResult(response.outcome, snippet, scenario, divergence, response, None, response.message)
        if response.outcome is Outcome.PASS:
            observed = observe(response.events, tick_ms, self.settings.early_ms)
            result.comparison = compare(expected, observed, scenario.ordered, tick_ms)
            if response.leaked:
                result.outcome = Outcome.PROTOCOL
                result.message = "leaked activity: work the scenario started outlived its window:\n" + "\n".join(
                    f"  {line}" for line in response.leaked
                )
            elif not result.comparison.ok:
                result.outcome = Outcome.FAIL
                result.message = self._explain_mismatch(result, observed)
        elif response.leaked:
            result.message += "\nleaked activity as well:\n" + "\n".join(f"  {line}" for line in response.leaked)
        self._record(snippet, scenario, result)
        return result

    def _explain_mismatch(self, result: ScenarioResult, observed) -> str:
        snippet, scenario, divergence = result.snippet, result.scenario, result.divergence
        if divergence is not None:
            common = compare(scenario.expect, observed, scenario.ordered, self.settings.tick_ms)
            if common.ok:
                result.stale = True
                spec = repo_relative(snippet.file.parent / "pattern.yaml")
                return (
                    f"stale divergence: {snippet.label} now produces the common trace of scenario "
                    f"{scenario.name!r}. Remove its entry under `divergences:` in {spec}."
                )
            return f"trace differs from the divergence pinned for {snippet.label} ({divergence.reason})"
        return "trace differs from the expected one"

    def _record(self, snippet: Snippet, scenario: Scenario, result: ScenarioResult) -> None:
        with self._stats_lock:
            self._add_stats(snippet, scenario, result)

    def _add_stats(self, snippet: Snippet, scenario: Scenario, result: ScenarioResult) -> None:
        stats = self.stats.setdefault(snippet.language, LanguageStats())
        stats.scenarios += 1
        stats.seconds += result.response.seconds
        if result.outcome is Outcome.PASS:
            stats.passed += 1
        if result.comparison and result.comparison.max_lateness_ms > stats.max_lateness_ms:
            stats.max_lateness_ms = result.comparison.max_lateness_ms
            stats.worst = f"{snippet.pattern}[{snippet.label}:{scenario.name}]"


def describe_result(result: ScenarioResult, tick_ms: float) -> str:
    """The failure report of one scenario: what happened, the diff, stderr and stack."""
    from .trace import render_diff

    snippet, scenario = result.snippet, result.scenario
    lines = [
        f"{result.outcome.value.upper()}: {snippet.pattern} [{snippet.label}] scenario {scenario.name!r} "
        f"({repo_relative(snippet.file)})",
        result.message,
    ]
    if result.comparison is not None:
        lines += ["", render_diff(result.comparison, tick_ms)]
    elif result.response.events:
        lines += ["", "events received:"]
        lines += [f"  @{t:.1f}  {format_event(ev, fields)}" for t, ev, fields in result.response.events]
    if result.response.stack:
        lines += ["", "stack:", in_repository(result.response.stack.rstrip(), [snippet])]
    if result.response.stderr:
        shown = result.response.stderr[-40:]
        stderr = in_repository("\n".join(shown), [snippet])
        cut = len(result.response.stderr) - len(shown) + result.response.stderr_cut
        lines += [
            "",
            "runner stderr" + (f" (the last {len(shown)} lines; {cut} before them not shown):" if cut else ":"),
        ]
        lines += [f"  {line}" for line in stderr.splitlines()]
    return "\n".join(lines)
