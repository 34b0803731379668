"""pytest plugin: one test item per (pattern, snippet, scenario), from patterns/<id>/pattern.yaml.

Item ids read `patterns/all_fail_fast/pattern.yaml::all_fail_fast[go:second_fails]`, which pytest takes
back as they are printed; select with --lang, --pattern or -k. The suite sets itself up only for a
session that runs patterns (harness.options.suite_wanted).
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from .docs.run import DocRuns, prepare_doc_runs
from .errors import SpecError, SuiteError
from .images import choose_images
from .junit import write_junit
from .languages import load_languages
from .options import (
    pattern_ids,
    stray_folder,
    suite_wanted,
    valid_early_ms,
    valid_grace_s,
    valid_names,
    valid_tick_ms,
    window_warnings,
)
from .parallel import DEFAULT_JOBS, Scheduler, Work
from .results import Results
from .runner import Outcome
from .runtime import choose_runtime
from .session import DEFAULT_TICK_MS, Settings, Suite, describe_result
from .spec import Pattern, Scenario, Snippet, load_pattern
from .terminal import live_progress

SUITE_KEY = pytest.StashKey[Suite]()
WHY_KEY = pytest.StashKey[str]()
RESULTS_KEY = pytest.StashKey[Results]()
SCHEDULER_KEY = pytest.StashKey[Scheduler]()
DOCS_KEY = pytest.StashKey[DocRuns]()


def _close_on_sigterm() -> None:
    """SIGTERM (a CI job cancelled, `kill`) unwinds like Ctrl-C, so the session still cleans up."""
    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")

    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, interrupt)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("async suite")
    group.addoption("--lang", action="append", default=[], help="only these languages (repeat or comma-separate)")
    group.addoption("--pattern", action="append", default=[], help="only these pattern ids (repeat or comma-separate)")
    group.addoption(
        "--runtime",
        default=os.environ.get("RUNTIME") or "auto",
        choices=["auto", "local", "docker"],
        help="where runners run: local toolchains, docker images, or auto (docker when it can, else local)",
    )
    group.addoption(
        "--image", action="append", default=[], metavar="LANG=IMAGE", help="run LANG in IMAGE (docker runtime)"
    )
    group.addoption("--tick-ms", type=float, default=None, help="tick length in ms (default: the measured default)")
    group.addoption("--early-ms", type=float, default=2.0, help="how early an event may come before its tick")
    group.addoption("--grace-s", type=float, default=5.0, help="seconds a runner may take beyond the window")
    group.addoption("--suite-root", default=None, help="folder holding languages/ (default: the rootdir)")
    group.addoption("--cache-dir", default=os.environ.get("ASYNC_SUITE_CACHE"), help="build cache (default: .cache)")
    group.addoption(
        "--jobs",
        default=os.environ.get("JOBS") or DEFAULT_JOBS,
        help=f"scenarios run at once (1: serial; default {DEFAULT_JOBS}, measured)",
    )
    group.addoption(
        "--results",
        default=os.environ.get("RESULTS"),
        help="where to write results.json (default: .cache/results/results.json under the suite root)",
    )
    group.addoption("--junit", default=os.environ.get("JUNIT"), help="also write JUnit XML here, one case per scenario")
    group.addoption(
        "--docs",
        action="append",
        default=[],
        help="run the pattern blocks of these Markdown docs (paths, folders, globs) in place of the snippets' regions",
    )


def _jobs(text: str | int) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise pytest.UsageError(
            f"--jobs / JOBS must be a whole number of scenarios run at once (1: serial), not {text!r}"
        )
    return jobs


def _csv(values: list[str]) -> set[str]:
    return {v.strip() for value in values for v in value.split(",") if v.strip()}


def pytest_configure(config: pytest.Config) -> None:
    root = Path(config.getoption("--suite-root") or config.rootpath).resolve()
    cache = Path(config.getoption("--cache-dir") or root / ".cache").resolve()
    if not suite_wanted(config, root):  # the harness's own tests: nothing to set up
        return
    try:
        languages = load_languages(root / "languages")
    except SuiteError as exc:
        raise pytest.UsageError(str(exc)) from None
    wanted = valid_names(config, "--lang", list(languages), "language(s)")
    valid_names(config, "--pattern", pattern_ids(root / "patterns"), "pattern(s)")
    tick = valid_tick_ms(config, DEFAULT_TICK_MS)
    settings = Settings(tick_ms=tick, early_ms=valid_early_ms(config, tick), grace_s=valid_grace_s(config), cache=cache)
    selected = [name for name in languages if not wanted or name in wanted]
    try:
        images = choose_images(root, languages, config.getoption("--image"))
        choice = choose_runtime(config.getoption("--runtime"), cache, languages, selected, images)
    except SuiteError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[SUITE_KEY] = Suite(settings, languages, choice.runtime, live_progress(config))
    config.stash[WHY_KEY] = choice.why
    if config.getoption("--docs"):
        try:
            config.stash[DOCS_KEY] = prepare_doc_runs(config.getoption("--docs"), root, cache)
        except SuiteError as exc:
            raise pytest.UsageError(str(exc)) from None
        if not config.getoption("--results"):  # results.json stays the snippets' (make coverage reads it)
            config.option.results = str(cache / "results" / "docs-results.json")
    selection = {"languages": selected, "patterns": sorted(_csv(config.getoption("--pattern")))}
    config.stash[RESULTS_KEY] = Results(root, _jobs(config.getoption("--jobs")), selection)
    _close_on_sigterm()
    for name in languages:
        config.addinivalue_line("markers", f"{name}: scenarios run by the {name} snippets")


def pytest_unconfigure(config: pytest.Config) -> None:
    suite = config.stash.get(SUITE_KEY, None)
    if suite is not None:
        suite.close()


def _selected_languages(config: pytest.Config) -> list[str]:
    suite = config.stash[SUITE_KEY]
    wanted = _csv(config.getoption("--lang"))
    return [name for name in suite.languages if not wanted or name in wanted]


def pytest_report_header(config: pytest.Config) -> list[str]:
    suite = config.stash.get(SUITE_KEY, None)
    if suite is None:
        return []
    s = suite.settings
    lines = [
        f"async suite: runtime {suite.runtime.name}, tick {s.tick_ms:g} ms (events may be {s.early_ms:g} ms early)"
    ]
    lines += [f"  {note}" for note in [config.stash.get(WHY_KEY, ""), *suite.runtime.notes] if note]
    jobs = config.stash[RESULTS_KEY].jobs
    lines.append(
        "  spread: serial, one scenario at a time (JOBS=1)"
        if jobs == 1
        else f"  spread: up to {jobs} scenarios at once (JOBS={jobs}), runners per language planned after collection"
    )
    for name in _selected_languages(config):
        lang = suite.languages[name]
        try:
            lines.append(f"  {name:<11} {suite.runtime.describe(lang)}")
        except SuiteError as exc:
            lines.append(f"  {name:<11} NOT AVAILABLE: {exc}")
    return lines


def pytest_collect_directory(path: Path, parent: pytest.Collector):
    """A folder of patterns/ without a pattern.yaml: a failure of its own; the patterns still run."""
    config = parent.config
    if SUITE_KEY not in config.stash or config.getoption("--pattern"):
        return None
    root = Path(config.getoption("--suite-root") or config.rootpath).resolve()
    problem = stray_folder(path) if path.parent == root / "patterns" else None
    return StrayFolder.from_parent(parent, path=path, problem=problem) if problem else None


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.name == "pattern.yaml" and SUITE_KEY in parent.config.stash:
        return PatternFile.from_parent(parent, path=file_path)
    return None


class PatternFile(pytest.File):
    def collect(self):
        suite = self.config.stash[SUITE_KEY]
        patterns = _csv(self.config.getoption("--pattern"))
        try:
            pattern = load_pattern(self.path, list(suite.languages))
        except SpecError as exc:  # an error of its own; every other pattern still runs
            if not patterns or self.path.parent.name in patterns:
                yield SpecErrorItem.from_parent(self, name="spec", error=exc)
            return
        docs = self.config.stash.get(DOCS_KEY, None)
        if docs is not None:  # `make test DOCS=...`: only the docs' blocks run, each in its snippet's place
            pattern = docs.substitute(pattern)
        suite.register(pattern)
        if patterns and pattern.id not in patterns:
            return
        languages = _selected_languages(self.config)
        for snippet in sorted(
            pattern.snippets, key=lambda s: (languages.index(s.language) if s.language in languages else 99, s.label)
        ):
            if snippet.language not in languages:
                continue
            for scenario in pattern.scenarios:
                name = f"{pattern.id}[{snippet.label}:{scenario.name}]"
                if docs is not None:  # a doc block's item names it: `...]@docs/guide.md:12`
                    name = f"{name}@{docs.origin(snippet)}"
                yield ScenarioItem.from_parent(self, name=name, pattern=pattern, snippet=snippet, scenario=scenario)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, SuiteError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


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
        suite = self.config.stash[SUITE_KEY]
        scheduler = self.config.stash.get(SCHEDULER_KEY, None)
        if scheduler is not None:
            self.result = scheduler.result(self.snippet, self.scenario)
        else:
            self.result = suite.run(self.snippet, self.scenario)
        if self.result.outcome is not Outcome.PASS:
            raise ScenarioFailed(describe_result(self.result, suite.settings.tick_ms))

    def repr_failure(self, excinfo, style=None):
        docs = self.config.stash.get(DOCS_KEY, None)
        explain = docs.explain if docs is not None else lambda snippet, report: report  # names the doc block
        if isinstance(excinfo.value, ScenarioFailed):
            return explain(self.snippet, excinfo.value.report)
        if isinstance(excinfo.value, SuiteError):
            return explain(self.snippet, f"{self.snippet.label}: {excinfo.value}")
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.snippet.file, None, self.name


def pytest_collection_finish(session: pytest.Session) -> None:
    """Before anything runs: say which scenarios have long windows, and what the run will take."""
    suite = session.config.stash.get(SUITE_KEY, None)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if suite is None or reporter is None:
        return
    scenarios = [(f"{i.path}:{i.scenario.line}", i.scenario) for i in session.items if isinstance(i, ScenarioItem)]
    for line in window_warnings(scenarios, suite.settings.tick_ms):
        reporter.write_line(f"[suite] warning: {line}", yellow=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session):
    """With JOBS > 1 every selected scenario starts on the scheduler at once; the items, in collection
    order, then wait for their own results, so reports and the exit status are a serial run's."""
    config = session.config
    if RESULTS_KEY not in config.stash:  # the suite is not set up (the harness's own tests)
        return (yield)
    jobs = config.stash[RESULTS_KEY].jobs
    items = [item for item in session.items if isinstance(item, ScenarioItem)]
    if jobs == 1 or not items or config.option.collectonly:
        return (yield)
    scheduler = Scheduler(config.stash[SUITE_KEY], [Work(i.snippet, i.scenario) for i in items], jobs)
    config.stash[RESULTS_KEY].spread = scheduler.describe()
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"async suite: {scheduler.describe()}")
    config.stash[SCHEDULER_KEY] = scheduler
    scheduler.start()
    try:
        outcome = yield
    except BaseException:  # Ctrl-C, SIGTERM: closing the suite ends what is in flight
        scheduler.cancel(timeout=0)
        raise
    # -x: scenarios in flight end within their window plus grace, then the runners stop
    settings = config.stash[SUITE_KEY].settings
    scheduler.cancel(timeout=settings.grace_s + max(i.scenario.window for i in items) * settings.tick_ms / 1000)
    return outcome


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if isinstance(item, ScenarioItem) and call.when == "call":
        error = None if item.result is not None else report.longreprtext
        item.config.stash[RESULTS_KEY].record(item.snippet, item.scenario, item.result, error)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """results.json after every run (and JUnit XML when asked), from what the items recorded."""
    config = session.config
    results, suite = config.stash.get(RESULTS_KEY, None), config.stash.get(SUITE_KEY, None)
    if results is None or suite is None or config.option.collectonly:
        return
    if suite.outlived and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED  # a leak seen late: the summary names it
    target = Path(config.getoption("--results") or results.root / ".cache" / "results" / "results.json")
    junit = config.getoption("--junit")
    try:
        document = results.write(target.resolve(), suite, exitstatus)
        if junit:
            write_junit(document, Path(junit).resolve())
    except OSError as exc:
        config.get_terminal_writer().line(f"ERROR: cannot write the run's results: {exc}", red=True)
        session.exitstatus = pytest.ExitCode.USAGE_ERROR


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    suite = config.stash.get(SUITE_KEY, None)
    if suite is None or not suite.stats:
        return
    tick = suite.settings.tick_ms
    terminalreporter.section("timing margin")
    terminalreporter.write_line(
        f"{'language':<11} {'passed':>9} {'late max':>9} {'of tick':>8}  {'build':<16} worst scenario"
    )
    for name, st in sorted(suite.stats.items(), key=lambda pair: list(suite.languages).index(pair[0])):
        if not st.scenarios:  # interrupted before its first scenario
            continue
        share = 100 * st.max_lateness_ms / tick
        terminalreporter.write_line(
            f"{name:<11} {st.passed:>4}/{st.scenarios:<4} {st.max_lateness_ms:>7.1f}ms {share:>7.0f}%  "
            f"{st.build:<16} {st.worst}"
        )
    if suite.outlived:  # traced by a scenario after it had settled, seen during a later one
        terminalreporter.section("activity that outlived its scenario (fails the run)", red=True)
        for line in suite.outlived:
            terminalreporter.write_line(line)
