"""All-of, fail fast, with plain asyncio.gather."""

from suite import OpError, op, shape, trace

# isort: split
# [pattern]
import asyncio


async def all_or_nothing(coros):
    # gather raises the first exception as soon as it happens, but it does not cancel
    # the other operations: they keep running in the background.
    return await asyncio.gather(*coros)


# [/pattern]


async def run(data):
    try:
        values = await all_or_nothing([op(spec) for spec in data["ops"]])
    except OpError as exc:
        trace("error", error=exc.label, shape=shape(exc))
    else:
        trace("result", values=values)
