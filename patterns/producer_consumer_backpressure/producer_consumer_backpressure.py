"""Producer and consumer around an asyncio.Queue(maxsize)."""

import asyncio

from suite import sleep_until, ticks, trace

# [pattern]
DONE = object()  # put after the last item


async def produce(queue, items, wait):
    """Put the items on the queue. With wait, `put` waits while the queue is full; without,
    `put_nowait` raises QueueFull, and the item is refused."""
    for item in items:
        if wait:
            await queue.put(item)
            trace("sent", value=item)
            continue
        try:
            queue.put_nowait(item)
        except asyncio.QueueFull:
            trace("refused", value=item)
        else:
            trace("sent", value=item)
    await queue.put(DONE)  # always waits for room: the end must not be refused


async def consume(queue, work):
    """Take the items in order, spending `work` seconds on each, until the end."""
    values = []
    while (item := await queue.get()) is not DONE:
        trace("got", value=item)
        values.append(item)
        await asyncio.sleep(work)
    return values


# [/pattern]


async def run(data):
    queue = asyncio.Queue(maxsize=data["capacity"])  # maxsize 0: no bound at all
    async with asyncio.TaskGroup() as group:
        group.create_task(produce(queue, data["items"], data["wait"]))
        await sleep_until(data["consumer_start"])
        values = await consume(queue, ticks(data["work"]))
    trace("result", values=values)
