from suite import trace


async def run(input):
    trace("step", n=1)
    raise RuntimeError("conformance boom")
