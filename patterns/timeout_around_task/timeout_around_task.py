"""A deadline on waiting for a task, with asyncio.timeout."""

from suite import op, shape, ticks, trace

# isort: split
# [pattern]
import asyncio


async def wait_with_deadline(task, seconds):
    """The task's result, or TimeoutError once `seconds` have passed.

    At the deadline asyncio.timeout cancels the waiting coroutine, and cancelling a coroutine
    that awaits a task cancels that task too: the work stops, it is not just left behind.
    """
    async with asyncio.timeout(seconds):
        return await task


# [/pattern]


async def run(data):
    task = asyncio.create_task(op(data["op"]))
    try:
        value = await wait_with_deadline(task, ticks(data["deadline"]))
    except TimeoutError as exc:
        trace("error", error="timeout", shape=shape(exc))
    else:
        trace("result", value=value)
