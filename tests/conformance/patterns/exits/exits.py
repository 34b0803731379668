import sys

from suite import trace


async def run(input):
    trace("step", n=1)
    sys.exit(input["code"])
