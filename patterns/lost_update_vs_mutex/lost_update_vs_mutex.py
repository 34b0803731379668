"""Lost update vs mutex: asyncio.Lock keeps a read-await-write whole."""

from suite import ticks, trace

# isort: split
# [pattern]
import asyncio


class Counter:
    """A counter whose increment awaits between its read and its write (a round trip)."""

    def __init__(self, on_step):
        self.value = 0
        self._lock = asyncio.Lock()
        self._on_step = on_step  # on_step("read" or "write", value)

    async def increment(self, round_trip):
        # Held across the await: no other increment can read until this one has written.
        async with self._lock:
            seen = self.value
            self._on_step("read", seen)
            await asyncio.sleep(round_trip)
            self.value = seen + 1
            self._on_step("write", self.value)


# [/pattern]


async def run(data):
    counter = Counter(on_step=lambda step, value: trace(step, value=value))
    await asyncio.gather(*(counter.increment(ticks(data["hold"])) for _ in range(data["workers"])))
    trace("result", count=counter.value)
