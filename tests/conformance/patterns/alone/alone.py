import asyncio

from suite import trace


async def fails():
    raise RuntimeError("conformance unobserved")


async def run(input):
    trace("step", n=1)
    if input["fail"]:
        asyncio.create_task(fails())  # noqa: RUF006 - dropped on purpose: nobody retrieves its exception
        await asyncio.sleep(0)
