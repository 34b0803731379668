"""Timeout with a fallback value, with asyncio.timeout."""

from suite import OpError, op, ticks, trace

# isort: split
# [pattern]
import asyncio


async def with_fallback(coro, seconds, fallback):
    # At the deadline asyncio.timeout cancels the operation and raises
    # TimeoutError once it has unwound; only that becomes the fallback, so a
    # failure of the operation itself still reaches the caller.
    try:
        async with asyncio.timeout(seconds):
            return await coro
    except TimeoutError:
        return fallback


# [/pattern]


async def run(data):
    try:
        value = await with_fallback(op(data["op"]), ticks(data["deadline"]), data["fallback"])
    except OpError as exc:
        trace("error", error=exc.label)
    else:
        trace("result", value=value)
