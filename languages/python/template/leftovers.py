"""What a scenario left running that the runner can see from outside the event loop: the threads
and child processes started since a snapshot. (Pending asyncio tasks are counted inside the loop.)"""

from __future__ import annotations

import threading
from pathlib import Path


def plural(n: int, thing: str, things: str) -> str:
    return f"{n} {thing if n == 1 else things}"


def children() -> set[int]:
    """The runner's live child processes (Linux /proc; none are seen elsewhere)."""
    pids: set[int] = set()
    for listing in Path("/proc/self/task").glob("*/children"):
        try:
            pids.update(int(pid) for pid in listing.read_text().split())
        except OSError:  # the thread ended meanwhile
            pass
    return {pid for pid in pids if not _zombie(pid)}


def _zombie(pid: int) -> bool:
    """Whether a child has ended without being waited for (or is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] == "Z"  # the state follows the command's name


class Snapshot:
    """The threads and children alive now; `pending()` names those started since."""

    def __init__(self) -> None:
        self.threads = set(threading.enumerate())
        self.children = children()

    def pending(self) -> list[str]:
        threads = [thread for thread in threading.enumerate() if thread not in self.threads]
        started = children() - self.children
        return [
            *([plural(len(threads), "thread", "threads")] if threads else []),
            *([plural(len(started), "child process", "child processes")] if started else []),
        ]
