"""Race vs any with asyncio.wait(FIRST_COMPLETED) and asyncio.as_completed."""

from suite import OpError, op, shape, trace

# isort: split
# [pattern]
import asyncio


async def race(coros):
    """The first operation to settle decides, even when it failed."""
    tasks = [asyncio.create_task(c) for c in coros]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        return done.pop().result()  # re-raises the exception if the first one failed
    finally:
        for task in tasks:
            task.cancel()  # does nothing to a task that is already done


async def first_success(coros):
    """The first operation to succeed decides; if all fail, raise an ExceptionGroup
    of their errors in input order (not the order they failed in)."""
    tasks = [asyncio.create_task(c) for c in coros]
    try:
        for next_done in asyncio.as_completed(tasks):
            try:
                return await next_done
            except Exception:
                pass  # every error is reported below, if no operation succeeds
        raise ExceptionGroup("every operation failed", [task.exception() for task in tasks])
    finally:
        for task in tasks:
            task.cancel()


# [/pattern]


async def run(data):
    winner = race if data["mode"] == "race" else first_success
    try:
        value = await winner(op(spec) for spec in data["ops"])
    except ExceptionGroup as group:
        trace("error", errors=[exc.label for exc in group.exceptions], shape=shape(group))
    except OpError as exc:
        trace("error", error=exc.label, shape=shape(exc))
    else:
        trace("result", value=value)
