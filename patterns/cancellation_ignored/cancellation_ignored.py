"""A job that skips failed steps but lets Task.cancel through: CancelledError is no Exception."""

import asyncio

from suite import op, sleep_until, trace


# [pattern]
async def process_all(steps):
    """Run the steps in order and return the values of those that succeeded.

    A failed step is skipped. `except Exception` does not catch CancelledError (a BaseException
    since Python 3.8), so a cancel stops the running step and the job with it.
    """
    values = []
    for step in steps:
        try:
            values.append(await step())
        except Exception:
            continue  # a failed step is skipped
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
