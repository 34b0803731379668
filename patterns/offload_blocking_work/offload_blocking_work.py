"""Offloading blocking work with asyncio.to_thread, so the event loop stays responsive."""

import time

from suite import sleep_until, ticks, trace

# isort: split
# [pattern]
import asyncio


async def offload(blocking, *args):
    """Run a blocking (CPU-bound or I/O) call in a worker thread and await its result: the
    event loop goes on running other tasks meanwhile. CPU-bound Python code still takes turns
    with the loop for the GIL (every few ms); run_in_executor with a ProcessPoolExecutor avoids
    that, at the price of a process start and pickled arguments."""
    return await asyncio.to_thread(blocking, *args)


# [/pattern]


def busy_until(deadline):
    """CPU-bound work: spin until the monotonic clock reaches `deadline` (in seconds)."""
    while time.monotonic() < deadline:
        pass


async def heartbeat(beats):
    for n in range(1, beats + 1):
        await sleep_until(n)
        trace("beat", n=n)


async def work(data):
    deadline = time.monotonic() + ticks(data["work"])
    if data["offload"]:
        await offload(busy_until, deadline)
    else:
        busy_until(deadline)  # on the loop: nothing else runs until it returns
    trace("work_done")


async def run(data):
    await asyncio.gather(heartbeat(data["beats"]), work(data))
