"""`make mutate`: a spec is as strong as the mistakes it catches.

Each pattern may declare mutants of its reference snippets in patterns/<id>/mutants.yaml: a plausible
wrong version of one snippet (an exact `find` replaced by `replace`) and the scenario expected to
catch it. Every mutant is applied to a scratch copy of its snippet, built into a tree of its own
(that snippet alone) and run through the suite's own machinery on every scenario of its pattern. It
is killed only when its named scenario FAILs, i.e. shows a trace difference (or an error shape, or the
ending of a scenario run alone, that differs from its pin): a build error, a crash, a timeout or a
protocol error is not a kill. The unchanged snippet is run on the same scenarios as a control, so a
kill always means the mutation changed what the scenario observes.

    python -m harness.tools.mutate [--pattern=ID] [--lang=go] [--tick-ms=50] [--jobs=3]   (local toolchains)
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from harness.base.errors import SuiteError
from harness.catalogue import Catalogue
from harness.catalogue.languages import Language
from harness.catalogue.mutants import MUTANTS_FILE, Mutant
from harness.catalogue.spec import Pattern, Snippet
from harness.running.session import DEFAULT_TICK_MS, Session, Settings
from harness.running.verdict import Outcome, ScenarioResult, failure_report
from harness.runtimes.local import LocalRuntime
from harness.runtimes.runtime import Runtime

# -- running -----------------------------------------------------------------------------------


@dataclass
class Verdict:
    mutant: Mutant
    result: str  # killed, SURVIVED, or NOT KILLED (why)
    failed: list[str]  # the scenarios that did not pass, each with its outcome unless it is `fail`
    detail: str = ""  # what explains a NOT KILLED: the scenario's report, the build error

    @property
    def killed(self) -> bool:
        return self.result == "killed"


class Runs:
    """Builds and runs snippets, mutated or not, on a shared runtime."""

    def __init__(self, settings: Settings, languages: dict[str, Language], runtime: Runtime, every: list[Pattern]):
        self.settings = settings
        self.languages = languages
        self.runtime = runtime
        self.every = every  # every pattern that loads, whose snippets `make test` builds
        self._builds: dict[tuple, str | None] = {}

    def tree(self, snippet: Snippet, mutated: bool) -> list[Snippet]:
        """A mutant is built alone; an unchanged snippet in its language's whole tree, the one
        `make test` builds (content-addressed, so usually built already)."""
        if mutated:
            return [snippet]
        same = {s.key: s for p in self.every for s in p.snippets if s.language == snippet.language}
        return sorted({**same, snippet.key: snippet}.values(), key=lambda s: s.key)

    def build(self, tree: list[Snippet]) -> str | None:
        """Build (or find built) this tree; the error message if it does not build (kept, so a
        broken tree is tried once)."""
        key = tuple((s.key, s.file) for s in tree)
        if key not in self._builds:
            try:
                self.runtime.prepare(self.languages[tree[0].language], tree, lambda _: None)
                self._builds[key] = None
            except SuiteError as exc:
                self._builds[key] = str(exc)
        return self._builds[key]

    def run(
        self, pattern: Pattern, snippet: Snippet, scenarios: list[str], tree: list[Snippet]
    ) -> dict[str, ScenarioResult]:
        """Each named scenario's result; raises SuiteError when the runner cannot start."""
        session = Session(self.settings, self.languages, self.runtime, lambda _: None)
        session.register(dataclasses.replace(pattern, snippets=tuple(tree)))  # the runner's tree
        try:
            return {s.name: session.run(snippet, s) for s in pattern.scenarios if s.name in scenarios}
        finally:
            session.pool.release(snippet.language, 0)


def verdict(
    mutant: Mutant, results: dict[str, ScenarioResult], control: dict[str, ScenarioResult] | str, tick_ms: float
) -> Verdict:
    """`control` is the unchanged snippet's results, or why it could not run."""
    outcomes = {name: r.outcome for name, r in results.items()}
    failed = [
        name if o is Outcome.FAIL else f"{name} ({o.value})" for name, o in outcomes.items() if o is not Outcome.PASS
    ]
    named = outcomes[mutant.killed_by]
    if isinstance(control, str):
        return Verdict(mutant, "NOT KILLED (the unchanged snippet could not run)", failed, control)
    reference = control[mutant.killed_by]
    if reference.outcome is not Outcome.PASS:
        result = f"NOT KILLED (the unchanged snippet does not pass {mutant.killed_by} either: run make test)"
        return Verdict(mutant, result, failed, failure_report(reference, tick_ms))
    if named is Outcome.FAIL:
        return Verdict(mutant, "killed", failed)
    if named is Outcome.PASS:
        return Verdict(mutant, "SURVIVED", failed)
    why = f"NOT KILLED ({named.value}, not a trace difference)"
    return Verdict(mutant, why, failed, failure_report(results[mutant.killed_by], tick_ms))


def mutate(
    mutants: list[Mutant], runs: Runs, jobs: int, scratch: Path, report: Callable[[Verdict], None]
) -> list[Verdict]:
    """Build every tree first (each language's one after another: its builds may share a toolchain
    cache, such as cargo's target directory), then run the controls and the mutants, `jobs` at a
    time, so no compiler takes the CPU from a timed scenario; report each verdict as it comes."""
    originals = {(m.pattern.id, m.snippet.label): (m.pattern, m.snippet) for m in mutants}
    control_plans: dict[tuple[str, str], tuple] = {}
    mutant_plans: dict[int, tuple] = {}
    controls: dict[tuple[str, str], Future] = {}
    verdicts: dict[int, Future] = {}

    def control(pattern: Pattern, snippet: Snippet, tree: list[Snippet], error: str | None):
        named = sorted({m.killed_by for m in mutants if m.pattern.id == pattern.id and m.snippet == snippet})
        if error is not None:
            return error
        try:
            return runs.run(pattern, snippet, named, tree)
        except SuiteError as exc:
            return str(exc)  # the runner did not start

    def one(mutant: Mutant, snippet: Snippet, error: str | None) -> Verdict:
        if error is not None:
            return Verdict(mutant, "NOT KILLED (build error, not a trace difference)", [], error)
        try:
            results = runs.run(mutant.pattern, snippet, [s.name for s in mutant.pattern.scenarios], [snippet])
        except SuiteError as exc:
            return Verdict(mutant, "NOT KILLED (the runner did not start)", [], str(exc))
        reference = controls[mutant.pattern.id, mutant.snippet.label].result()
        return verdict(mutant, results, reference, runs.settings.tick_ms)

    def build_language(language: str) -> None:
        count = sum(1 for _, s in originals.values() if s.language == language)
        count += sum(1 for m in mutants if m.snippet.language == language)
        print(f"[mutate] {language}: building {count} trees (or finding them built)", flush=True)
        for key, (pattern, snippet) in originals.items():
            if snippet.language == language:
                tree = runs.tree(snippet, mutated=False)
                error = runs.build(tree)
                if error is not None:  # another pattern's snippet may break the whole tree
                    tree = [snippet]
                    error = runs.build(tree)
                control_plans[key] = (pattern, snippet, tree, error)
        for index, mutant in enumerate(mutants):
            if mutant.snippet.language == language:
                folder = scratch / f"{index:03d}"
                folder.mkdir()
                copy = folder / mutant.snippet.file.name
                copy.write_text(mutant.source(), encoding="utf-8")
                snippet = dataclasses.replace(mutant.snippet, file=copy)
                mutant_plans[index] = (mutant, snippet, runs.build(runs.tree(snippet, mutated=True)))

    languages = sorted({m.snippet.language for m in mutants})
    with ThreadPoolExecutor(max_workers=len(languages)) as builders:
        for built in [builders.submit(build_language, language) for language in languages]:
            built.result()  # a bug in the tool itself surfaces here
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        # every control is queued before any mutant, so a mutant waiting for its control never
        # holds the slot that control needs
        for key, plan in control_plans.items():
            controls[key] = pool.submit(control, *plan)
        for index in sorted(mutant_plans):
            verdicts[index] = pool.submit(one, *mutant_plans[index])
            verdicts[index].add_done_callback(lambda future: report(future.result()))
    return [verdicts[index].result() for index in range(len(mutants))]  # in declaration order


# -- the report ---------------------------------------------------------------------------------

COLUMNS = ("pattern", "snippet", "mutant", "killing scenario", "result", "failed scenarios", "mistake")


def row(v: Verdict) -> tuple[str, ...]:
    m = v.mutant
    return (m.pattern.id, m.snippet.label, m.id, m.killed_by, v.result, ", ".join(v.failed) or "-", m.mistake)


def table(verdicts: list[Verdict]) -> str:
    rows = [COLUMNS, *(row(v) for v in verdicts)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS) - 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)) + "  " + r[-1] for r in rows]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the suite root (patterns/, languages/)")
    parser.add_argument("--pattern", action="append", default=[], help="only these pattern ids")
    parser.add_argument("--lang", action="append", default=[], help="only these languages")
    # Local toolchains only: the docker runtime keeps one build tree per language in a session,
    # and every mutant needs a tree of its own.
    parser.add_argument("--runtime", default="local", choices=["auto", "local", "docker"])
    parser.add_argument("--tick-ms", type=float, default=DEFAULT_TICK_MS)
    parser.add_argument("--jobs", type=int, default=3, help="mutants run at once (default 3)")
    parser.add_argument("--cache-dir", type=Path, default=None, help="build cache (default: <root>/.cache)")
    args = parser.parse_args(argv)

    root = args.root.resolve()
    cache = (args.cache_dir or root / ".cache").resolve()
    try:
        catalogue = Catalogue(root)
        selection = catalogue.select(args.lang, args.pattern)
        mutants = catalogue.mutants(selection.patterns, selection.languages)
        if not mutants:
            raise SuiteError(f"no mutants selected: none declared in patterns/*/{MUTANTS_FILE} for this selection")
        if args.runtime == "docker":
            raise SuiteError(
                "mutants run on local toolchains only (RUNTIME=local or auto): the docker runtime keeps one "
                "build tree per language, and each mutant needs its own"
            )
    except SuiteError as exc:
        print(f"make mutate: {exc}", file=sys.stderr)
        return 2

    runtime = LocalRuntime(cache)
    settings = Settings(tick_ms=args.tick_ms, cache=cache)
    print(
        f"{len(mutants)} mutants, runtime {runtime.name}, tick {args.tick_ms:g} ms, {args.jobs} at a time; "
        f"runners {runtime.sandbox.description}",
        flush=True,
    )
    done = itertools.count(1)
    printing = threading.Lock()  # verdicts come from the worker threads

    def progress(v: Verdict) -> None:
        m = v.mutant
        with printing:
            print(f"[{next(done):>3}/{len(mutants)}] {v.result:<9} {m.pattern.id} {m.snippet.label} {m.id}", flush=True)

    scratch = Path(tempfile.mkdtemp(prefix="mutants-"))
    try:
        runs = Runs(settings, catalogue.languages, runtime, catalogue.loadable())
        verdicts = mutate(mutants, runs, max(1, args.jobs), scratch, progress)
    except KeyboardInterrupt:
        print("make mutate: interrupted", file=sys.stderr)
        return 130
    finally:
        runtime.close()
        shutil.rmtree(scratch, ignore_errors=True)
    killed = sum(v.killed for v in verdicts)
    print()
    print(table(verdicts))
    for v in verdicts:
        if v.detail:
            print(f"\n{v.mutant.pattern.id} {v.mutant.snippet.label} {v.mutant.id}: {v.result}\n{v.detail}")
    print(f"killed {killed}/{len(verdicts)} mutants")
    return 0 if killed == len(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
