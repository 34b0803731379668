"""What a killed session leaves behind, recognised by its owner: the `host:pid` of the session.

A session that ends normally removes what it created; one killed outright (SIGKILL) cannot, so the
next session removes whatever an owner that no longer runs left: containers and volumes (by label,
harness.docker_engine) and local runner processes (by the pid files below).
"""

from __future__ import annotations

import json
import os
import signal
import socket
from pathlib import Path


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_gone(owner: str) -> bool:
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's session: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _started(pid: int) -> str | None:
    """The process's start time (clock ticks since boot), which tells it from a later one with its pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rpartition(")")[2].split()[19]


class PidFiles:
    """One file per running local runner, in `folder`, naming its process group and its owner."""

    def __init__(self, folder: Path):
        self.folder = folder

    def add(self, pid: int, what: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{pid}.json"
        partial = path.with_suffix(".partial")  # renamed when complete: a reader never sees half a file
        partial.write_text(json.dumps({"owner": owner(), "pid": pid, "started": _started(pid), "what": what}))
        partial.replace(path)
        return path

    def remove_orphans(self) -> list[str]:
        """Kill the runners (with everything they started) of sessions that no longer run."""
        removed = []
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            try:
                record = json.loads(path.read_text())
                pid, started = int(record["pid"]), record["started"]
                if not owner_gone(record["owner"]):
                    continue
            except (OSError, ValueError, KeyError, TypeError):
                pass  # unreadable: nothing to kill, only the file to remove
            else:
                if started is not None and _started(pid) == started:  # still the same process
                    try:
                        os.killpg(pid, signal.SIGKILL)
                        removed.append(f"runner process {pid} ({record.get('what', '?')})")
                    except (ProcessLookupError, PermissionError):
                        pass
            path.unlink(missing_ok=True)
        return removed
