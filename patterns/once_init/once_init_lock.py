"""Once-only initialisation: a value guarded by asyncio.Lock."""

from suite import OpError, op, sleep_until, trace

# isort: split
# [pattern]
import asyncio


class Lazy:
    """A value made by `init()` (a coroutine function) on first use, at most once if it succeeds."""

    _unset = object()

    def __init__(self, init):
        self._init = init
        self._lock = asyncio.Lock()
        self._value = self._unset

    async def get(self):
        # Callers during the initialisation queue on the lock and find the value set. A failed
        # initialisation sets nothing: its caller raises, and the next one in line runs init again.
        async with self._lock:
            if self._value is self._unset:
                self._value = await self._init()
            return self._value


# [/pattern]


async def call(lazy, caller):
    await sleep_until(caller["at"])
    try:
        value = await lazy.get()
    except OpError as exc:
        trace("error", caller=caller["id"], error=exc.label)
    else:
        trace("got", caller=caller["id"], value=value)


async def run(data):
    lazy = Lazy(lambda: op(data["init"]))
    async with asyncio.TaskGroup() as tg:
        for caller in data["callers"]:
            tg.create_task(call(lazy, caller))
