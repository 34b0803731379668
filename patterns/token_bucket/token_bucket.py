"""Token bucket on the event loop's clock."""

from suite import sleep_until, ticks, trace

# isort: split
# [pattern]
import asyncio


class TokenBucket:
    """At most `capacity` tokens, one more every `every` seconds; starts full."""

    def __init__(self, capacity, every):
        self._capacity = capacity
        self._every = every
        self._tokens = capacity
        self._loop = asyncio.get_running_loop()
        self._stamp = self._loop.time()

    def _refill(self):
        now = self._loop.time()
        self._tokens = min(self._capacity, self._tokens + (now - self._stamp) / self._every)
        self._stamp = now
        return now

    def try_acquire(self):
        self._refill()
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    async def acquire(self, deadline=None):
        """Waits for a token. Raises TimeoutError at once, taking nothing, if the deadline
        (loop time) has passed or the token would come after it."""
        now = self._refill()
        wait = max(0.0, (1 - self._tokens) * self._every)
        if deadline is not None and (deadline <= now or now + wait > deadline):
            raise TimeoutError
        # Reserve it now, so later callers queue behind (the count may go below zero).
        self._tokens -= 1
        await asyncio.sleep(wait)


# [/pattern]


async def wait_call(bucket, call):
    await sleep_until(call["at"])
    deadline = None
    if "deadline" in call:
        deadline = asyncio.get_running_loop().time() + ticks(call["deadline"] - call["at"])
    try:
        await bucket.acquire(deadline)
    except TimeoutError:
        trace("error", call=call["id"], error="deadline")
    else:
        trace("proceed", call=call["id"])


async def run(data):
    bucket = TokenBucket(data["capacity"], ticks(data["every"]))
    if data["mode"] == "try":
        for call in data["calls"]:
            await sleep_until(call["at"])
            trace("allow" if bucket.try_acquire() else "deny", call=call["id"])
        return
    async with asyncio.TaskGroup() as tg:
        for call in data["calls"]:
            tg.create_task(wait_call(bucket, call))
