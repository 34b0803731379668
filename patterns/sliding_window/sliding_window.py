"""Sliding-window rate limit: a log of the allowed calls."""

from suite import sleep_until, trace

# isort: split
# [pattern]
from collections import deque


class SlidingWindow:
    """At most `limit` calls in any `window` (same unit as the times given to try_acquire)."""

    def __init__(self, limit, window):
        self._limit = limit
        self._window = window
        self._allowed = deque()  # times of the allowed calls, oldest first

    def try_acquire(self, now):
        # The window is (now - window, now]: a call exactly `window` ago has left it.
        while self._allowed and self._allowed[0] <= now - self._window:
            self._allowed.popleft()
        if len(self._allowed) >= self._limit:
            return False  # denied calls are not logged
        self._allowed.append(now)
        return True


# [/pattern]


async def run(data):
    limiter = SlidingWindow(data["limit"], data["window"])
    for call in data["calls"]:
        await sleep_until(call["at"])
        trace("allow" if limiter.try_acquire(call["at"]) else "deny", call=call["id"])
