"""`make record PATTERN=.. [LANG=..] [SCENARIO=..] [UPDATE=1]`: writing a spec is reviewing a diff.

Runs the selected snippets on the selected scenarios, as `make test` does, and prints what each
observed in the spec's own form: a new `expect:` list, or a `divergences:` entry whose reason is
left as a TODO for the author. With UPDATE=1 it writes them into pattern.yaml (keeping comments and
layout) for review with `git diff`; a TODO left there fails `make test` until it is filled in.

Which trace becomes the common one: the spec's own while any snippet gives it. When the spec's
trace is still a TODO (`make new-pattern` wrote it), or when every snippet of the pattern ran and
none gives it, the trace most snippets gave becomes the common one and the others are pinned.
A divergence that no longer happens is removed. The error shapes a snippet reports (`shapes:`) are
written as observed, and a pin whose snippet reports none any more is removed. A snippet that
crashes, hangs or breaks the protocol is reported with its failure and nothing is written for it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from harness.base.errors import SpecError, SuiteError
from harness.base.paths import repo_relative
from harness.catalogue import Catalogue
from harness.catalogue.editing import (
    ScenarioUpdate,
    apply,
    divergence_yaml,
    dump,
    ending_yaml,
    events_yaml,
    shapes_yaml,
)
from harness.catalogue.selection import check_names_something, names
from harness.catalogue.spec import TODO, Ending, Expected, Pattern, Scenario
from harness.running.scheduler import DEFAULT_JOBS, Scheduler, Work
from harness.running.session import DEFAULT_TICK_MS, Session, Settings
from harness.running.trace import event_key, observe
from harness.running.verdict import Outcome, ScenarioResult, failure_report
from harness.runtimes.choice import choose_runtime
from harness.runtimes.images import choose_images

Trace = tuple[Expected, ...]


def observed(result: ScenarioResult, settings: Settings) -> Trace:
    return tuple(Expected(o.tick, o.ev, o.fields) for o in observe(result.events, settings.tick_ms, settings.early_ms))


def trace_held(result: ScenarioResult) -> bool:
    """It gave the trace it is held to (it may still fail on its error shape alone)."""
    return result.outcome in (Outcome.PASS, Outcome.FAIL) and result.comparison is not None and result.comparison.ok


def same_key(trace: Trace, ordered: bool) -> tuple:
    """Two traces are the same when each tick holds the same events (in the same order if ordered)."""
    keyed = [(e.tick, event_key(e.ev, e.fields)) for e in trace]
    return tuple(keyed if ordered else sorted(keyed))


def propose(
    scenario: Scenario, results: dict[str, ScenarioResult], settings: Settings, complete: bool
) -> tuple[ScenarioUpdate, list[str]]:
    """What to write into one scenario from its snippets' results, and what could not be recorded.
    `complete`: every snippet of the pattern ran, so the common trace itself may be replaced."""
    update, unrecorded = ScenarioUpdate(scenario.name), []
    traces: dict[str, Trace] = {}
    for label, result in results.items():
        if result.outcome in (Outcome.PASS, Outcome.FAIL):
            traces[label] = observed(result, settings)
        else:
            unrecorded.append(
                f"{label}: {result.outcome.value}, nothing recorded\n{failure_report(result, settings.tick_ms)}"
            )
    common = {label for label, r in results.items() if trace_held(r) and r.divergence is None or r.stale}
    pinned = {label for label, r in results.items() if trace_held(r) and r.divergence is not None}
    differing = [label for label in traces if label not in common | pinned]
    update.unpin = sorted(label for label, r in results.items() if r.stale)
    placeholder = any(e.ev == TODO for e in scenario.expect)
    if traces and (placeholder or (complete and not common and differing)):
        counts = Counter(same_key(traces[label], scenario.ordered) for label in traces)
        winner = max(traces, key=lambda label: counts[same_key(traces[label], scenario.ordered)])  # ties: first
        update.expect = traces[winner]
        key = same_key(update.expect, scenario.ordered)
        update.unpin = sorted(
            label
            for label in traces
            if same_key(traces[label], scenario.ordered) == key and label in scenario.divergences
        )
        differing = [label for label in traces if same_key(traces[label], scenario.ordered) != key]
    for label in differing:
        old = scenario.divergences.get(label)
        reason = old.reason if old is not None else f"{TODO}: say why {label} differs"
        update.pin[label] = (reason, traces[label])
    for label in traces:
        _propose_shapes(update, results[label])
    if scenario.alone:
        _propose_endings(scenario, update, results, traces, unrecorded, placeholder)
    return update, unrecorded


def _propose_endings(
    scenario: Scenario,
    update: ScenarioUpdate,
    results: dict[str, ScenarioResult],
    traces: dict[str, Trace],
    unrecorded: list[str],
    placeholder: bool,
) -> None:
    """How each snippet's process ended, in a scenario run alone: the ending most snippets with the
    common trace gave becomes the common one where that trace is chosen now, and a snippet that ends
    otherwise gets its ending pinned with its divergence (with the common trace, an ending alone)."""
    endings: dict[str, Ending] = {}
    for label in traces:
        result = results[label]
        if result.ending is None:
            continue
        if result.unclassified:
            unrecorded.append(
                f"{label}: its ending is not recorded: no class matches {result.unclassified[0]!r} on its stderr; "
                f"add its class to `printed:` in languages/{result.snippet.language}/language.yaml"
            )
            continue
        endings[label] = result.ending
    key = same_key(update.expect or scenario.expect, scenario.ordered)
    common_trace = {label for label in traces if same_key(traces[label], scenario.ordered) == key}
    common = scenario.ending
    if update.expect is not None or placeholder:
        counts = Counter(endings[label] for label in traces if label in common_trace and label in endings)
        if counts and counts.most_common(1)[0][0] != scenario.ending:
            common = update.ending = counts.most_common(1)[0][0]
    for label, ending in endings.items():
        old = scenario.divergences.get(label)
        if ending == common and (old is None or old.ending is None or label in update.unpin):
            continue
        reason = (
            update.pin[label][0] if label in update.pin else old.reason if old else f"{TODO}: say why {label} differs"
        )
        events = None if label in common_trace else traces[label]
        if events is None and ending == common:
            update.unpin = sorted({*update.unpin, label})
            continue
        update.pin[label] = (reason, events)
        if ending != common:
            update.pin_endings[label] = ending
        if label in update.unpin:
            update.unpin.remove(label)


def _propose_shapes(update: ScenarioUpdate, result: ScenarioResult) -> None:
    """The error shapes a snippet reported, pinned under the key it is held to (its label when none)."""
    pin, shapes = result.shape_pin, result.shapes
    if shapes in (pin.alternatives if pin else ((),)):
        return
    if shapes:
        update.shapes[pin.key if pin else result.snippet.label] = shapes
    else:
        update.unshape.append(pin.key)


def gave_one_of(scenario: Scenario, results: dict[str, ScenarioResult]) -> str:
    """Which trace of its `expect_one_of` each snippet gave this time (a choice one run cannot show
    whole: run again to see others)."""
    gave = ", ".join(
        f"{label}: {'pinned' if r.divergence else 'trace'} {r.alternative + 1}" if r.alternative is not None else label
        for label, r in sorted(results.items())
    )
    return f"every snippet run gives a trace the spec allows (expect_one_of, {len(scenario.one_of)} traces): {gave}"


def show(update: ScenarioUpdate) -> str:
    """The scenario's changes in the spec's form, as the author will see them in pattern.yaml."""
    entry = CommentedMap([("name", update.name)])
    if update.expect is not None:
        entry["expect"] = events_yaml(update.expect)
    if update.ending is not None:
        entry["ending"] = ending_yaml(update.ending)
    if update.pin:
        entry["divergences"] = CommentedMap(
            (label, divergence_yaml(reason, events, update.pin_endings.get(label)))
            for label, (reason, events) in update.pin.items()
        )
    if update.shapes:
        entry["shapes"] = CommentedMap((key, shapes_yaml(shapes)) for key, shapes in update.shapes.items())
    text = dump(CommentedSeq([entry]))
    if update.unpin:
        text += f"    # divergences that no longer happen, to remove: {', '.join(update.unpin)}\n"
    if update.unshape:
        text += f"    # error shapes no longer reported, to remove: {', '.join(update.unshape)}\n"
    return text.rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make record", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the suite root (default: .)")
    parser.add_argument("--pattern", action="append", default=[], help="pattern ids (comma lists)")
    parser.add_argument("--lang", action="append", default=[], help="languages (comma lists; default: all)")
    parser.add_argument("--scenario", action="append", default=[], help="only these scenarios (comma lists)")
    parser.add_argument("--runtime", default=os.environ.get("RUNTIME") or "auto", choices=["auto", "local", "docker"])
    parser.add_argument("--tick-ms", type=float, default=DEFAULT_TICK_MS)
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS)
    parser.add_argument("--update", action="store_true", help="write the traces into pattern.yaml")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        catalogue = Catalogue(root)
        selection = catalogue.select(args.lang, args.pattern)
        if selection.versions:
            raise SuiteError(
                "make record observes each language at the version found (its default image in docker), and "
                "writes pins for every version; to see another version's trace, run make test "
                f"LANG={','.join(selection.target_names())} PATTERN=.. and read its diff"
            )
        if not selection.patterns:
            raise SuiteError("name the patterns to record: make record PATTERN=timeout [LANG=go] [SCENARIO=..]")
        patterns = [catalogue.pattern(id, drafts=True) for id in selection.patterns]
        known = {s.name for p in patterns for s in p.scenarios}
        check_names_something("--scenario (SCENARIO)", args.scenario, sorted(known), "scenario")
        wanted = names(args.scenario)
        if unknown := [name for name in wanted if name not in known]:
            raise SuiteError(
                f"--scenario (SCENARIO): unknown scenario(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        cache = root / ".cache"
        images = choose_images(root, catalogue.languages, [])
        choice = choose_runtime(args.runtime, cache, catalogue.languages, list(selection.languages), images)
    except SuiteError as exc:
        print(f"make record: {exc}", file=sys.stderr)
        return 2
    settings = Settings(tick_ms=args.tick_ms, cache=cache)
    session = Session(
        settings, catalogue.languages, choice.runtime, lambda message: print(f"[record] {message}", flush=True)
    )
    try:
        return _record(catalogue, patterns, selection.languages, wanted, session, args)
    except SuiteError as exc:
        print(f"make record: {exc}", file=sys.stderr)
        return 2
    finally:
        session.close()


def _record(catalogue: Catalogue, patterns: list[Pattern], languages, wanted: list[str], session: Session, args) -> int:
    for pattern in catalogue.loadable():  # the same build trees as `make test`
        if pattern.id not in {p.id for p in patterns}:
            session.register(pattern)
    for pattern in patterns:
        session.register(pattern)
    work = [
        Work(snippet, scenario)
        for pattern in patterns
        for snippet in pattern.snippets
        if snippet.language in languages
        for scenario in pattern.scenarios
        if not wanted or scenario.name in wanted
    ]
    if not work:
        raise SuiteError("the selection holds no scenario to record")
    print(
        f"[record] {len(work)} scenarios, runtime {session.runtime.name}, tick {session.settings.tick_ms:g} ms",
        flush=True,
    )
    scheduler = Scheduler(session, work, max(1, args.jobs))
    scheduler.start()
    try:
        results = {
            (w.snippet.pattern, w.snippet.label, w.scenario.name): scheduler.result(w.snippet, w.scenario) for w in work
        }
    finally:
        scheduler.cancel(timeout=0)
    failed = False
    for pattern in patterns:
        ran = {label for (pid, label, _) in results if pid == pattern.id}
        complete = ran == {s.label for s in pattern.snippets}
        updates = []
        print(f"\n# {repo_relative(pattern.path)}")
        for scenario in pattern.scenarios:
            mine = {
                label: r for (pid, label, name), r in results.items() if pid == pattern.id and name == scenario.name
            }
            if not mine:
                continue
            update, unrecorded = propose(scenario, mine, session.settings, complete)
            for note in unrecorded:
                failed = True
                print(f"# {scenario.name}: {note}")
            if update.changes:
                updates.append(update)
                print(show(update))
            elif scenario.one_of:
                print(f"#   {scenario.name}: {gave_one_of(scenario, mine)}")
            else:
                print(
                    f"#   {scenario.name}: every snippet run gives the trace the spec says ({', '.join(sorted(mine))})"
                )
        if args.update and updates:
            try:
                if apply(pattern.path, updates):
                    print(f"# wrote {repo_relative(pattern.path)}: review it with `git diff`, fill in every {TODO}")
            except (OSError, SpecError) as exc:
                raise SuiteError(f"{pattern.path}: cannot write: {exc}") from None
        elif updates:
            print(f"# run again with UPDATE=1 to write this into {repo_relative(pattern.path)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
