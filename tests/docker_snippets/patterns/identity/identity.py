# Probes the runner's user and file system: not root, a read-only root and build tree, a writable /tmp.
"""Trace the user and group ids, and how writing a file ends in three places."""

import errno
import os
from pathlib import Path

from suite import trace


def try_write(path: Path) -> str:
    try:
        path.write_text("probe")
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))
    path.unlink()
    return "written"


async def run(data):
    trace("ids", uid=os.getuid(), gid=os.getgid(), euid=os.geteuid(), egid=os.getegid())
    trace("write", where="/", result=try_write(Path("/probe")))
    trace("write", where="tree", result=try_write(Path(__file__).resolve().parent / "probe"))
    trace("write", where="/tmp", result=try_write(Path("/tmp/probe")))
