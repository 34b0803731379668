"""All-of, fail fast, with asyncio.TaskGroup: the correct snippet, the fixture's control."""

import asyncio

from suite import OpError, op, trace


# [pattern]
async def all_or_nothing(specs):
    # When a task fails, the TaskGroup cancels the others, waits until they have
    # finished cancelling, and raises an ExceptionGroup holding the failure.
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(op(spec)) for spec in specs]
    return [task.result() for task in tasks]


# [/pattern]


async def run(data):
    try:
        values = await all_or_nothing(data["ops"])
    except* OpError as group:
        trace("error", error=group.exceptions[0].label)
    else:
        trace("result", values=values)
