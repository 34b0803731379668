from suite import trace


async def run(input):
    print("conformance stray")
    trace("step", n=1)
