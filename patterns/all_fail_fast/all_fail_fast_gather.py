"""All-of, fail fast, with plain asyncio.gather."""

import asyncio

from suite import OpError, op, trace


# [pattern]
async def all_or_nothing(specs):
    # gather raises the first exception as soon as it happens, but it does not cancel
    # the other operations: they keep running in the background.
    return await asyncio.gather(*(op(spec) for spec in specs))


# [/pattern]


async def run(data):
    try:
        values = await all_or_nothing(data["ops"])
    except OpError as exc:
        trace("error", error=exc.label)
    else:
        trace("result", values=values)
