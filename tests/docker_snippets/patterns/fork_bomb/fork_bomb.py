# Probes the pid limit: starts a fork bomb whose every process keeps forking, then waits for it.
"""`bomb`: fork a process that forks without end (parent and child alike, retrying at the limit, so
every process keeps its slot), trace, and wait forever. Otherwise start one process, trace its exit code."""

import asyncio
import os
import subprocess
import time

from suite import trace


def bomb() -> None:
    while True:
        try:
            os.fork()  # both sides go on forking
        except OSError:
            time.sleep(0.01)  # at the limit: hold on and try again


async def run(data):
    if data["bomb"]:
        if os.fork() == 0:
            try:
                bomb()
            finally:
                os._exit(0)
        trace("bomb_started")
        await asyncio.Event().wait()  # never set: the harness's deadline ends the scenario
    else:
        trace("spawned", code=subprocess.run(["true"]).returncode)
