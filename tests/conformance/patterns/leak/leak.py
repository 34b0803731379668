import asyncio

from suite import sleep_until, trace

_background = set()  # asyncio keeps only weak references to tasks


async def later():
    await sleep_until(1.5)
    trace("step", n=2)


async def run(input):
    trace("step", n=1)
    work = {"trace": later, "forever": asyncio.Event().wait}.get(input["mode"])
    if work is not None:
        task = asyncio.create_task(work())
        _background.add(task)
        task.add_done_callback(_background.discard)
