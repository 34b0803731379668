"""Deadline propagation with nested asyncio.timeout."""

from functools import partial

from suite import op, ticks, trace

# isort: split
# [pattern]
import asyncio


async def handle(first, second, deadline, inner_deadline):
    # Everything inside the outer block shares its deadline, nested calls included.
    async with asyncio.timeout(deadline):
        first_value = await first()
        return [first_value, await fetch(second, inner_deadline)]


async def fetch(call, seconds):
    # The inner deadline can only shorten the outer one: whichever expires
    # first cancels the operation, and that block raises TimeoutError.
    async with asyncio.timeout(seconds):
        return await call()


# [/pattern]


async def run(data):
    try:
        values = await handle(
            partial(op, data["first"]), partial(op, data["second"]), ticks(data["outer"]), ticks(data["inner"])
        )
    except TimeoutError:
        trace("error", error="timeout")
    else:
        trace("result", values=values)
