"""Fan-out/fan-in with asyncio.TaskGroup: one task per item, every outcome collected."""

from suite import op, trace

# isort: split
# [pattern]
import asyncio


async def fan_out_fan_in(func, items, on_outcome):
    """Run func(item) for every item at once; return every outcome, in item order, once the
    slowest is done. A failure is collected as {"error": exception} and does not stop the others."""
    outcomes = [None] * len(items)

    async def collect(index, item):
        try:
            outcome = {"value": await func(item)}
        except Exception as exc:
            outcome = {"error": exc}
        outcomes[index] = outcome
        on_outcome(outcome)

    async with asyncio.TaskGroup() as group:  # exits when every task is done
        for index, item in enumerate(items):
            group.create_task(collect(index, item))
    return outcomes


# [/pattern]


def labelled(outcome):
    """An outcome as traced: a failure by its label."""
    return {"error": outcome["error"].label} if "error" in outcome else outcome


async def run(data):
    outcomes = await fan_out_fan_in(op, data["items"], lambda outcome: trace("collected", labelled(outcome)))
    trace("result", outcomes=[labelled(outcome) for outcome in outcomes])
