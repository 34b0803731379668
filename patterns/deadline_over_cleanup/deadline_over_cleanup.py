"""A deadline over work that cleans up, with asyncio.timeout: it waits for the cleanup."""

from suite import OpError, op, ticks, trace

# isort: split
# [pattern]
import asyncio


async def with_cleanup(work, cleanup):
    """Await work(), then await cleanup() on every way out, cancellation included."""
    try:
        return await work()
    finally:
        # A cancel is delivered once, at the await it interrupted: this await runs to its end.
        await cleanup()


async def with_deadline(work, seconds):
    # At the deadline asyncio.timeout cancels the work, then waits for it to unwind: TimeoutError
    # comes only once the work's finally blocks, awaits included, have run.
    async with asyncio.timeout(seconds):
        return await work


# [/pattern]


async def run(data):
    async def cleanup():
        trace("cleanup_start")
        await asyncio.sleep(ticks(data["cleanup"]))
        trace("cleanup_done")

    work = with_cleanup(lambda: op(data["op"]), cleanup)
    try:
        value = await with_deadline(work, ticks(data["deadline"]))
    except TimeoutError:
        trace("error", error="timeout")
    except OpError as error:
        trace("error", error=error.label)
    else:
        trace("result", value=value)
