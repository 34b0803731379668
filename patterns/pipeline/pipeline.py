"""Pipeline: one task per stage, stages connected by bounded asyncio.Queues."""

from suite import ticks, trace

# isort: split
# [pattern]
import asyncio

DONE = object()  # put after the last item: closes the queue for the stage reading it


async def pipeline(items, *stages):
    """Run items through the stages, each in a task of its own, so the stages overlap; yield
    the last stage's outputs in input order. The end of the items ends every stage in turn."""
    queues = [asyncio.Queue(maxsize=1) for _ in range(len(stages) + 1)]

    async def feed(outbox):
        for item in items:
            await outbox.put(item)  # waits while the first stage is behind
        await outbox.put(DONE)

    async def run_stage(func, inbox, outbox):
        while (item := await inbox.get()) is not DONE:
            await outbox.put(await func(item))
        await outbox.put(DONE)  # pass the end on

    async with asyncio.TaskGroup() as group:
        group.create_task(feed(queues[0]))
        for func, inbox, outbox in zip(stages, queues, queues[1:]):
            group.create_task(run_stage(func, inbox, outbox))
        while (item := await queues[-1].get()) is not DONE:
            yield item


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
