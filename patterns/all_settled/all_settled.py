"""All-of, settled, with asyncio.gather(return_exceptions=True)."""

import asyncio

from suite import OpError, op, trace


# [pattern]
async def settle_all(specs):
    # return_exceptions=True hands back each failure as a result instead of raising it,
    # so gather waits for every operation; results keep the input order.
    return await asyncio.gather(*(op(spec) for spec in specs), return_exceptions=True)


# [/pattern]


async def run(data):
    results = await settle_all(data["ops"])
    outcomes = [{"error": r.label} if isinstance(r, OpError) else {"value": r} for r in results]
    trace("result", outcomes=outcomes)
