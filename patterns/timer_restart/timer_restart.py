"""A restartable timer on loop.call_later and an Event: a restart cancels the handle and schedules anew."""

from suite import op, ticks, trace

# isort: split
# [pattern]
import asyncio


class RestartableTimer:
    """A timer that can be restarted and waited on: `wait()` returns once the timer has gone off
    after its latest (re)start.

    asyncio.Timeout.reschedule() moves a deadline, but of the `async with` block it cancels when
    it expires, and an expired Timeout cannot be rescheduled; a TimerHandle cannot be moved at
    all. So a restart cancels the pending handle and schedules a new one."""

    def __init__(self, delay):
        self._loop = asyncio.get_running_loop()
        self._expired = asyncio.Event()
        self._handle = self._loop.call_later(delay, self._expired.set)

    def restart(self, delay):
        """Makes the timer go off `delay` seconds from now, whether or not it has gone off."""
        self._handle.cancel()  # does nothing to a handle that has already run
        self._expired.clear()  # forget an expiry nobody waited for
        self._handle = self._loop.call_later(delay, self._expired.set)

    async def wait(self):
        await self._expired.wait()


# [/pattern]


async def run(data):
    # The timer of `timer` ticks goes off while the operation is still running; then it is
    # restarted for `restart` ticks and waited on.
    timer = RestartableTimer(ticks(data["timer"]))
    await op(data["busy"])
    trace("restart")
    timer.restart(ticks(data["restart"]))
    await timer.wait()
    trace("fired")
