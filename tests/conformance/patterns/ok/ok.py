from suite import sleep_until, trace


async def run(input):
    trace("step", n=1)
    await sleep_until(1)
    trace("step", n=2)
