# Deliberately wrong: sleeps one extra tick before tracing `result`, so it comes a tick late.
"""Sequential awaiting of independent operations."""

import asyncio

from suite import op, ticks, trace


# [pattern]
async def sequential(coros):
    # A coroutine does not start until it is awaited, and each await finishes before
    # the next operation even starts: total time is the sum.
    return [await coro for coro in coros]


# [/pattern]


async def run(data):
    values = await sequential([op(spec) for spec in data["ops"]])
    await asyncio.sleep(ticks(1))
    trace("result", values=values)
