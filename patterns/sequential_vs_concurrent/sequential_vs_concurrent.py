"""Sequential vs concurrent awaiting of independent operations."""

import asyncio

from suite import op, trace


# [pattern]
async def sequential(specs):
    # Each await finishes before the next operation even starts: total time is the sum.
    return [await op(spec) for spec in specs]


async def concurrent(specs):
    # gather runs all the coroutines at once and returns their results in input order:
    # total time is that of the slowest.
    return await asyncio.gather(*(op(spec) for spec in specs))


# [/pattern]


async def run(data):
    await_all = sequential if data["mode"] == "sequential" else concurrent
    values = await await_all(data["ops"])
    trace("result", values=values)
