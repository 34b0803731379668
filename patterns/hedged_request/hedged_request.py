"""Hedged request with asyncio.wait(FIRST_COMPLETED) and a timeout."""

from functools import partial

from suite import OpError, op, ticks, trace

# isort: split
# [pattern]
import asyncio


async def hedged(backends, delay):
    """Call backends[0]; each `delay` seconds without an answer, or at once after a
    failure, call the next one too. The first answer wins; if every backend fails,
    raise an ExceptionGroup of their errors in backend order."""
    tasks = []

    def call_next():
        tasks.append(asyncio.create_task(backends[len(tasks)]()))

    try:
        call_next()
        while True:
            more = len(tasks) < len(backends)
            running = {task for task in tasks if not task.done()}
            done, _ = await asyncio.wait(running, timeout=delay if more else None, return_when=asyncio.FIRST_COMPLETED)
            if not done:  # the hedge delay passed without an answer
                call_next()
                continue
            for task in done:
                if task.exception() is None:
                    return task.result()
            if more:
                call_next()
            elif len(done) == len(running):  # that was the last attempt running
                raise ExceptionGroup("every backend failed", [t.exception() for t in tasks])
    finally:
        for task in tasks:
            task.cancel()  # does nothing to a task that is already done


# [/pattern]


async def run(data):
    backends = [partial(op, spec) for spec in data["backends"]]
    try:
        value = await hedged(backends, ticks(data["hedge"]))
    except* OpError as group:
        trace("error", errors=[exc.label for exc in group.exceptions])
    else:
        trace("result", value=value)
