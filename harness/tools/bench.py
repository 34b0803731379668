"""`make bench`: how long the matrix takes, four ways side by side, in one run.

* the intrinsic bound: per language, the sum of its windows divided by its runner slots in the default
  plan; a run can be no shorter than the largest of those;
* start-up: a default run of one (the shortest) scenario per language, less that scenario's window:
  what any run pays before and after its scenarios (interpreter, collection, runners starting);
* the default parallel run and the serial one (`JOBS=1`), each a real `make test` of the selection;
* the naive way: the scenarios one after another, each in a runner started for it alone.

Builds are made (or found cached) first, so every measurement is warm.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from harness.base.errors import SuiteError
from harness.catalogue import Catalogue
from harness.running.scheduler import DEFAULT_JOBS, Work, bound_ms, plan
from harness.running.session import DEFAULT_TICK_MS, Session, Settings
from harness.running.verdict import SUCCEEDED
from harness.runtimes.choice import choose_runtime
from harness.runtimes.images import choose_images

PROGRESS_EVERY_S = 10.0  # how often a measurement says how far it got


@dataclass
class Measure:
    name: str
    seconds: float
    passed: int
    scenarios: int
    late_ms: float  # the largest lateness of a matched event


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", default=[])
    parser.add_argument("--pattern", action="append", default=[])
    parser.add_argument("--versions", default=os.environ.get("VERSIONS") or "", help="all: every supported version")
    parser.add_argument("--runtime", default=os.environ.get("RUNTIME") or "auto")
    parser.add_argument("--tick-ms", type=float, default=DEFAULT_TICK_MS)
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or DEFAULT_JOBS), help="parallel width")
    args = parser.parse_args(argv)
    root = Path.cwd()
    out = root / ".cache" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    try:
        session, work = _session(root, args)
    except SuiteError as exc:
        print(f"make bench: {exc}", file=sys.stderr)
        return 2
    if not work:
        print("make bench: the selection holds no scenario", file=sys.stderr)
        return 2
    try:
        return _bench(session, work, args, root, out)
    except SuiteError as exc:
        print(f"make bench: {exc}", file=sys.stderr)
        return 1
    finally:
        session.close()


def _session(root: Path, args) -> tuple[Session, list[Work]]:
    catalogue = Catalogue(root)
    selection = catalogue.select(args.lang, args.pattern, args.versions)
    cache = root / ".cache"
    targets = {lang.key: lang for lang in (catalogue.target(n, v) for n, v in selection.targets)}
    images = choose_images(root, catalogue.languages, [])
    choice = choose_runtime(args.runtime, cache, targets, list(targets), images)
    session = Session(Settings(tick_ms=args.tick_ms, cache=cache), targets, choice.runtime, lambda _: None)
    work = []
    for pattern in catalogue.patterns():
        session.register(pattern)
        if selection.wants_pattern(pattern.id):
            work += [
                Work(s.at(version), sc)
                for s in pattern.snippets
                if selection.wants_language(s.language)
                for version in selection.versions_of(s.language)
                for sc in pattern.scenarios
            ]
    return session, work


def _bench(session: Session, work: list[Work], args, root: Path, out: Path) -> int:
    tick = session.settings.tick_ms
    languages = sorted({w.snippet.target for w in work}, key=list(session.languages).index)
    print(f"bench: {len(work)} scenarios in {', '.join(languages)}; runtime {session.runtime.name}, tick {tick:g} ms")
    for language in languages:
        print(f"  {language}: build {session.pool.prepare(language).build}")

    slots = plan(work, args.jobs, tick)
    bounds = bound_ms(work, slots, tick)
    busiest = max(bounds, key=bounds.get)
    print(f"intrinsic bound, windows x tick / runner slots (JOBS={args.jobs}):")
    for language in languages:
        print(f"  {language:<14} {bounds[language] / 1000:6.2f} s  ({slots[language]} runners)")
    bound = bounds[busiest] / 1000

    select = [f"--runtime={session.runtime.name}", f"--tick-ms={tick:g}"]
    select += [f"--lang={','.join(args.lang)}"] if args.lang else []
    select += [f"--versions={args.versions}"] if args.versions else []
    select += [f"--pattern={','.join(args.pattern)}"] if args.pattern else []
    shortest = {}
    for w in sorted(work, key=lambda w: w.scenario.window):
        shortest.setdefault(w.snippet.target, w)
    probe_k = " or ".join(f"{w.snippet.pattern}[{w.snippet.run_label}:{w.scenario.name}]" for w in shortest.values())
    probe = _pytest(root, out, "start-up", [*select, f"--jobs={args.jobs}", "-k", probe_k])
    startup = max(0.0, probe.seconds - max(w.scenario.window for w in shortest.values()) * tick / 1000)

    parallel = _pytest(root, out, f"parallel (JOBS={args.jobs})", [*select, f"--jobs={args.jobs}"])
    serial = _pytest(root, out, "serial (JOBS=1)", [*select, "--jobs=1"])
    naive = _naive(session, work)

    print()
    print(f"{'run':<28} {'wall':>8} {'passed':>9} {'late max':>9} {'serial/run':>11} {'run/bound':>10}")
    for m in (naive, serial, parallel):
        print(
            f"{m.name:<28} {m.seconds:7.2f}s {m.passed:>4}/{m.scenarios:<4} {m.late_ms:7.1f}ms "
            f"{serial.seconds / m.seconds:10.2f}x {m.seconds / bound:9.2f}x"
        )
    print(f"{'start-up (1 scenario/lang)':<28} {startup:7.2f}s")
    print(f"{'intrinsic bound (' + busiest + ')':<28} {bound:7.2f}s")
    print()
    speedup = serial.seconds / parallel.seconds
    beyond = max(0.0, parallel.seconds - startup) / bound
    print(f"parallel is {speedup:.2f}x faster than serial (goal: 4x or more)")
    noisy = " (the start-up probe took longer than the whole run: the machine is noisy)" if not beyond else ""
    print(f"parallel less start-up is {beyond:.2f}x the intrinsic bound (goal: 1.25x or less){noisy}")
    failed = [m.name for m in (parallel, serial, naive) if m.passed != m.scenarios]
    if failed:
        print(f"not every scenario passed in: {', '.join(failed)} (logs in {out})")
    return 1 if failed else 0


def _pytest(root: Path, out: Path, name: str, args: list[str]) -> Measure:
    """One run of the suite as `make test` runs it, timed from start to exit."""
    slug = name.split(" ")[0]
    results = out / f"{slug}.json"
    argv = [sys.executable, "-m", "pytest", "patterns", "-q", "-p", "no:cacheprovider", f"--results={results}", *args]
    results.unlink(missing_ok=True)
    started = time.monotonic()
    with open(out / f"{slug}.log", "w") as log:
        run = subprocess.Popen(argv, cwd=root, stdout=log, stderr=subprocess.STDOUT)
        while run.poll() is None:  # progress while it measures: pytest's own [ 40%] from its log
            try:
                run.wait(timeout=PROGRESS_EVERY_S)
            except subprocess.TimeoutExpired:
                done = re.findall(r"\[ *(\d+)%\]", (out / f"{slug}.log").read_text(errors="replace"))
                _progress(f"{name}: {done[-1] if done else 0}% after {time.monotonic() - started:.0f} s")
    seconds = time.monotonic() - started
    if not results.exists():
        raise SuiteError(f"the {name} run wrote no results; see {out / f'{slug}.log'}")
    document = json.loads(results.read_text())
    ran = [r for r in document["results"] if r["outcome"] not in ("not run", "not applicable")]
    late = max((r["max_lateness_ms"] or 0.0 for r in ran), default=0.0)
    measure = Measure(name, seconds, sum(r["outcome"] in ("pass", "not available") for r in ran), len(ran), late)
    _progress(f"{name}: {seconds:.1f} s, {measure.passed}/{measure.scenarios} passed")
    return measure


def _naive(session: Session, work: list[Work]) -> Measure:
    """Every scenario in a runner of its own, started for it and stopped after it."""
    passed, late = 0, 0.0
    started = time.monotonic()
    name = "naive (fresh runner each)"
    last_said = started
    for slot, w in enumerate(work):
        try:
            result = session.run(w.snippet, w.scenario, slot)
        finally:
            session.pool.release(w.snippet.target, slot)
        passed += result.outcome in SUCCEEDED
        if result.comparison is not None:
            late = max(late, result.comparison.max_lateness_ms)
        if time.monotonic() - last_said >= PROGRESS_EVERY_S:
            last_said = time.monotonic()
            _progress(f"{name}: {slot + 1}/{len(work)} scenarios after {last_said - started:.0f} s")
    measure = Measure(name, time.monotonic() - started, passed, len(work), late)
    _progress(f"{name}: {measure.seconds:.1f} s, {passed}/{len(work)} passed")
    return measure


def _progress(line: str) -> None:
    print(f"  ... {line}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
