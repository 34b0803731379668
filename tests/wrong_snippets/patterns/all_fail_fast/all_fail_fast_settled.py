# Deliberately wrong: waits for every operation (gather with return_exceptions=True) instead of failing fast.
"""All-of, fail fast, with asyncio.gather(return_exceptions=True)."""

import asyncio

from suite import OpError, op, trace


# [pattern]
async def all_or_nothing(specs):
    outcomes = await asyncio.gather(*(op(spec) for spec in specs), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
    return outcomes


# [/pattern]


async def run(data):
    try:
        values = await all_or_nothing(data["ops"])
    except OpError as exc:
        trace("error", error=exc.label)
    else:
        trace("result", values=values)
