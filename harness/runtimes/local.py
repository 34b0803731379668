"""The local runtime: each language's toolchain from PATH (or its home variable), runners as child
processes, each named by a pid file while it runs (harness.runtimes.orphans)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

from harness.base.errors import SuiteError, once
from harness.catalogue.languages import Language
from harness.catalogue.spec import Snippet
from harness.runtimes.build import build_tree, substitute
from harness.runtimes.orphans import PidFiles
from harness.runtimes.runtime import Launcher, Prepared
from harness.runtimes.toolchain import Toolchain, find_toolchain


def runner_pid_files(cache: Path) -> PidFiles:
    """Where local runners are named while they run (whichever runtime the next run chooses, it
    kills those a killed run left: harness.runtime.choose_runtime)."""
    return PidFiles(cache / "runners")


class LocalRuntime:
    name = "local"

    def __init__(self, cache: Path):
        self.cache = cache
        self.pid_files = runner_pid_files(cache)
        self.notes: list[str] = []
        self._toolchains: dict[str, Toolchain | SuiteError] = {}

    def toolchain(self, lang: Language) -> Toolchain:
        return once(self._toolchains, lang.name, lambda: find_toolchain(lang))

    def describe(self, lang: Language) -> str:
        toolchain = self.toolchain(lang)
        return f"{lang.tools[0]} {toolchain.version:<10} {toolchain.tools[lang.tools[0]]}"

    def prepare(self, lang: Language, snippets: list[Snippet], progress: Callable[[str], None]) -> Prepared:
        toolchain = self.toolchain(lang)
        env = toolchain.env(dict(os.environ))
        env.update({k: substitute((v,), toolchain.tools, self.cache)[0] for k, v in lang.env.items()})
        tree = build_tree(lang, toolchain, snippets, self.cache, env, progress)
        argv = substitute(lang.run, toolchain.tools, self.cache)
        if argv[0].startswith("./"):
            argv[0] = str(tree.path / argv[0][2:])
        build = "cached" if tree.cached else f"built in {tree.seconds:.1f} s"
        return Prepared(local_launcher(argv, tree.path, env, self.pid_files), " ".join(argv), build)

    def close(self) -> None:
        pass


class LocalProcess:
    """A child process leading its own process group, so a kill reaches whatever it started.

    While it runs, a pid file (harness.runtimes.orphans) names it, so that a session killed outright has
    its runners killed by the next one."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], pid_files: PidFiles | None = None):
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


def local_launcher(argv: list[str], cwd: Path, env: dict[str, str], pid_files: PidFiles | None = None) -> Launcher:
    return lambda extra=None: LocalProcess(argv, cwd, {**env, **(extra or {})}, pid_files)


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


def _live_name(pid: int) -> str | None:
    """The command name of a process that is still running, or None (gone, or a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            head, _, rest = stat.read().rpartition(b") ")
    except OSError:
        return None
    return None if rest.startswith(b"Z") else head.partition(b" (")[2].decode(errors="replace")
