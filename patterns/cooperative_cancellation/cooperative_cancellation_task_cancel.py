"""Cancelling a batch job with Task.cancel: it lands inside the running batch."""

import asyncio

from suite import op, sleep_until, trace


# [pattern]
async def run_batches(batches, cleanup):
    """Await the batches in order until the task running this is cancelled.

    Task.cancel() raises CancelledError at the await the task is suspended on, which is inside the
    running batch: that batch is abandoned midway. finally runs cleanup once, however the job ends.
    """
    done = []
    try:
        for batch in batches:
            done.append(await batch())
    finally:
        cleanup()
    return done


# [/pattern]


async def run(data):
    async def job():
        await sleep_until(data.get("start_at", 0))
        batches = [lambda spec=spec: op(spec) for spec in data["batches"]]
        return await run_batches(batches, cleanup=lambda: trace("cleanup"))

    task = asyncio.create_task(job())
    cancelled = False

    async def canceller(tick):
        nonlocal cancelled
        await sleep_until(tick)
        trace("cancel")
        cancelled = True
        task.cancel()

    killer = asyncio.create_task(canceller(data["cancel_at"])) if "cancel_at" in data else None
    try:
        values = await task
    except asyncio.CancelledError:
        trace("error", error="cancelled")
    else:
        trace("result", values=values, cancelled=cancelled)
    if killer is not None:
        await killer
