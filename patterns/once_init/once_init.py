"""Once-only initialisation: every caller awaits one shared task."""

from suite import OpError, op, sleep_until, trace

# isort: split
# [pattern]
import asyncio


class Lazy:
    """A value made by `init()` (a coroutine function) on first use, at most once."""

    def __init__(self, init):
        self._init = init
        self._task = None

    async def get(self):
        # The first caller starts the task; everyone awaits the same one, so a failure is
        # remembered and raised to every caller. The shield keeps a cancelled caller from
        # cancelling the initialisation the others wait for.
        if self._task is None:
            self._task = asyncio.create_task(self._init())
        return await asyncio.shield(self._task)


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
