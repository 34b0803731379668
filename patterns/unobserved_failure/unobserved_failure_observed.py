"""A background task whose exception is retrieved when it ends, by a done callback."""

from suite import op, trace

# isort: split
# [pattern]
import asyncio


async def with_background(background, on_error, main):
    """Start `background` as a task and go on with `main` without awaiting it; a done callback
    retrieves the task's exception when it ends (so asyncio has nothing to log) and hands it to
    `on_error`."""

    def done(task):
        if not task.cancelled() and task.exception() is not None:
            on_error(task.exception())

    task = asyncio.create_task(background())
    task.add_done_callback(done)
    return await main()


# [/pattern]


async def run(data):
    value = await with_background(
        lambda: op(data["background"]),
        lambda error: trace("error", error=error.label),
        lambda: op(data["main"]),
    )
    trace("result", value=value)
