"""The local runtime: each language's toolchain from PATH (or its home variable), runners as child
processes, each named by a pid file while it runs (harness.runtimes.orphans)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from harness.base.errors import SuiteError, ToolchainError, once
from harness.catalogue.languages import Language
from harness.catalogue.spec import Snippet
from harness.runtimes.build import build_tree, substitute
from harness.runtimes.obtain import obtained_bin
from harness.runtimes.orphans import PidFiles
from harness.runtimes.runtime import Launcher, Prepared
from harness.runtimes.sandbox import Sandbox, runner_env, sandbox_from_env
from harness.runtimes.toolchain import Toolchain, find_toolchain


def runner_pid_files(cache: Path) -> PidFiles:
    """Where local runners are named while they run (whichever runtime the next run chooses, it
    kills those a killed run left: harness.runtime.choose_runtime)."""
    return PidFiles(cache / "runners")


class LocalRuntime:
    name = "local"

    def __init__(self, cache: Path, sandbox: Sandbox | None = None):
        self.cache = cache
        self.pid_files = runner_pid_files(cache)
        self.sandbox = sandbox if sandbox is not None else sandbox_from_env()
        self.notes: list[str] = [f"local runners: {self.sandbox.description}"]
        self._toolchains: dict[str, Toolchain | SuiteError] = {}
        # what obtaining a version says while it downloads (before any scenario, so on stderr)
        self.say: Callable[[str], None] = lambda line: print(f"[suite] {line}", file=sys.stderr, flush=True)

    def toolchain(self, lang: Language) -> Toolchain:
        return once(self._toolchains, lang.key, lambda: self._find(lang))

    def _find(self, lang: Language) -> Toolchain:
        """The toolchain of the version a run named: one already here (on PATH: an official image's
        own), else obtained where it can be (Node.js from npm, Go from the module proxy); with no
        version named, the first at the language's minimum."""
        if lang.version_named is not None and lang.version_named.obtain:
            try:
                return find_toolchain(lang)
            except ToolchainError:
                pass  # not here: obtain it
        base = lambda: self.toolchain(replace(lang, version=None)).bin_dir  # noqa: E731 - go obtains with go
        return find_toolchain(lang, obtained_bin(lang, base, self.say))

    def image_of(self, lang: Language) -> str | None:
        return None

    def can_run(self, lang: Language) -> bool:
        """Whether a toolchain of the language (at the version it names) is here or can be obtained,
        without obtaining it."""
        if lang.version_named is not None and lang.version_named.obtain:
            return True
        try:
            self.toolchain(lang)  # found once: the run reuses it
        except SuiteError:
            return False
        return True

    def describe(self, lang: Language) -> str:
        toolchain = self.toolchain(lang)
        return f"{lang.tools[0]} {toolchain.version:<10} {toolchain.tools[lang.tools[0]]}"

    def prepare(self, lang: Language, snippets: list[Snippet], progress: Callable[[str], None]) -> Prepared:
        toolchain = self.toolchain(lang)
        own = {k: substitute((v,), toolchain.tools, self.cache, lang.version_name)[0] for k, v in lang.env.items()}
        # The build runs our commands (a compiler, the package manager) with the user's environment;
        # the runner runs snippets, with what its toolchain needs and nothing more.
        tree = build_tree(lang, toolchain, snippets, self.cache, {**toolchain.env(dict(os.environ)), **own}, progress)
        env = runner_env(toolchain.env(dict(os.environ)), lang.pass_env, own)
        argv = substitute(lang.run, toolchain.tools, self.cache)
        if argv[0].startswith("./"):
            argv[0] = str(tree.path / argv[0][2:])
        build = "cached" if tree.cached else f"built in {tree.seconds:.1f} s"
        wrapped = self.sandbox.wrap(argv, tree.path, self.cache)
        launch = local_launcher(wrapped, tree.path, env, self.pid_files, sandboxed=self.sandbox.on)
        return Prepared(launch, " ".join(argv), build)

    def close(self) -> None:
        pass


class LocalProcess:
    """A child process leading its own process group, so a kill reaches whatever it started.

    While it runs, a pid file (harness.runtimes.orphans) names it, so that a session killed outright has
    its runners killed by the next one."""

    def __init__(
        self,
        argv: list[str],
        cwd: Path,
        env: dict[str, str],
        pid_files: PidFiles | None = None,
        sandboxed: bool = False,
    ):
        self._sandboxed = sandboxed  # argv starts the sandbox, whose one child is the runner
        self._proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.stdout = self._proc.stdout
        self.stderr = self._proc.stderr
        self._killed = False
        self._pid_file = pid_files.add(self._proc.pid, " ".join(argv)) if pid_files else None

    def write(self, data: bytes) -> None:
        self._proc.stdin.write(data)
        self._proc.stdin.flush()

    def close_stdin(self) -> None:
        self._proc.stdin.close()

    def poll(self) -> int | None:
        return self._proc.poll()

    def wait(self, timeout: float | None = None) -> int:
        return self._proc.wait(timeout)

    def kill(self) -> None:
        self._killed = True
        self._kill_group()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass  # stuck in the kernel; release() tries once more

    def _kill_group(self) -> None:
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass  # nothing of the group is left

    def children(self) -> list[str]:
        """The runner's live descendants, by their command names (Linux /proc: each thread's
        `children` file, followed down; a zombie, ended but not yet waited for, is not running)."""
        found, todo = [], [self._proc.pid]
        if self._sandboxed:
            # bubblewrap starts the init of the runner's process namespace, whose oldest child is
            # the runner; what the init holds besides it, a scenario started and left orphaned
            held = [pid for init in _child_pids(self._proc.pid) for pid in _child_pids(init)]
            runner = min(held, key=_started, default=None)
            todo = [runner] if runner is not None else []
            found = [name for pid in held if pid != runner and (name := _live_name(pid)) is not None]
            todo += [pid for pid in held if pid != runner]
        while todo:
            for pid in _child_pids(todo.pop()):
                todo.append(pid)
                name = _live_name(pid)
                if name is not None:
                    found.append(name)
        return sorted(found)

    def exit_note(self) -> str:
        code = self._proc.returncode
        if code is not None and code < 0 and not self._killed:
            return f"killed by signal {signal.Signals(-code).name}"
        return ""

    def release(self) -> None:
        # A snippet's child processes share the runner's group: they end with it, so none keeps the
        # pipes open or outlives the run. stdout and stderr are closed by their readers.
        self._kill_group()
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        if self._pid_file is not None:
            self._pid_file.unlink(missing_ok=True)


def local_launcher(
    argv: list[str], cwd: Path, env: dict[str, str], pid_files: PidFiles | None = None, sandboxed: bool = False
) -> Launcher:
    return lambda extra=None: LocalProcess(argv, cwd, {**env, **(extra or {})}, pid_files, sandboxed)


def _child_pids(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:  # ended, or no /proc here: nothing to see
        return []
    pids = []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", "rb") as listing:
                pids += [int(child) for child in listing.read().split()]
        except OSError:  # the thread ended meanwhile
            pass
    return pids


def _started(pid: int) -> int:
    """When a process started (clock ticks since boot), or a huge number when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rpartition(b") ")[2].split()[19])
    except (OSError, ValueError, IndexError):
        return 1 << 62


def _live_name(pid: int) -> str | None:
    """The command name of a process that is still running, or None (gone, or a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            head, _, rest = stat.read().rpartition(b") ")
    except OSError:
        return None
    return None if rest.startswith(b"Z") else head.partition(b" (")[2].decode(errors="replace")
