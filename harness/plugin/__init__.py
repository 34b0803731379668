"""The pytest plugin: a run of the suite is a pytest session over patterns/.

One test item per (pattern, snippet, scenario) (harness.plugin.items); select with --lang,
--pattern or -k. The suite sets itself up only for a session that runs patterns
(harness.plugin.options.suite_wanted): the harness's own tests set up no runtime.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from harness.base.errors import SuiteError
from harness.catalogue import Catalogue
from harness.catalogue.shard import parse_shard, split
from harness.outputs.claim import OutputError, check_outputs, claim
from harness.outputs.docs.run import prepare_doc_runs
from harness.outputs.junit import write_junit
from harness.outputs.results import Results
from harness.plugin.items import PatternFile, ScenarioItem, stray_folder_item
from harness.plugin.options import (
    suite_wanted,
    valid_early_ms,
    valid_grace_s,
    valid_jobs,
    valid_tick_ms,
    window_warnings,
)
from harness.plugin.state import DOCS_KEY, RUN_KEY, SCHEDULER_KEY, Run
from harness.plugin.terminal import live_progress
from harness.running.scheduler import DEFAULT_JOBS, Scheduler, Work
from harness.running.session import DEFAULT_TICK_MS, Session, Settings
from harness.runtimes.choice import choose_runtime
from harness.runtimes.images import choose_images


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
    group.addoption(
        "--lang",
        action="append",
        default=[],
        help="only these languages, maybe at versions: go@1.22 (repeat or comma-separate)",
    )
    group.addoption(
        "--versions",
        default=os.environ.get("VERSIONS") or "",
        help="all: every version each selected language supports (default: the one found, or named with @)",
    )
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
        default=os.environ.get("JOBS") or "",
        help=f"scenarios run at once (1: serial; default: {DEFAULT_JOBS}, measured, whatever the number of "
        "languages and versions run)",
    )
    group.addoption(
        "--results",
        default=os.environ.get("RESULTS"),
        help="where to write results.json (default: .cache/results/results.json under the suite root)",
    )
    group.addoption("--junit", default=os.environ.get("JUNIT"), help="also write JUnit XML here, one case per scenario")
    group.addoption(
        "--shard",
        default=os.environ.get("SHARD") or "",
        help="run one slice of the selection: i/N, the i-th of N (split by window time, the same on every machine)",
    )
    group.addoption(
        "--docs",
        action="append",
        default=[],
        help="run the pattern blocks of these Markdown docs (paths, folders, globs) in place of the snippets' regions",
    )


def pytest_configure(config: pytest.Config) -> None:
    root = Path(config.getoption("--suite-root") or config.rootpath).resolve()
    cache = Path(config.getoption("--cache-dir") or root / ".cache").resolve()
    if not suite_wanted(config, root):  # the harness's own tests: nothing to set up
        return
    try:
        catalogue = Catalogue(root)
        selection = catalogue.select(
            config.getoption("--lang"), config.getoption("--pattern"), config.getoption("--versions")
        )
        targets = {lang.key: lang for lang in (catalogue.target(name, v) for name, v in selection.targets)}
        shard = parse_shard(config.getoption("--shard")) if config.getoption("--shard") else None
    except SuiteError as exc:
        raise pytest.UsageError(str(exc)) from None
    tick = valid_tick_ms(config, DEFAULT_TICK_MS)
    settings = Settings(tick_ms=tick, early_ms=valid_early_ms(config, tick), grace_s=valid_grace_s(config), cache=cache)
    jobs = valid_jobs(config.getoption("--jobs") or DEFAULT_JOBS)
    try:
        images = choose_images(root, catalogue.languages, config.getoption("--image"))
        choice = choose_runtime(config.getoption("--runtime"), cache, targets, list(targets), images)
    except SuiteError as exc:
        raise pytest.UsageError(str(exc)) from None
    session = Session(settings, targets, choice.runtime, live_progress(config))
    if config.getoption("--docs"):
        try:
            config.stash[DOCS_KEY] = prepare_doc_runs(config.getoption("--docs"), catalogue, cache)
        except SuiteError as exc:
            choice.runtime.close()
            raise pytest.UsageError(str(exc)) from None
        if not config.getoption("--results"):  # results.json stays the snippets' (make coverage reads it)
            config.option.results = str(cache / "results" / "docs-results.json")
    results = Results(
        root,
        jobs,
        {"languages": selection.target_names(), "patterns": list(selection.patterns)},
        shard,
    )
    results.columns = [(name, v) for name in catalogue.languages for v in (selection.versions_of(name) or [None])]
    run = Run(catalogue, selection, session, results, choice.why, shard)
    if not config.option.collectonly:  # files no other live run in this checkout is writing
        wanted = {"results": Path(config.getoption("--results") or root / ".cache" / "results" / "results.json")}
        if config.getoption("--junit"):
            wanted["junit"] = Path(config.getoption("--junit"))
        try:
            check_outputs({"RESULTS": wanted["results"], **({"JUNIT": wanted["junit"]} if "junit" in wanted else {})})
            run.outputs = {kind: claim(path, cache / "locks") for kind, path in wanted.items()}
        except OutputError as exc:
            choice.runtime.close()
            raise pytest.UsageError(str(exc)) from None
        except OSError as exc:
            choice.runtime.close()
            raise pytest.UsageError(f"cannot claim the run's output files ({exc}): is {cache} writable?") from None
    config.stash[RUN_KEY] = run
    _close_on_sigterm()
    for name in catalogue.languages:
        config.addinivalue_line("markers", f"{name}: scenarios run by the {name} snippets")


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(RUN_KEY, None)
    if run is not None:
        run.session.close()
        for claimed in run.outputs.values():
            claimed.release()


def pytest_report_header(config: pytest.Config) -> list[str]:
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return []
    session, s = run.session, run.session.settings
    lines = [
        f"async suite: runtime {session.runtime.name}, tick {s.tick_ms:g} ms (events may be {s.early_ms:g} ms early)"
    ]
    lines += [f"  {note}" for note in [run.why, *session.runtime.notes] if note]
    lines += [f"  {claimed.note()}" for claimed in run.outputs.values() if claimed.moved]
    jobs = run.results.jobs
    lines.append(
        "  spread: serial, one scenario at a time (JOBS=1)"
        if jobs == 1
        else f"  spread: up to {jobs} scenarios at once (JOBS={jobs}), runners per language planned after collection"
    )
    width = max([11, *map(len, run.selection.target_names())])
    for name in run.selection.target_names():
        try:
            lines.append(f"  {name:<{width}} {session.runtime.describe(session.languages[name])}")
        except SuiteError as exc:
            lines.append(f"  {name:<{width}} NOT AVAILABLE: {exc}")
    return lines


def pytest_collect_directory(path: Path, parent: pytest.Collector):
    """A folder of patterns/ without a pattern.yaml: a failure of its own; the patterns still run."""
    run = parent.config.stash.get(RUN_KEY, None)
    if run is None or run.selection.patterns or path.parent != run.catalogue.patterns_folder:
        return None
    return stray_folder_item(parent, path)


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.name == "pattern.yaml" and RUN_KEY in parent.config.stash:
        return PatternFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """SHARD=i/N: keep the i-th slice of what the other options selected (-k and -m have had their
    say: this runs last). A spec that does not load is a failure of the first slice alone."""
    run = config.stash.get(RUN_KEY, None)
    if run is None or run.shard is None:
        return
    scenarios = [item for item in items if isinstance(item, ScenarioItem)]
    slices = split([(item.nodeid, item.scenario.window) for item in scenarios], run.shard.count)
    kept = [item for item in items if (slices[item.nodeid] if isinstance(item, ScenarioItem) else 1) == run.shard.index]
    if len(kept) < len(items):
        chosen = set(kept)
        config.hook.pytest_deselected(items=[item for item in items if item not in chosen])
        items[:] = kept


def pytest_collection_finish(session: pytest.Session) -> None:
    """Before anything runs: say which scenarios have long windows, and what the run will take."""
    run = session.config.stash.get(RUN_KEY, None)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if run is None or reporter is None:
        return
    scenarios = [(f"{i.path}:{i.scenario.line}", i.scenario) for i in session.items if isinstance(i, ScenarioItem)]
    for line in window_warnings(scenarios, run.session.settings.tick_ms):
        reporter.write_line(f"[suite] warning: {line}", yellow=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session: pytest.Session):
    """With JOBS > 1 every selected scenario starts on the scheduler at once; the items, in collection
    order, then wait for their own results, so reports and the exit status are a serial run's."""
    config = session.config
    run = config.stash.get(RUN_KEY, None)
    if run is None:  # the suite is not set up (the harness's own tests)
        return (yield)
    items = [item for item in session.items if isinstance(item, ScenarioItem)]
    if run.results.jobs == 1 or not items or config.option.collectonly:
        return (yield)
    scheduler = Scheduler(run.session, [Work(i.snippet, i.scenario) for i in items], run.results.jobs)
    run.results.spread = scheduler.describe()
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"async suite: {scheduler.describe()}")
    config.stash[SCHEDULER_KEY] = scheduler
    scheduler.start()
    try:
        outcome = yield
    except BaseException:  # Ctrl-C, SIGTERM: closing the session ends what is in flight
        scheduler.cancel(timeout=0)
        raise
    # -x: scenarios in flight end within their window plus grace, then the runners stop
    settings = run.session.settings
    scheduler.cancel(timeout=settings.grace_s + max(i.scenario.window for i in items) * settings.tick_ms / 1000)
    return outcome


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if isinstance(item, ScenarioItem) and call.when == "call":
        error = None if item.result is not None else report.longreprtext
        item.config.stash[RUN_KEY].results.record(item.snippet, item.scenario, item.result, error)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """results.json after every run (and JUnit XML when asked), from what the items recorded."""
    config = session.config
    run = config.stash.get(RUN_KEY, None)
    if run is None or config.option.collectonly:
        return
    scheduler = config.stash.get(SCHEDULER_KEY, None)
    if scheduler is not None and exitstatus == pytest.ExitCode.INTERRUPTED:
        # what ran before Ctrl-C or SIGTERM, though its item was not reached (-x keeps its contract:
        # what the run did not report is not run)
        for work, result in scheduler.finished():
            run.results.record_missing(work.snippet, work.scenario, result)
    run.session.finish()
    if run.session.outlived and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED  # a leak seen late: the summary names it
    try:
        document = run.results.write(run.outputs["results"].path, run.session, exitstatus)
    except OSError as exc:
        run.unwritten.append(f"results.json: {run.outputs['results'].path}: {exc}")
    else:
        if "junit" in run.outputs:
            try:
                write_junit(document, run.outputs["junit"].path)
            except OSError as exc:
                run.unwritten.append(f"JUnit XML: {run.outputs['junit'].path}: {exc}")
    if run.unwritten:  # said last of all, by the summary
        session.exitstatus = pytest.ExitCode.USAGE_ERROR


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return
    _timing_margin(terminalreporter, run)
    moved = [claimed.note() for claimed in run.outputs.values() if claimed.moved]
    if moved:
        terminalreporter.section("outputs written elsewhere", yellow=True)
        for note in moved:
            terminalreporter.write_line(note)
    if run.unwritten:  # the run's last word: an output it could not write fails it
        terminalreporter.section("outputs not written (fails the run)", red=True)
        for problem in run.unwritten:
            terminalreporter.write_line(f"ERROR: cannot write {problem}", red=True)


def _timing_margin(terminalreporter, run: Run) -> None:
    if not run.session.stats:
        return
    session = run.session
    tick = session.settings.tick_ms
    width = max([11, *map(len, session.stats)])
    terminalreporter.section("timing margin")
    terminalreporter.write_line(
        f"{'language':<{width}} {'passed':>9} {'late max':>9} {'of tick':>8}  {'build':<16} worst scenario"
    )
    order = list(session.languages)
    for name, st in sorted(session.stats.items(), key=lambda pair: order.index(pair[0])):
        if not st.scenarios:  # interrupted before its first scenario
            continue
        share = 100 * st.max_lateness_ms / tick
        build = session.pool.builds.get(name, "")
        terminalreporter.write_line(
            f"{name:<{width}} {st.passed:>4}/{st.scenarios:<4} {st.max_lateness_ms:>7.1f}ms {share:>7.0f}%  "
            f"{build:<16} {st.worst}"
        )
    if session.outlived:  # traced by a scenario after it had settled, seen during a later one
        terminalreporter.section("activity that outlived its scenario (fails the run)", red=True)
        for line in session.outlived:
            terminalreporter.write_line(line)
