"""Bulkhead: an asyncio.Semaphore per downstream."""

import asyncio

from suite import op, sleep_until


# [pattern]
class Bulkhead:
    """A concurrency limit per downstream: `limits` maps each name to its limit."""

    def __init__(self, limits):
        self._semaphores = {name: asyncio.Semaphore(limit) for name, limit in limits.items()}

    async def call(self, downstream, fn):
        # Waits for a permit of this downstream only; the others' calls are not held up.
        async with self._semaphores[downstream]:
            return await fn()


# [/pattern]


async def caller(bulkhead, call):
    await sleep_until(call["at"])
    for _ in range(call.get("rounds", 1)):
        await bulkhead.call(call["to"], lambda: op(call["op"]))


async def run(data):
    bulkhead = Bulkhead(data["limits"])
    async with asyncio.TaskGroup() as tg:
        for call in data["calls"]:
            tg.create_task(caller(bulkhead, call))
