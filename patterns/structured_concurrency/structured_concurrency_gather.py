"""A scope made of plain asyncio.gather."""

from suite import OpError, op, ticks, trace

# isort: split
# [pattern]
import asyncio


async def scope(children):
    """Run every child and return their values in input order.

    gather raises the first exception as soon as that child has finished, but cancels nothing:
    the other children run on, unwatched, after the caller has moved on.
    """
    return await asyncio.gather(*(child() for child in children))


# [/pattern]


async def run(data):
    async def child(spec):
        try:
            return await op(spec)
        finally:
            trace("cleanup", child=spec["id"])
            await asyncio.sleep(ticks(data["cleanup"]))
            trace("cleaned", child=spec["id"])

    try:
        values = await scope([lambda spec=spec: child(spec) for spec in data["children"]])
    except OpError as error:
        trace("error", error=error.label)
    else:
        trace("result", values=values)
