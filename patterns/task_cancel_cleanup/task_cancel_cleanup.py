"""Cancelling an in-flight task with Task.cancel; its finally block runs the cleanup."""

import asyncio

from suite import op, sleep_until, ticks, trace


# [pattern]
async def with_cleanup(work, cleanup):
    """Await work(), then await cleanup() on every way out.

    Task.cancel() raises CancelledError at the await the task is suspended on; finally still runs
    and may await, since the request is delivered once.
    """
    try:
        return await work()
    finally:
        await cleanup()


async def cancel(task):
    """Cancel `task` and wait until it has finished, cleanup included.

    Awaiting a cancelled task raises CancelledError; a task that had already finished keeps its
    result (cancel() then does nothing).
    """
    task.cancel()
    return await task


# [/pattern]


async def run(data):
    async def cleanup():
        trace("cleanup")
        await asyncio.sleep(ticks(data["cleanup"]))
        trace("cleaned")

    async def job():
        await sleep_until(data.get("start_at", 0))
        work = op(data["op"])
        if data.get("ignores_cancel"):
            work = asyncio.shield(work)  # cancelling the task no longer reaches the operation
        return await with_cleanup(lambda: work, cleanup)

    task = asyncio.create_task(job())
    await sleep_until(data["cancel_at"])
    trace("cancel")
    try:
        value = await cancel(task)
    except asyncio.CancelledError:
        trace("error", error="cancelled")
    else:
        trace("result", value=value)
