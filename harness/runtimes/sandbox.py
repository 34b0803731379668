"""What a local runner may reach: a reduced environment, and a light sandbox where the machine has one.

A snippet runs with the runner that runs it. Locally that used to mean the user's whole environment
(an `AWS_SECRET_ACCESS_KEY` included) and file system. Now a runner gets only the variables its
toolchain needs (`PATH`, `HOME`, the locale, its language's `env:` and `pass_env:` in
language.yaml), and, where bubblewrap (`bwrap`) works, runs with no network, the file system read
only but for its build tree and a fresh `/tmp`. The docker runtime has its own, stronger walls.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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

    def wrap(self, argv: list[str], writable: Path) -> list[str]:
        if not self.on:
            return argv
        return [*self.command, "--bind", str(writable), str(writable), "--chdir", str(writable), "--", *argv]


WALLS = ("--ro-bind", "/", "/", "--dev", "/dev", "--tmpfs", "/dev/shm", "--proc", "/proc", "--tmpfs", "/tmp")
WALLS += ("--unshare-net",)
WALLS += ("--unshare-ipc", "--die-with-parent")


@cache
def find_sandbox(wanted: str = "auto") -> Sandbox:
    """`auto`: bubblewrap when it is installed and works here; `off`: none."""
    if wanted == "off":
        return Sandbox((), "not sandboxed (SANDBOX=off): runners see the whole file system and the network")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Sandbox((), "not sandboxed: bubblewrap (bwrap) is not installed; runners get a reduced environment only")
    try:
        probe = subprocess.run([bwrap, *WALLS, "true"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Sandbox((), f"not sandboxed: bubblewrap does not run here ({exc})")
    if probe.returncode != 0:
        why = (probe.stderr.strip().splitlines() or ["no message"])[-1][:200]
        return Sandbox((), f"not sandboxed: bubblewrap refuses to run here ({why})")
    return Sandbox(
        (bwrap, *WALLS),
        "sandboxed (bubblewrap): no network, file system read-only but the build tree and /tmp, a reduced environment",
    )


def sandbox_from_env() -> Sandbox:
    return find_sandbox(os.environ.get("SANDBOX", "auto") or "auto")
