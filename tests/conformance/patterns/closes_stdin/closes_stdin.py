import os
import sys

from suite import trace


async def run(input):
    trace("step", n=1)
    sys.stdin.close()
    os.close(0)
