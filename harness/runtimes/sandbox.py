"""What a local runner may reach: a reduced environment, and a light sandbox where the machine has one.

A snippet runs with the runner that runs it. Locally that used to mean the user's whole environment
(an `AWS_SECRET_ACCESS_KEY` included) and file system. Now a runner gets only the variables its
toolchain needs (`PATH`, `HOME`, the locale, its language's `env:` and `pass_env:` in
language.yaml), and, where bubblewrap (`bwrap`) works, runs with no network, in a process namespace
of its own (it sees no other process, so it cannot read their environment or signal them, and
nothing it starts outlives it), the whole file system read-only (its build tree included: a snippet
cannot change what the next run reuses), `/tmp` fresh, and the host's sockets under `/run` out of
reach (the Docker daemon's among them). The docker runtime has its own, stronger walls.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from harness.base.errors import SuiteError

# What every runner gets of the user's environment; a language adds its own (`pass_env:`).
BASE_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "USER", "LOGNAME")


def runner_env(source: dict[str, str], names: tuple[str, ...], extra: dict[str, str]) -> dict[str, str]:
    """The environment of a runner: the named variables of `source` that are set, then `extra`."""
    env = {name: source[name] for name in (*BASE_ENV, *names) if name in source}
    return {**env, **extra}


@dataclass(frozen=True)
class Sandbox:
    command: tuple[str, ...]  # what goes before the runner's own argv; empty when not sandboxed
    description: str  # said in the run's header

    @property
    def on(self) -> bool:
        return bool(self.command)

    def wrap(self, argv: list[str], tree: Path, cache: Path) -> list[str]:
        """The runner's argv, in the sandbox: it starts in its build tree. The suite's cache (the
        tree, toolchains it installed) is bound again, read-only, over the fresh /tmp, where a
        suite root may lie."""
        if not self.on:
            return argv
        return [*self.command, "--ro-bind", str(cache), str(cache), "--chdir", str(tree), "--", *argv]


WALLS = ("--ro-bind", "/", "/", "--dev", "/dev", "--tmpfs", "/dev/shm", "--tmpfs", "/tmp")
WALLS += ("--tmpfs", "/run")  # the host's sockets (docker.sock, dbus): /var/run leads here
WALLS += ("--unshare-net", "--unshare-ipc", "--unshare-pid", "--proc", "/proc")
WALLS += ("--new-session", "--die-with-parent")
SANDBOX_CHOICES = ("auto", "on", "off")


@cache
def find_sandbox(wanted: str = "auto") -> Sandbox:
    """`auto`: bubblewrap when it is installed and works here; `on`: bubblewrap or a SuiteError
    saying why not; `off`: none."""
    if wanted not in SANDBOX_CHOICES:
        raise SuiteError(f"SANDBOX={wanted!r}: choose one of {', '.join(SANDBOX_CHOICES)} (default auto)")
    if wanted == "off":
        return Sandbox((), "not sandboxed (SANDBOX=off): runners see the whole file system and the network")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        why = "not sandboxed: bubblewrap (bwrap) is not installed; runners get a reduced environment only"
    else:
        try:
            probe = subprocess.run([bwrap, *WALLS, "true"], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired) as exc:
            why = f"not sandboxed: bubblewrap does not run here ({exc})"
        else:
            if probe.returncode == 0:
                return Sandbox(
                    (bwrap, *WALLS),
                    "sandboxed (bubblewrap): no network, no other process in sight, file system read-only but a "
                    "private /tmp, a reduced environment",
                )
            said = (probe.stderr.strip().splitlines() or ["no message"])[-1][:200]
            why = f"not sandboxed: bubblewrap refuses to run here ({said})"
    if wanted == "on":
        raise SuiteError(f"SANDBOX=on, but {why.removeprefix('not sandboxed: ')}")
    return Sandbox((), why)


def sandbox_from_env() -> Sandbox:
    """The sandbox SANDBOX asks for (auto, on, off); a SuiteError for another value, or `on` without one."""
    return find_sandbox(os.environ.get("SANDBOX", "auto") or "auto")
