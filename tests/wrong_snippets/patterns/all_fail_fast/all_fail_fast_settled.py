# Deliberately wrong: waits for every operation (gather with return_exceptions=True) instead of failing fast.
"""All-of, fail fast, with asyncio.gather(return_exceptions=True)."""

from suite import OpError, op, trace

# isort: split
# [pattern]
import asyncio


async def all_or_nothing(coros):
    outcomes = await asyncio.gather(*coros, return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
    return outcomes


# [/pattern]


async def run(data):
    try:
        values = await all_or_nothing([op(spec) for spec in data["ops"]])
    except OpError as exc:
        trace("error", error=exc.label)
    else:
        trace("result", values=values)
