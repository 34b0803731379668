import asyncio

from suite import OpError, shape, trace


async def run(input):
    failure = OpError("boom")
    trace("error", error="bare", shape=shape(failure))
    try:
        raise RuntimeError("wrapped") from failure
    except RuntimeError as wrapped:
        trace("error", error="wrapped", shape=shape(wrapped))
    several = ExceptionGroup("several", [failure, OpError("bang")])
    trace("error", error="several", shape=shape(several))
    task = asyncio.create_task(asyncio.sleep(1))
    task.cancel()
    try:
        await task
    except asyncio.CancelledError as cancelled:
        trace("error", error="cancelled", shape=shape(cancelled))
