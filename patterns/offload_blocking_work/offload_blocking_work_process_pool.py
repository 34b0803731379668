"""Offloading CPU-bound work to a process pool with loop.run_in_executor."""

import time
from concurrent.futures import ProcessPoolExecutor

from suite import sleep_until, ticks, trace

# isort: split
# [pattern]
import asyncio


async def offload(pool, blocking, *args):
    """Run a CPU-bound call in another process of `pool` and await its result: neither the
    event loop nor the GIL is shared with it. `blocking` and its arguments must be picklable
    (a module-level function), and starting the pool's processes takes a while."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(pool, blocking, *args)


# [/pattern]


def busy_until(deadline):
    """CPU-bound work: spin until the monotonic clock (the system's, shared by every process)
    reaches `deadline` (in seconds)."""
    while time.monotonic() < deadline:
        pass


async def heartbeat(beats):
    for n in range(1, beats + 1):
        await sleep_until(n)
        trace("beat", n=n)


async def work(data):
    deadline = time.monotonic() + ticks(data["work"])
    if data["offload"]:
        with ProcessPoolExecutor(max_workers=1) as pool:  # its process ends with the block
            await offload(pool, busy_until, deadline)
    else:
        busy_until(deadline)  # on the loop: nothing else runs until it returns
    trace("work_done")


async def run(data):
    await asyncio.gather(heartbeat(data["beats"]), work(data))
