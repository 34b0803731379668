# Probes cleanup: an operation of 200 ticks (10 s) keeps the runner busy while its session is killed.
"""Await one simulated operation and trace its value."""

from suite import op, trace


async def run(data):
    trace("result", value=await op(data["op"]))
