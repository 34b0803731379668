"""A job that catches CancelledError to stop early and return what it has: the cancel is swallowed."""

from suite import op, sleep_until, trace

# isort: split
# [pattern]
import asyncio


async def process_all(steps):
    """Run the steps in order and return the values of those that succeeded, or, when cancelled,
    of those done so far.

    Catching CancelledError and returning swallows the cancel: the task ends normally, so
    awaiting it gives this list (task.cancelled() is False), and whoever cancelled it (a
    TaskGroup, asyncio.timeout) is never told that it stopped.
    """
    values = []
    try:
        for step in steps:
            try:
                values.append(await step())
            except Exception:
                continue  # a failed step is skipped
    except asyncio.CancelledError:
        return values  # stop early, keep what is done
    return values


async def cancel(task):
    """Cancel `task` and wait for it: awaiting a cancelled task raises CancelledError, and a
    task that had already finished keeps its result."""
    task.cancel()
    return await task


# [/pattern]


async def run(data):
    steps = [lambda spec=spec: op(spec) for spec in data["steps"]]
    task = asyncio.create_task(process_all(steps))
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
