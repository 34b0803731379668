# Probes nothing: a correct snippet of one tick, for sessions whose point is their set-up or clean-up.
"""Await one simulated operation and trace its value."""

from suite import op, trace


async def run(data):
    trace("result", value=await op(data["op"]))
