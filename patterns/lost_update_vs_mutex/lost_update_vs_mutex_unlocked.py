"""Lost update: a read-await-write without a lock."""

import asyncio

from suite import ticks, trace


# [pattern]
class Counter:
    """A counter whose increment awaits between its read and its write (a round trip).

    Unsafe: every increment that reads before another's write overwrites it.
    """

    def __init__(self):
        self.value = 0

    async def increment(self, round_trip):
        seen = self.value
        trace("read", value=seen)
        await asyncio.sleep(round_trip)
        self.value = seen + 1
        trace("write", value=self.value)


# [/pattern]


async def run(data):
    counter = Counter()
    await asyncio.gather(*(counter.increment(ticks(data["hold"])) for _ in range(data["workers"])))
    trace("result", count=counter.value)
