"""Judging one scenario: what the runner did (harness.running.client) and the trace it gave
(harness.running.trace), against what the spec expects of that snippet.

The outcomes are distinct: pass, fail (the trace differs, a pinned divergence went stale, or the
error shape does not hold to its pin: harness.running.shapes), timeout, crash, protocol error
(leaked activity included). A failure's report, the text the terminal, JUnit and results.json
show, is written here too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from harness.base.paths import repo_relative
from harness.catalogue.languages import version_key
from harness.catalogue.spec import Divergence, Ending, Scenario, ShapePin, Snippet
from harness.running.client import Fault, Response
from harness.running.ending import classify, ending_problem
from harness.running.shapes import shape_problem, shapes_of, without_shapes
from harness.running.trace import Comparison, compare, format_event, observe, render_diff
from harness.runtimes.build import in_repository


class Outcome(Enum):
    PASS = "pass"
    FAIL = "fail"
    TIMEOUT = "timeout"
    CRASH = "crash"
    PROTOCOL = "protocol error"
    UNAVAILABLE = "not available"  # on a version older than the snippet requires, it failed to load or run


SUCCEEDED = (Outcome.PASS, Outcome.UNAVAILABLE)


OUTCOME_OF_FAULT = {
    Fault.NO_ANSWER: Outcome.TIMEOUT,
    Fault.RAISED: Outcome.CRASH,
    Fault.EXITED: Outcome.CRASH,
    Fault.PROTOCOL: Outcome.PROTOCOL,
}


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
    shape_pin: ShapePin | None = None  # the error shapes it must report (harness.running.shapes)
    shape_problem: str = ""  # why the shapes it reported do not hold to that pin
    # With `expect_one_of`: the comparison with each trace a run may give (`comparison` is the one
    # it matched, or else the closest), and which of them that is, counted from 0.
    comparisons: tuple[Comparison, ...] = ()
    alternative: int | None = None
    # A scenario run alone: how its process must end, and how it did (its exit status and the
    # classes of what it printed); `ending_problem` says why they differ.
    ending_pin: Ending | None = None
    ending: Ending | None = None
    unclassified: tuple[str, ...] = ()  # the lines of its stderr that no class of its language matches
    ending_problem: str = ""

    @property
    def label(self) -> str:
        """`timeout[go:within_deadline]`, as items and messages name it."""
        return f"{self.snippet.pattern}[{self.snippet.run_label}:{self.scenario.name}]"

    @property
    def events(self) -> list[tuple[float, str, dict]]:
        """The trace as compared: the runner's events, without the error shapes."""
        return without_shapes(self.response.events)

    @property
    def shapes(self) -> tuple[str, ...]:
        """The error shapes the snippet reported, in trace order."""
        return shapes_of(self.response.events)


def judge(
    snippet: Snippet,
    scenario: Scenario,
    response: Response,
    tick_ms: float,
    early_ms: float,
    version: str | None = None,
    printed: tuple[tuple[str, str], ...] = (),
) -> ScenarioResult:
    """The outcome of one scenario from the runner's response; `version`: the version that ran it,
    which chooses the divergences qualified by version; `printed`: its language's classes of output,
    for a scenario run alone."""
    traces, divergence = scenario.traces_for(snippet, version)
    if response.fault is not None:
        result = ScenarioResult(
            OUTCOME_OF_FAULT[response.fault], snippet, scenario, divergence, response, None, response.message
        )
        if response.leaked:
            result.message += "\nleaked activity as well:\n" + _indented(response.leaked)
        return result
    result = ScenarioResult(Outcome.PASS, snippet, scenario, divergence, response, None)
    observed = observe(result.events, tick_ms, early_ms)
    comparisons = tuple(_compare(trace, observed, scenario, divergence, tick_ms) for trace in traces)
    index = _matched(comparisons)
    comparison = result.comparison = comparisons[index]
    if len(traces) > 1:
        result.comparisons, result.alternative = comparisons, index
    result.shape_pin = scenario.shape_for(snippet, version)
    result.shape_problem = shape_problem(snippet, scenario.name, result.shape_pin, result.shapes)
    if scenario.alone:
        _judge_ending(result, version, printed)
        if divergence is not None and result.ending == scenario.ending and _common(scenario, observed, tick_ms):
            result.outcome, result.stale = Outcome.FAIL, True
            result.message = _stale(snippet, scenario) + " (its process ends as the scenario's does too)"
            return result
    if response.leaked:
        result.outcome = Outcome.PROTOCOL
        result.message = "leaked activity: work the scenario started outlived its window:\n" + _indented(
            response.leaked
        )
    else:  # every problem is said: the trace's first, then the error shape's, then the ending's
        said = [_mismatch(result, observed, tick_ms)] if not comparison.ok else []
        for what, problem in (("the error shape", result.shape_problem), ("the ending", result.ending_problem)):
            if problem:
                said.append(f"{what}, too: {problem}" if said else problem)
        if said:
            result.outcome = Outcome.FAIL
            result.message = "\n".join(said)
    return result


def _judge_ending(result: ScenarioResult, version: str | None, printed: tuple[tuple[str, str], ...]) -> None:
    """Hold the ending of a scenario run alone to its pin."""
    snippet, scenario, response = result.snippet, result.scenario, result.response
    result.ending_pin = scenario.ending_for(snippet, version)
    sorted_out = classify(response.stderr, printed)
    exit = response.exit if response.exit is not None else -1
    result.ending, result.unclassified = Ending(exit, sorted_out.classes), sorted_out.unclassified
    result.ending_problem = ending_problem(snippet.language, result.ending_pin, exit, sorted_out, response.stderr_cut)


def _compare(expected, observed, scenario: Scenario, divergence: Divergence | None, tick_ms: float) -> Comparison:
    if divergence is not None and divergence.unsteady:  # the events, at whichever ticks they came
        comparison = compare(_untimed(expected), _untimed(observed), False, tick_ms)
        comparison.lateness_ms = []  # no tick was expected of them: nothing is late
        return comparison
    return compare(expected, observed, scenario.ordered, tick_ms)


def _common(scenario: Scenario, observed, tick_ms: float) -> bool:
    """Whether `observed` is a common trace of the scenario (one of them, with `expect_one_of`)."""
    return any(compare(trace, observed, scenario.ordered, tick_ms).ok for trace in scenario.traces)


def _matched(comparisons: tuple[Comparison, ...]) -> int:
    """The trace a run gave: the first that matches, else the closest (the fewest rows that differ
    with no explanation, then the fewest explained ones: the same event at another tick)."""
    for index, comparison in enumerate(comparisons):
        if comparison.ok:
            return index

    def distance(index: int) -> tuple[int, int, int]:
        wrong = [row for row in comparisons[index].rows if not row.ok]
        moved = sum(1 for row in wrong if row.note.startswith(("seen at", "expected at")))
        return len(wrong) - moved + len(comparisons[index].problems), moved, index

    return min(range(len(comparisons)), key=distance)


def _untimed(events):
    """The events with their ticks set aside, for a divergence whose ticks are unsteady."""
    return tuple(replace(event, tick=0) for event in events)


def _stale(snippet: Snippet, scenario: Scenario) -> str:
    spec = repo_relative(snippet.file.parent / "pattern.yaml")
    return (
        f"stale divergence: {snippet.label} now produces the common trace of scenario "
        f"{scenario.name!r}. Remove its entry under `divergences:` in {spec}."
    )


def availability(result: ScenarioResult, version: str | None) -> ScenarioResult:
    """Judged again where the snippet requires a newer version than the one that ran it: a crash
    (it did not build, load or run) is the pinned unavailability; a pass means the pin is stale."""
    requires = result.snippet.requires
    if requires is None or not version or version_key(version) >= version_key(requires[0]):
        return result
    needed, why = requires
    if result.outcome is Outcome.CRASH:
        result.message = f"not available before {needed} ({why}); on {version}: {result.message}"
        result.outcome = Outcome.UNAVAILABLE
    elif result.outcome is Outcome.PASS:
        spec = repo_relative(result.snippet.file.parent / "pattern.yaml")
        result.outcome, result.stale = Outcome.FAIL, True
        result.message = (
            f"stale availability: {result.snippet.label} runs on {version}, but {spec} says it requires "
            f"{needed} ({why}). Lower or remove its `requires:`."
        )
    else:
        result.message += f"\n(it requires {needed}: {why}; but it did not fail to load or run on {version})"
    return result


def _mismatch(result: ScenarioResult, observed, tick_ms: float) -> str:
    snippet, scenario, divergence = result.snippet, result.scenario, result.divergence
    choice = f"none of the {len(result.comparisons)} traces of its expect_one_of" if result.comparisons else ""
    if divergence is None:
        return f"trace is {choice}" if choice else "trace differs from the expected one"
    if _common(scenario, observed, tick_ms):
        result.stale = True
        return _stale(snippet, scenario)
    if choice:
        return f"trace is {choice}, pinned for {snippet.label} ({divergence.reason})"
    if divergence.unsteady:
        return f"events differ from those pinned (at any ticks) for {snippet.label} ({divergence.reason})"
    return f"trace differs from the divergence pinned for {snippet.label} ({divergence.reason})"


def _indented(lines: list[str]) -> str:
    return "\n".join(f"  {line}" for line in lines)


def failure_report(result: ScenarioResult, tick_ms: float) -> str:
    """The failure report of one scenario: what happened, the diff, stderr and stack."""
    snippet, scenario = result.snippet, result.scenario
    lines = [
        f"{result.outcome.value.upper()}: {snippet.pattern} [{snippet.run_label}] scenario {scenario.name!r} "
        f"({repo_relative(snippet.file)})",
        result.message,
    ]
    if result.comparisons and result.outcome is Outcome.FAIL:
        count = len(result.comparisons)
        for index, comparison in enumerate(result.comparisons):
            closest = " (the closest)" if index == result.alternative else ""
            lines += ["", f"against trace {index + 1} of {count}{closest}:", render_diff(comparison, tick_ms)]
    elif result.comparison is not None:
        lines += ["", render_diff(result.comparison, tick_ms)]
    elif result.events:
        lines += ["", "events received:"]
        lines += [f"  @{t:.1f}  {format_event(ev, fields)}" for t, ev, fields in result.events]
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
