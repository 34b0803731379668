# Deliberately wrong: ends the process when it is imported, before any request.
import sys

from suite import op, trace

sys.exit(3)


async def run(data):
    trace("result", value=await op(data["op"]))
