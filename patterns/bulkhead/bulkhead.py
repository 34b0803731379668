"""Bulkhead: an asyncio.Semaphore per downstream."""

from suite import op, sleep_until, trace

# isort: split
# [pattern]
import asyncio


class Bulkhead:
    """A concurrency limit per downstream: `limits` maps each name to its limit."""

    def __init__(self, limits):
        self._semaphores = {name: asyncio.Semaphore(limit) for name, limit in limits.items()}

    async def call(self, downstream, fn):
        # Waits for a permit of this downstream only; the others' calls are not held up.
        async with self._semaphores[downstream]:
            return await fn()

    async def try_call(self, downstream, fn):
        # Rejects at once instead of waiting when the downstream has no permit free.
        semaphore = self._semaphores[downstream]
        if semaphore.locked():
            raise Rejected(downstream)
        async with semaphore:
            return await fn()


class Rejected(Exception):
    """The downstream is at its limit."""


# [/pattern]


async def caller(bulkhead, call):
    await sleep_until(call["at"])
    for _ in range(call.get("rounds", 1)):
        if not call.get("reject"):
            await bulkhead.call(call["to"], lambda: op(call["op"]))
            continue
        try:
            await bulkhead.try_call(call["to"], lambda: op(call["op"]))
        except Rejected:
            trace("rejected", op=call["op"]["id"])


async def run(data):
    bulkhead = Bulkhead(data["limits"])
    async with asyncio.TaskGroup() as tg:
        for call in data["calls"]:
            tg.create_task(caller(bulkhead, call))
