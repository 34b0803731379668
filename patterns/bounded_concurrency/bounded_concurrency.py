"""Bounded concurrency with asyncio.Semaphore."""

from suite import max_in_flight, op, trace

# isort: split
# [pattern]
import asyncio


async def map_bounded(func, items, limit):
    semaphore = asyncio.Semaphore(limit)

    async def bounded(item):
        async with semaphore:  # waits here while `limit` calls are in flight
            return await func(item)

    # All calls are created at once; the semaphore lets them through `limit` at a time,
    # in order. Results keep the input order.
    return await asyncio.gather(*(bounded(item) for item in items))


# [/pattern]


async def run(data):
    values = await map_bounded(op, data["ops"], data["limit"])
    trace("result", values=values, max_in_flight=max_in_flight())
