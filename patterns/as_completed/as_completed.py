"""As completed, with asyncio.as_completed."""

from suite import OpError, op, trace

# isort: split
# [pattern]
import asyncio


async def in_completion_order(coros):
    """Yield each operation's value, or the exception it raised, as soon as it settles."""
    # as_completed starts every coroutine as a task and hands back awaitables
    # that resolve in the order the tasks finish, whatever their input order.
    for next_done in asyncio.as_completed(coros):
        try:
            yield await next_done
        except Exception as exc:  # a failure is one outcome among others
            yield exc


# [/pattern]


async def run(data):
    values = []
    async for outcome in in_completion_order([op(spec) for spec in data["ops"]]):
        if isinstance(outcome, OpError):
            trace("next", error=outcome.label)
        else:
            trace("next", value=outcome)
            values.append(outcome)
    trace("result", values=values)
