# Deliberately wrong: sleeps one extra tick before tracing `result`, so it comes a tick late.
"""Sequential awaiting of independent operations."""

import asyncio

from suite import op, ticks, trace


# [pattern]
async def sequential(specs):
    # Each await finishes before the next operation even starts: total time is the sum.
    return [await op(spec) for spec in specs]


# [/pattern]


async def run(data):
    values = await sequential(data["ops"])
    await asyncio.sleep(ticks(1))
    trace("result", values=values)
