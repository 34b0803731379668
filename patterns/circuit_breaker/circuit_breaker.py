"""Circuit breaker: a small class; asyncio runs one task at a time, so no lock is needed."""

import asyncio

from suite import OpError, sleep_until, ticks, trace

# isort: split
# [pattern]
import enum
import time


class State(enum.StrEnum):
    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"


class CircuitOpenError(Exception):
    """Raised instead of making the call while the breaker is open."""


class CircuitBreaker:
    def __init__(self, threshold, cooldown, on_change=None):
        self.threshold = threshold  # consecutive failures that open the breaker
        self.cooldown = cooldown  # seconds to stay open before letting a probe through
        self.state = State.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._on_change = on_change

    async def call(self, func, *args):
        probe = self._admit()
        try:
            result = await func(*args)
        except Exception:
            self._record(probe, failed=True)
            raise
        self._record(probe, failed=False)
        return result

    def _admit(self):
        """Let a call through (True if it is the probe) or raise CircuitOpenError. No await
        in here: asyncio cannot switch tasks between the check and the change of state."""
        if self.state is State.OPEN and time.monotonic() - self._opened_at >= self.cooldown:
            self._set(State.HALF_OPEN)
            return True
        if self.state is not State.CLOSED:
            raise CircuitOpenError  # cooling down, or a probe is in flight
        return False

    def _record(self, probe, failed):
        if probe:  # only the probe's outcome decides a HALF_OPEN breaker
            if failed:
                self._open()
            else:
                self._set(State.CLOSED)
        elif self.state is State.CLOSED:
            self._failures = self._failures + 1 if failed else 0
            if self._failures >= self.threshold:
                self._open()
        # Otherwise the call was let through before the breaker opened: it no longer counts.

    def _open(self):
        self._opened_at = time.monotonic()
        self._set(State.OPEN)

    def _set(self, state):
        old, self.state, self._failures = self.state, state, 0
        if self._on_change:
            self._on_change(old, state)


# [/pattern]


async def protected(n, call):
    """The protected call: lasts `ticks` ticks (none by default); outcome given by the scenario."""
    if call.get("ticks"):
        await sleep_until(call["at"] + call["ticks"])
    if "error" in call:
        trace("fail", call=n, error=call["error"])
        raise OpError(call["error"])
    trace("ok", call=n, value=call["value"])
    return call["value"]


async def caller(breaker, n, call):
    await sleep_until(call["at"])
    try:
        await breaker.call(protected, n, call)
    except CircuitOpenError:
        trace("rejected", call=n)
    except OpError:
        pass  # the protected call traced its own failure


async def run(data):
    breaker = CircuitBreaker(
        data["threshold"],
        ticks(data["cooldown"]),
        on_change=lambda old, new: trace("state", {"from": old, "to": new}),
    )
    # Each call is made at its own tick, whether or not earlier ones have returned.
    async with asyncio.TaskGroup() as tg:
        for n, call in enumerate(data["calls"], start=1):
            tg.create_task(caller(breaker, n, call))
