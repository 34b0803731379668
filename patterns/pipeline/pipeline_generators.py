"""Pipeline of bare async generators: each stage pulls from the one before."""

import asyncio

from suite import ticks, trace


# [pattern]
async def stage(source, func):
    """Apply func to each item of source, in order; end when it ends. An async generator runs
    only while the stage after it awaits its next item."""
    async for item in source:
        yield await func(item)


async def from_items(items):
    for item in items:
        yield item


def pipeline(items, *funcs):
    """Chain the stages; the last stage's items come out in input order."""
    source = from_items(items)
    for func in funcs:
        source = stage(source, func)
    return source


# [/pattern]


def work(ev, n, f):
    """A stage's work: `n` ticks, then its output traced as `ev`."""

    async def step(value):
        await asyncio.sleep(ticks(n))
        trace(ev, value=f(value))
        return f(value)

    return step


async def run(data):
    a, b, c = data["ticks"]
    stages = (
        work("produced", a, lambda x: x),
        work("scaled", b, lambda x: x * 10),
        work("shifted", c, lambda x: x + 1),
    )
    values = [value async for value in pipeline(data["items"], *stages)]
    trace("result", values=values)
