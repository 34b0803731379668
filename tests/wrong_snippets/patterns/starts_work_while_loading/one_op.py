"""One operation, and its value."""

from suite import op, trace


async def run(data):
    trace("result", value=await op(data["op"]))
