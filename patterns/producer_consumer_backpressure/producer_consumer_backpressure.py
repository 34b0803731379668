"""Producer and consumer around an asyncio.Queue(maxsize)."""

from suite import sleep_until, ticks, trace

# isort: split
# [pattern]
import asyncio

DONE = object()  # put after the last item


async def produce(queue, items, wait, on_step):
    """Put the items on the queue, calling on_step("sent" or "refused", item). With wait, `put`
    waits while the queue is full; without, `put_nowait` raises QueueFull, and the item is refused."""
    for item in items:
        if wait:
            await queue.put(item)
            on_step("sent", item)
            continue
        try:
            queue.put_nowait(item)
        except asyncio.QueueFull:
            on_step("refused", item)
        else:
            on_step("sent", item)
    await queue.put(DONE)  # always waits for room: the end must not be refused


async def consume(queue, work, on_step):
    """Take the items in order, calling on_step("got", item) and spending `work` seconds on
    each, until the end."""
    values = []
    while (item := await queue.get()) is not DONE:
        on_step("got", item)
        values.append(item)
        await asyncio.sleep(work)
    return values


# [/pattern]


def step(name, item):
    trace(name, value=item)


async def run(data):
    queue = asyncio.Queue(maxsize=data["capacity"])  # maxsize 0: no bound at all
    async with asyncio.TaskGroup() as group:
        group.create_task(produce(queue, data["items"], data["wait"], step))
        await sleep_until(data["consumer_start"])
        values = await consume(queue, ticks(data["work"]), step)
    trace("result", values=values)
