"""A background task that raises and is never awaited: asyncio keeps the exception in the task."""

from suite import op, trace

# isort: split
# [pattern]
import asyncio


async def with_background(background, main):
    """Start `background` as a task and go on with `main`, keeping no reference to the task.

    The task's exception is stored in the task, where nobody retrieves it: the event loop goes on.
    asyncio logs "Task exception was never retrieved", with the traceback, only when the task
    object is destroyed. The loop holds tasks weakly, so a task nobody references is destroyed as
    soon as it ends (asyncio's documentation asks you to keep a reference while it must run).
    """
    asyncio.create_task(background())  # neither awaited nor kept
    return await main()


# [/pattern]


async def run(data):
    value = await with_background(lambda: op(data["background"]), lambda: op(data["main"]))
    trace("result", value=value)
