"""A blocking job offloaded with asyncio.to_thread: cancelling the awaiting task cannot stop the thread."""

import time

from suite import OpError, sleep_until, ticks, trace

# isort: split
# [pattern]
import asyncio


def process_all(steps):
    """Blocking: call the steps in order and return the values of those that succeeded."""
    values = []
    for step in steps:
        try:
            values.append(step())
        except Exception:
            continue  # a failed step is skipped
    return values


async def process_all_offloaded(steps):
    """Run the blocking job in a worker thread. Cancelling the task awaiting it raises
    CancelledError there at once, but a thread cannot be stopped from outside: the job runs on
    to its end, and nobody receives its values."""
    return await asyncio.to_thread(process_all, steps)


async def cancel(task):
    """Cancel `task` and wait for it: awaiting a cancelled task raises CancelledError, and a
    task that had already finished keeps its result."""
    task.cancel()
    return await task


# [/pattern]


def blocking_step(spec):
    """A blocking call that takes `ticks` ticks (time.sleep, as a blocking client would)."""
    trace("start", op=spec["id"])
    time.sleep(ticks(spec["ticks"]))
    if "error" in spec:
        trace("fail", op=spec["id"], error=spec["error"])
        raise OpError(spec["error"])
    trace("succeed", op=spec["id"], value=spec["value"])
    return spec["value"]


async def run(data):
    steps = [lambda spec=spec: blocking_step(spec) for spec in data["steps"]]
    task = asyncio.create_task(process_all_offloaded(steps))
    if "cancel_at" not in data:
        trace("result", values=await task)
        return
    await sleep_until(data["cancel_at"])
    trace("cancel")
    try:
        values = await cancel(task)
    except asyncio.CancelledError:
        trace("error", error="cancelled")
    else:
        trace("result", values=values)
