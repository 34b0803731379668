"""All-of, fail fast, with asyncio.TaskGroup."""

from suite import OpError, op, shape, trace

# isort: split
# [pattern]
import asyncio


async def all_or_nothing(coros):
    # When a task fails, the TaskGroup cancels the others, waits until they have
    # finished cancelling, and raises an ExceptionGroup holding the failure.
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(coro) for coro in coros]
    return [task.result() for task in tasks]


# [/pattern]


async def run(data):
    try:
        values = await all_or_nothing([op(spec) for spec in data["ops"]])
    except* OpError as group:
        # Tasks that failed before the group could cancel them are all in it.
        labels = [error.label for error in group.exceptions]
        if len(labels) == 1:
            trace("error", error=labels[0], shape=shape(group))
        else:
            trace("error", errors=labels, shape=shape(group))
    else:
        trace("result", values=values)
