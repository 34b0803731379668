"""Running scenarios concurrently: runner slots per language, fed longest window first.

A scenario spends its time waiting on its window, not on the CPU, so a run is bound by the windows of
its busiest language. `plan` gives each language runner slots (at least one; the extra ones to
whichever language has the most window time per slot), `Scheduler` runs every slot in a thread of
this process, each with its own runner, taking its language's scenarios longest window first.
Test items then collect their results in collection order, so reports, the timing-margin summary
and the exit status are those of a serial run.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from harness.base.errors import SuiteError
from harness.catalogue.spec import Scenario, Snippet
from harness.running.session import Session
from harness.running.verdict import ScenarioResult

# Scenarios run at once by default, whatever the number of languages and versions run (each still
# gets a runner of its own). Chosen by measurement (MEASUREMENTS.md, The width): ten full runs in a
# row with both cores kept busy passed at this width, local and in docker; at 10 one docker run of
# ten failed, a JVM's first event a tick late, and the whole version matrix at 11 (a scenario per
# language at each version) failed 7 of 1,852 scenarios on a busy machine, events up to 98 ms late.
DEFAULT_JOBS = 5

# What a request costs beyond its window (the exchange, a runner's own bookkeeping), in ms. Only
# used to order and balance the work, never to judge a trace.
OVERHEAD_MS = 15.0


@dataclass(frozen=True)
class Work:
    snippet: Snippet
    scenario: Scenario

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.snippet.pattern, self.snippet.run_label, self.scenario.name)

    def cost_ms(self, tick_ms: float) -> float:
        return self.scenario.window * tick_ms + OVERHEAD_MS


def window_ms(work: Iterable[Work], tick_ms: float) -> dict[str, float]:
    """Per language, the sum of the windows of its scenarios, in ms."""
    totals: dict[str, float] = {}
    for w in work:
        totals[w.snippet.target] = totals.get(w.snippet.target, 0.0) + w.scenario.window * tick_ms
    return totals


def plan(work: list[Work], jobs: int, tick_ms: float) -> dict[str, int]:
    """Runner slots per language for `jobs` scenarios at once: one each, then one more at a time to the
    language with the most window time per slot, never more slots than it has scenarios."""
    totals = window_ms(work, tick_ms)
    counts: dict[str, int] = {}
    for w in work:
        counts[w.snippet.target] = counts.get(w.snippet.target, 0) + 1
    slots = {language: 1 for language in totals}
    spare = jobs - len(slots)
    while spare > 0:
        open_ = [lang for lang in slots if slots[lang] < counts[lang]]
        if not open_:
            break
        busiest = max(open_, key=lambda lang: totals[lang] / slots[lang])
        slots[busiest] += 1
        spare -= 1
    return slots


def bound_ms(work: list[Work], slots: dict[str, int], tick_ms: float) -> dict[str, float]:
    """The intrinsic bound per language: its windows divided by its runner slots."""
    return {lang: total / slots[lang] for lang, total in window_ms(work, tick_ms).items()}


class Turns:
    """Scenarios run alone take turns with all the others: one starts a runtime of its own (a JVM,
    a container) inside its scenario, which would take the CPU from the windows in flight, and its
    own window would share the machine with theirs. An exclusive turn waits for the shared ones in
    flight and keeps new ones waiting until it ends."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._shared = 0
        self._exclusive = False
        self._waiting = 0  # exclusive turns waiting: they go before new shared ones

    @contextmanager
    def turn(self, exclusive: bool) -> Iterator[None]:
        with self._changed:
            if exclusive:
                self._waiting += 1
                self._changed.wait_for(lambda: not self._exclusive and self._shared == 0)
                self._waiting -= 1
                self._exclusive = True
            else:
                self._changed.wait_for(lambda: not self._exclusive and self._waiting == 0)
                self._shared += 1
        try:
            yield
        finally:
            with self._changed:
                if exclusive:
                    self._exclusive = False
                else:
                    self._shared -= 1
                self._changed.notify_all()


class WorkerCrash(SuiteError):
    """The harness itself failed while running a scenario (not the snippet, not its runner)."""


@dataclass
class _Pending:
    done: threading.Event = field(default_factory=threading.Event)
    result: ScenarioResult | None = None
    error: BaseException | None = None


class Scheduler:
    """Runs the given work on `jobs` runner slots at once; `result(work)` waits for one scenario."""

    def __init__(self, session: Session, work: list[Work], jobs: int):
        self.session = session
        self.jobs = jobs
        self.slots = plan(work, jobs, session.settings.tick_ms)
        self._items = work
        self._pending = {w.key: _Pending() for w in work}
        self._queues: dict[str, list[Work]] = {}
        for w in sorted(work, key=lambda w: -w.cost_ms(session.settings.tick_ms)):  # stable: spec order on ties
            self._queues.setdefault(w.snippet.target, []).append(w)
        # With fewer jobs than languages, the languages' slots take turns.
        self._gate = threading.BoundedSemaphore(max(1, jobs))
        self._turns = Turns()  # a scenario run alone has the machine to itself
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        self._threads: list[threading.Thread] = []
        self._ready = threading.Barrier(max(1, sum(self.slots.values())))

    def describe(self) -> str:
        per = ", ".join(f"{lang} {n}" for lang, n in self.slots.items())
        width = min(self.jobs, sum(self.slots.values()))
        return f"parallel, {width} scenarios at once (JOBS={self.jobs}); runners per language: {per}"

    def start(self) -> None:
        for language, count in self.slots.items():
            for slot in range(count):
                thread = threading.Thread(
                    target=self._work, args=(language, slot), name=f"suite-{language}-{slot}", daemon=True
                )
                self._threads.append(thread)
                thread.start()

    def _next(self, language: str) -> Work | None:
        with self._lock:
            queue = self._queues[language]
            return queue.pop(0) if queue and not self._cancelled.is_set() else None

    def _work(self, language: str, slot: int) -> None:
        # Every runner starts (and every build is made) before the first timed scenario: a JVM
        # starting, or a compiler, would otherwise take the CPU from the scenarios in flight.
        try:
            self.session.pool.runner(language, slot)
        except Exception:
            pass  # each scenario of the slot meets the same error, and reports it
        finally:
            try:
                self._ready.wait()
            except threading.BrokenBarrierError:  # cancelled while starting
                pass
        while (work := self._next(language)) is not None:
            pending = self._pending[work.key]
            try:
                with self._gate, self._turns.turn(exclusive=work.scenario.alone):
                    pending.result = self.session.run(work.snippet, work.scenario, slot)
            except SuiteError as exc:
                pending.error = exc
            except BaseException:  # a bug of the harness: the item says so, the slot goes on
                pending.error = WorkerCrash(
                    f"the {language} worker (runner slot {slot}) crashed while running this scenario:\n"
                    + traceback.format_exc()
                )
            finally:
                pending.done.set()

    def result(self, snippet: Snippet, scenario: Scenario) -> ScenarioResult:
        """Wait for one scenario; raises what running it raised. Never waits on a dead worker."""
        pending = self._pending[(snippet.pattern, snippet.run_label, scenario.name)]
        while not pending.done.wait(timeout=1.0):
            if not any(t.is_alive() for t in self._threads if t.name.startswith(f"suite-{snippet.target}-")):
                raise WorkerCrash(f"every {snippet.target} worker ended before running this scenario")
        if pending.error is not None:
            raise pending.error
        assert pending.result is not None
        return pending.result

    def finished(self) -> list[tuple[Work, ScenarioResult]]:
        """The scenarios that have run to their verdict, whether or not their item was reached (an
        interrupted run stops reporting items while their results are already in)."""
        return [(w, p.result) for w in self._items if (p := self._pending[w.key]).result is not None]

    def cancel(self, timeout: float) -> None:
        """Start nothing new; wait up to `timeout` s for scenarios in flight."""
        self._cancelled.set()
        self._ready.abort()
        for thread in self._threads:
            thread.join(timeout=timeout)
