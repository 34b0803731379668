"""The runners of a session: each language prepared once (its build made or found in the cache),
and one long-lived runner per language and runner slot, started on first use.

Scenarios may run concurrently (harness.running.scheduler): a language is prepared once, under
its lock, and each of its runner slots has a runner of its own, used by one thread at a time.

A snippet that cannot load is that snippet's failure, not its language's: one that does not
compile is left out of its language's build (the build is made again without it), and one that
ends its runner while it starts, however the runner is started, is left out likewise; its
scenarios fail with why, and every other snippet of the language still runs. A runner that ends
before its hello without naming the snippet it was loading (a compiled language initialises every
snippet before its main starts) is built again with half of its snippets, and half of those, until
one snippet alone ends it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable

from harness.base.errors import BuildError, SuiteError, once
from harness.base.paths import repo_relative
from harness.catalogue.languages import Language
from harness.catalogue.spec import Pattern, Snippet
from harness.running.alone import AloneRunner
from harness.running.client import Runner, RunnerStartError
from harness.runtimes.build import named_by_build_error
from harness.runtimes.runtime import Prepared, Runtime

MAX_LEFT_OUT = 8  # snippets of one language left out before its build is given up as a whole


class _Unnamed(Exception):
    """A runner ended before its hello without naming the snippet it was loading."""

    def __init__(self, error: RunnerStartError):
        super().__init__(str(error))
        self.error = error


class _LeaveOut(Exception):
    """A snippet ends its runner while it starts even when not preloaded: it is compiled in."""

    def __init__(self, key: str, why: str):
        super().__init__(why)
        self.key, self.why = key, why


class RunnerPool:
    def __init__(self, languages: dict[str, Language], runtime: Runtime, progress: Callable[[str], None]):
        self.languages = languages
        self.runtime = runtime
        self.progress = progress
        self.builds: dict[str, str] = {}  # language -> what its build cost ("cached", "built in 3.2 s")
        self.versions: dict[str, str] = {}  # language -> the version its runner said hello with
        # language -> snippet key -> why a runner could not start while loading it (it is then
        # loaded only inside its own scenarios, which it fails on its own)
        self.load_failures: dict[str, dict[str, str]] = {}
        # language -> snippet key -> why it is left out of the language's build and runners
        self.left_out: dict[str, dict[str, str]] = {}
        self._searched: dict[str, str] = {}  # language -> why its runner ends, when no one snippet alone does
        self._snippets: dict[str, dict[str, Snippet]] = {}
        self._prepared: dict[str, Prepared | SuiteError] = {}
        self._runners: dict[tuple[str, int], Runner | SuiteError] = {}
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self.after_last: list[str] = []  # what runners wrote after their last request, as they stopped

    def register(self, pattern: Pattern) -> None:
        """Every snippet of a loaded pattern goes into its language's build tree."""
        for snippet in pattern.snippets:
            for key, lang in self.languages.items():  # every version of its language a run runs
                if lang.name == snippet.language:
                    self._snippets.setdefault(key, {})[snippet.key] = snippet

    def prepare(self, language: str) -> Prepared:
        """The language's build, once per session however many runners it gets."""
        with self._locks[language]:
            return once(self._prepared, language, lambda: self._prepare(language))

    def runner(self, language: str, slot: int = 0) -> Runner:
        """The runner of one slot; a slot is used by one thread at a time."""
        return once(self._runners, (language, slot), lambda: self._start(language))

    def alone_runner(self, language: str) -> AloneRunner:
        """A runner process for one scenario run alone, from the language's build; not started. It
        loads no snippet that broke the shared runner's start, as a new shared runner would not."""
        prepared = self.prepare(language)
        runner = AloneRunner(language, prepared.launch, prepared.describe)
        with self._locks[language]:
            runner.no_preload = sorted(self.load_failures.get(language, {}))
        return runner

    def _prepare(self, language: str) -> Prepared:
        while True:
            left_out = self.left_out.get(language, {})
            snippets = sorted(
                (s for s in self._snippets.get(language, {}).values() if s.key not in left_out), key=lambda s: s.key
            )
            self.progress(f"{language}: preparing build tree ({len(snippets)} snippets, runtime {self.runtime.name})")
            try:
                prepared = self.runtime.prepare(self.languages[language], snippets, self.progress)
            except BuildError as exc:
                # the snippets the build names: left out, and the rest built again without them
                named = named_by_build_error(str(exc), snippets)
                if not named or len(named) == len(snippets) or len(left_out) + len(named) > MAX_LEFT_OUT:
                    raise
                for snippet in named:
                    self.left_out.setdefault(language, {})[snippet.key] = f"it does not build: {exc}"
                self.progress(f"{language}: left out of the build: {', '.join(repo_relative(s.file) for s in named)}")
                continue
            self.builds[language] = prepared.build
            self.progress(f"{language}: build {prepared.build}")
            return prepared

    def _start(self, language: str) -> Runner:
        for _ in range(MAX_LEFT_OUT + 1):
            prepared = self.prepare(language)
            try:
                try:
                    return self._start_runner(language, prepared)
                except _Unnamed as unnamed:
                    found = self._culprit(language, prepared, unnamed.error)
                    if found is None:
                        continue  # a snippet is left out now (by this slot or another): start again
                    raise found from None
            except _LeaveOut as exc:
                with self._locks[language]:
                    if exc.key not in self.left_out.get(language, {}):
                        self._leave_out(language, prepared, exc.key, exc.why)
        raise SuiteError(f"{language}: more than {MAX_LEFT_OUT} snippets end the runner while it starts")

    def _start_runner(self, language: str, prepared: Prepared) -> Runner:
        runner = Runner(language, prepared.launch, prepared.describe)
        with self._locks[language]:
            runner.no_preload = sorted(self.load_failures.get(language, {}))
        while True:
            try:
                runner.start()
                break
            except RunnerStartError as exc:
                if exc.loading is None and exc.ended and len(self._building(language)) > 1:
                    raise _Unnamed(exc) from None
                if exc.loading is None:
                    raise SuiteError(str(exc)) from None
                if exc.loading in runner.no_preload:  # loaded however it starts: compiled in
                    raise _LeaveOut(exc.loading, f"when its runner started, the snippet broke it: {exc}") from None
                with self._locks[language]:
                    self.load_failures.setdefault(language, {})[exc.loading] = str(exc)
                runner.no_preload.append(exc.loading)  # and start again without it
        self.versions.setdefault(language, str(runner.hello.get("version", "")))
        return runner

    def _building(self, language: str) -> list[Snippet]:
        left_out = self.left_out.get(language, {})
        return sorted(
            (s for s in self._snippets.get(language, {}).values() if s.key not in left_out), key=lambda s: s.key
        )

    def _culprit(self, language: str, prepared: Prepared, error: RunnerStartError) -> SuiteError | None:
        """Find the one snippet that ends the runner before its hello, by starting runners built
        with fewer snippets, and leave it out (None); a SuiteError when no one alone does. None too
        when the build that failed is no longer the language's (another slot left a snippet out)."""
        with self._locks[language]:  # one search per language, whichever slot saw it first
            if self._prepared.get(language) is not prepared:
                return None
            if language in self._searched:
                return SuiteError(self._searched[language])
            suspects = self._building(language)
            said = str(error).splitlines()[0]
            self.progress(f"{language}: its runner ends before its hello ({said}); looking for the snippet")
            if self._ends_runner(language, []):  # the control: then no snippet is to blame
                self._searched[language] = str(error)
                return SuiteError(str(error))
            while len(suspects) > 1:
                half = suspects[: len(suspects) // 2]
                suspects = half if self._ends_runner(language, half) else suspects[len(half) :]
            if suspects and self._ends_runner(language, suspects):
                alone = f"a {language} runner built with it alone ends before its hello too"
                self._leave_out(language, prepared, suspects[0].key, f"{alone}; as the whole runner did: {error}")
                return None
            self._searched[language] = str(error)
            return SuiteError(str(error))

    def _leave_out(self, language: str, prepared: Prepared, key: str, why: str) -> None:
        """Leave a snippet out of the language's build, which is made again without it (the
        caller holds the language's lock)."""
        self.left_out.setdefault(language, {})[key] = why
        if self._prepared.get(language) is prepared:
            del self._prepared[language]
        self.progress(f"{language}: left out, as it ends the runner while it starts: {key}")

    def _ends_runner(self, language: str, snippets: list[Snippet]) -> bool:
        """Whether a runner built with these snippets alone ends before its hello."""
        self.progress(f"{language}: trying a runner of {len(snippets)} snippets")
        try:
            prepared = self.runtime.prepare(self.languages[language], snippets, lambda line: None)
        except BuildError:
            return False
        runner = Runner(language, prepared.launch, prepared.describe)
        try:
            runner.start()
        except RunnerStartError as exc:
            return exc.ended
        runner.stop()
        return False

    def release(self, language: str, slot: int) -> None:
        """Stop the runner of a slot; the slot's next scenario starts a fresh one."""
        runner = self._runners.pop((language, slot), None)
        if isinstance(runner, Runner):
            self.after_last.extend(runner.stop())

    def stop_runners(self) -> None:
        """Stop every runner; what they still wrote goes to `after_last`."""
        runners, self._runners = self._runners, {}
        for runner in runners.values():
            if isinstance(runner, Runner):
                self.after_last.extend(runner.stop())

    def close(self) -> None:
        try:
            self.stop_runners()
        finally:
            self.runtime.close()
