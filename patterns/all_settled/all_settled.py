"""All-of, settled, with asyncio.gather(return_exceptions=True)."""

from suite import OpError, op, trace

# isort: split
# [pattern]
import asyncio


async def settle_all(coros):
    # return_exceptions=True hands back each failure as a result instead of raising it,
    # so gather waits for every operation; results keep the input order.
    return await asyncio.gather(*coros, return_exceptions=True)


# [/pattern]


async def run(data):
    results = await settle_all([op(spec) for spec in data["ops"]])
    outcomes = [{"error": r.label} if isinstance(r, OpError) else {"value": r} for r in results]
    trace("result", outcomes=outcomes)
