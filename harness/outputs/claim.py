"""Which file a run writes: one that no other live run is writing.

Two `make test` in one checkout would otherwise both write `.cache/results/results.json`, and the
one that ends last would silently replace the other's results. A run claims its output files when it
starts, with a lock (flock, released by the kernel when the run ends, however it ends) kept in the
suite's cache; when another live run holds the claim, this run writes `<name>.<pid><suffix>` beside
it instead, and says so in its header and at its end.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


@dataclass
class Claim:
    path: Path  # where this run writes
    wanted: Path  # where it was asked to write
    holder: str = ""  # the pid of the run that holds `wanted`, when this run had to move
    _handles: list[IO[str]] = field(default_factory=list, repr=False)

    @property
    def moved(self) -> bool:
        return self.path != self.wanted

    def note(self) -> str:
        if not self.moved:
            return ""
        who = f"run {self.holder}" if self.holder else "another run"
        return f"{who} is writing {self.wanted}, so this run writes {self.path}"

    def release(self) -> None:
        for handle in self._handles:
            handle.close()
        self._handles.clear()


class OutputError(ValueError):
    """Outputs that cannot be claimed as asked: the message says why and what to do."""


def check_outputs(wanted: dict[str, Path]) -> None:
    """Each output a file of its own (not a device, a folder, a pipe), or an OutputError naming the option."""
    seen: dict[Path, str] = {}
    for option, path in wanted.items():
        path = path.resolve()
        if path.exists() and not path.is_file():
            kind = "a folder" if path.is_dir() else "not a regular file"
            raise OutputError(f"{option}={path} is {kind}: outputs are written as files; name a file path")
        if path in seen:
            raise OutputError(f"{seen[path]} and {option} both name {path}: give each output a file of its own")
        seen[path] = option


def claim(path: Path, locks: Path) -> Claim:
    """Claim `path` for this process (locks are kept in the folder `locks`)."""
    path = path.resolve()
    locks.mkdir(parents=True, exist_ok=True)
    handle, holder = _lock(path, locks)
    if handle is not None:
        return Claim(path, path, _handles=[handle])
    mine = path.with_name(f"{path.stem}.{os.getpid()}{path.suffix}")
    handle, _ = _lock(mine, locks)  # named by our own pid: nobody else claims it
    return Claim(mine, path, holder, [handle] if handle is not None else [])


def _lock(path: Path, locks: Path) -> tuple[IO[str] | None, str]:
    """The open, locked lock file of `path`; or None and the pid written by the run that holds it."""
    name = hashlib.sha256(str(path).encode()).hexdigest()[:16] + ".lock"
    handle = open(locks / name, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read(32).strip()
        handle.close()
        return None, holder if holder.isdigit() else ""
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle, ""
