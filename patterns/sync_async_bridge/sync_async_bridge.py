"""Blocking code that runs async work on an event loop of its own, with asyncio.run."""

from functools import partial

from suite import OpError, op, trace

# isort: split
# [pattern]
import asyncio


def combined(left, right):
    """A blocking function: runs left() and right() (coroutine functions) concurrently on a new
    event loop and returns the sum of their values. asyncio.run creates the loop, runs the
    coroutine to completion and, on the way out (a failure included), cancels every task still
    pending, then closes the loop. It cannot be called from a thread whose loop is running,
    hence to_thread on the async side."""

    async def both():
        return sum(await asyncio.gather(left(), right()))

    return asyncio.run(both())


# [/pattern]


async def run(data):
    try:
        value, _ = await asyncio.gather(
            asyncio.to_thread(combined, partial(op, data["left"]), partial(op, data["right"])),
            op(data["beside"]),  # the waiting loop is free meanwhile
        )
    except OpError as error:
        trace("error", error=error.label)
    else:
        trace("result", value=value)
