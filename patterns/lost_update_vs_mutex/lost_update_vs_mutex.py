"""Lost update vs mutex: asyncio.Lock keeps a read-await-write whole."""

import asyncio

from suite import ticks, trace


# [pattern]
class Counter:
    """A counter whose increment awaits between its read and its write (a round trip)."""

    def __init__(self):
        self.value = 0
        self._lock = asyncio.Lock()

    async def increment(self, round_trip):
        # Held across the await: no other increment can read until this one has written.
        async with self._lock:
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
