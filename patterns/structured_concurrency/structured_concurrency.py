"""Structured concurrency with asyncio.TaskGroup."""

from suite import OpError, op, ticks, trace

# isort: split
# [pattern]
import asyncio


async def scope(children):
    """Run every child in one TaskGroup and return their values in input order.

    The first child to fail makes the group cancel the others; the group then waits until every
    child has finished, its finally blocks included, and raises an ExceptionGroup of the errors.
    """
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(child()) for child in children]
    return [task.result() for task in tasks]


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
    except* OpError as group:
        for error in group.exceptions:
            trace("error", error=error.label)
    else:
        trace("result", values=values)
