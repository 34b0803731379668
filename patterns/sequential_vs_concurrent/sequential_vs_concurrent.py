"""Sequential vs concurrent awaiting of independent operations."""

from suite import op, trace

# isort: split
# [pattern]
import asyncio


async def sequential(coros):
    # A coroutine does not start until it is awaited, and each await finishes before
    # the next operation even starts: total time is the sum.
    return [await coro for coro in coros]


async def concurrent(coros):
    # gather runs all the coroutines at once and returns their results in input order:
    # total time is that of the slowest.
    return await asyncio.gather(*coros)


# [/pattern]


async def run(data):
    await_all = sequential if data["mode"] == "sequential" else concurrent
    values = await await_all([op(spec) for spec in data["ops"]])
    trace("result", values=values)
