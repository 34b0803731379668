"""Timeout with asyncio.timeout."""

from suite import OpError, op, shape, ticks, trace

# isort: split
# [pattern]
import asyncio


async def with_timeout(coro, seconds):
    # At the deadline, asyncio.timeout cancels the operation and, once it has
    # unwound, raises TimeoutError in its place.
    async with asyncio.timeout(seconds):
        return await coro


# [/pattern]


async def run(data):
    try:
        value = await with_timeout(op(data["op"]), ticks(data["deadline"]))
    except TimeoutError as exc:
        trace("error", error="timeout", shape=shape(exc))
    except OpError as exc:
        trace("error", error=exc.label, shape=shape(exc))
    else:
        trace("result", value=value)
