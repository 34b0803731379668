"""Combinators over no operations: asyncio.gather gives [] at once, asyncio.wait refuses nothing."""

from suite import OpError, op, ticks, trace

# isort: split
# [pattern]
import asyncio


async def all_of(aws):
    """Every value, in input order. Over nothing, gather gives [] at once."""
    return await asyncio.gather(*aws)


async def first_of(aws):
    """The outcome of the first to finish; the others are cancelled.

    Over nothing, asyncio.wait raises ValueError at once: nothing could ever come first.
    """
    tasks = [asyncio.ensure_future(aw) for aw in aws]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return done.pop().result()


# [/pattern]


async def run(data):
    ops = [op(spec) for spec in data["ops"]]
    wait = all_of(ops) if data["mode"] == "all" else first_of(ops)
    try:
        async with asyncio.timeout(ticks(data["give_up"])):
            outcome = await wait
    except TimeoutError:
        trace("pending")  # still no outcome when the caller gave up waiting
    except ValueError:
        trace("error", error="empty")
    except OpError as error:
        trace("error", error=error.label)
    else:
        trace("result", **({"values": outcome} if data["mode"] == "all" else {"value": outcome}))
