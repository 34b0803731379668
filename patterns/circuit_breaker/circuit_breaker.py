"""Circuit breaker: a small class guarded by an asyncio.Lock."""

import asyncio
import enum
import time

from suite import OpError, sleep_until, ticks, trace


# [pattern]
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
        self._lock = asyncio.Lock()

    async def call(self, func, *args):
        async with self._lock:
            if self.state is State.OPEN:
                if time.monotonic() - self._opened_at < self.cooldown:
                    raise CircuitOpenError
                self._set(State.HALF_OPEN)
            if self.state is State.HALF_OPEN:
                # Probe while holding the lock: callers arriving meanwhile wait for its
                # verdict instead of piling onto a service that may still be down.
                return await self._attempt(func, *args)
        return await self._attempt(func, *args)  # CLOSED: calls run concurrently

    async def _attempt(self, func, *args):
        try:
            result = await func(*args)
        except Exception:
            self._on_failure()
            raise
        self._on_success()
        return result

    def _on_failure(self):
        self._failures += 1
        probe_failed = self.state is State.HALF_OPEN
        too_many = self.state is State.CLOSED and self._failures >= self.threshold
        if probe_failed or too_many:
            self._open()

    def _on_success(self):
        self._failures = 0
        if self.state is State.HALF_OPEN:  # the probe succeeded
            self._set(State.CLOSED)

    def _open(self):
        self._opened_at = time.monotonic()
        self._set(State.OPEN)

    def _set(self, state):
        old, self.state = self.state, state
        if self._on_change:
            self._on_change(old, state)


# [/pattern]


async def protected(n, call):
    """The protected call: no time taken, outcome given by the scenario."""
    if "error" in call:
        trace("fail", call=n, error=call["error"])
        raise OpError(call["error"])
    trace("ok", call=n, value=call["value"])
    return call["value"]


async def run(data):
    breaker = CircuitBreaker(
        data["threshold"],
        ticks(data["cooldown"]),
        on_change=lambda old, new: trace("state", {"from": old, "to": new}),
    )
    for n, call in enumerate(data["calls"], start=1):
        await sleep_until(call["at"])
        try:
            await breaker.call(protected, n, call)
        except CircuitOpenError:
            trace("rejected", call=n)
        except OpError:
            pass  # the protected call traced its own failure
