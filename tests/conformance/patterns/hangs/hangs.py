import asyncio

from suite import trace


async def run(input):
    trace("step", n=1)
    await asyncio.Event().wait()  # nothing ever sets it
