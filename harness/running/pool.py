"""The runners of a session: each language prepared once (its build made or found in the cache),
and one long-lived runner per language and runner slot, started on first use.

Scenarios may run concurrently (harness.running.scheduler): a language is prepared once, under
its lock, and each of its runner slots has a runner of its own, used by one thread at a time.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable

from harness.base.errors import SuiteError, once
from harness.catalogue.languages import Language
from harness.catalogue.spec import Pattern, Snippet
from harness.running.client import Runner, RunnerStartError
from harness.runtimes.runtime import Prepared, Runtime


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
        self._snippets: dict[str, dict[str, Snippet]] = {}
        self._prepared: dict[str, Prepared | SuiteError] = {}
        self._runners: dict[tuple[str, int], Runner | SuiteError] = {}
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self.after_last: list[str] = []  # what runners wrote after their last request, as they stopped

    def register(self, pattern: Pattern) -> None:
        """Every snippet of a loaded pattern goes into its language's build tree."""
        for snippet in pattern.snippets:
            self._snippets.setdefault(snippet.language, {})[snippet.key] = snippet

    def prepare(self, language: str) -> Prepared:
        """The language's build, once per session however many runners it gets."""
        with self._locks[language]:
            return once(self._prepared, language, lambda: self._prepare(language))

    def runner(self, language: str, slot: int = 0) -> Runner:
        """The runner of one slot; a slot is used by one thread at a time."""
        prepared = self.prepare(language)
        return once(self._runners, (language, slot), lambda: self._start(language, prepared))

    def _prepare(self, language: str) -> Prepared:
        snippets = sorted(self._snippets.get(language, {}).values(), key=lambda s: s.key)
        self.progress(f"{language}: preparing build tree ({len(snippets)} snippets, runtime {self.runtime.name})")
        prepared = self.runtime.prepare(self.languages[language], snippets, self.progress)
        self.builds[language] = prepared.build
        self.progress(f"{language}: build {prepared.build}")
        return prepared

    def _start(self, language: str, prepared: Prepared) -> Runner:
        runner = Runner(language, prepared.launch, prepared.describe)
        with self._locks[language]:
            runner.no_preload = sorted(self.load_failures.get(language, {}))
        while True:
            try:
                runner.start()
                break
            except RunnerStartError as exc:
                if exc.loading is None or exc.loading in runner.no_preload:
                    raise SuiteError(str(exc)) from None
                with self._locks[language]:
                    self.load_failures.setdefault(language, {})[exc.loading] = str(exc)
                runner.no_preload.append(exc.loading)  # and start again without it
        self.versions.setdefault(language, str(runner.hello.get("version", "")))
        return runner

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
