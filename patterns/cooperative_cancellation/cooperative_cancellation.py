"""Cooperative cancellation: a batch job checks an asyncio.Event between batches."""

import asyncio

from suite import op, sleep_until, trace


# [pattern]
async def run_batches(batches, cancel, cleanup):
    """Await the batches in order, checking the `cancel` event before each one.

    A batch that has started runs to its end, so no work is left half done: the job stops at the
    next boundary after the cancel. finally runs cleanup once, however the job ends.
    """
    done = []
    try:
        for batch in batches:
            if cancel.is_set():
                break
            done.append(await batch())
    finally:
        cleanup()
    return done


# [/pattern]


async def run(data):
    cancel = asyncio.Event()

    async def job():
        await sleep_until(data.get("start_at", 0))
        batches = [lambda spec=spec: op(spec) for spec in data["batches"]]
        values = await run_batches(batches, cancel, cleanup=lambda: trace("cleanup"))
        trace("result", values=values, cancelled=cancel.is_set())

    async def canceller(tick):
        await sleep_until(tick)
        trace("cancel")
        cancel.set()

    async with asyncio.TaskGroup() as tg:
        tg.create_task(job())
        if "cancel_at" in data:
            tg.create_task(canceller(data["cancel_at"]))
