"""A bounded wait with asyncio.wait(timeout=): the wait gives up, the task runs on."""

from suite import OpError, op, ticks, trace

# isort: split
# [pattern]
import asyncio


async def wait_at_most(task, seconds):
    # asyncio.wait never raises on its timeout and never cancels what it waits for: it hands back
    # (done, pending), and a pending task keeps running. Cancel it yourself if that is wanted.
    done, _pending = await asyncio.wait({task}, timeout=seconds)
    if not done:
        raise TimeoutError
    return task.result()


# [/pattern]


async def run(data):
    task = asyncio.create_task(op(data["op"]))
    try:
        value = await wait_at_most(task, ticks(data["deadline"]))
    except TimeoutError:
        trace("error", error="timeout")
    except OpError as error:
        trace("error", error=error.label)
    else:
        trace("result", value=value)
