"""Fan-in: several async generators merged into one through an asyncio.Queue."""

from suite import sleep_until, trace

# isort: split
# [pattern]
import asyncio


async def merge(*sources):
    """Yield the values of every source as they arrive; return once every source has ended."""
    queue = asyncio.Queue()
    ended = object()  # each source puts this once, when it is exhausted

    async def forward(source):
        async for value in source:
            await queue.put(value)
        await queue.put(ended)

    async with asyncio.TaskGroup() as group:
        for source in sources:
            group.create_task(forward(source))
        live = len(sources)
        while live:
            value = await queue.get()
            if value is ended:
                live -= 1
            else:
                yield value


# [/pattern]


async def producer(spec):
    """A producer: sends its values every `every` ticks, then ends."""
    for k, value in enumerate(spec["values"], 1):
        await sleep_until(k * spec["every"])
        yield value
    trace("ended", producer=spec["id"])


async def run(data):
    values = []
    async for value in merge(*map(producer, data["producers"])):
        trace("received", value=value)
        values.append(value)
    trace("end", values=values)
