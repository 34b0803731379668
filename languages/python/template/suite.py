"""The suite helper every Python snippet imports: trace, ticks, sleep_until, op, max_in_flight, OpError,
shape.

The runner writes its own lines with `emit`, calls `begin` before each scenario and `close_window`
when its window closes: a trace written after that carries `"late": true`.
"""

import asyncio
import json
import sys
import threading
import time

_lock = threading.RLock()  # guards the state below and every write to stdout
_request_id = None
_start = time.monotonic()
_tick_s = 0.05
_window_open = False
_in_flight = 0
_max_in_flight = 0


class OpError(Exception):
    """The failure of a simulated operation; `label` is the scenario's error label."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.label = label


def emit(message: dict) -> None:
    """Write one protocol line on stdout: a single write, flushed, under the lock."""
    with _lock:
        sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
        sys.stdout.flush()


def begin(request_id: int, tick_ms: float) -> None:
    """Reset the helper for a new scenario, whose clock starts now."""
    global _request_id, _start, _tick_s, _window_open, _in_flight, _max_in_flight
    with _lock:
        _request_id, _tick_s, _window_open = request_id, tick_ms / 1000, True
        _in_flight = _max_in_flight = 0
        _start = time.monotonic()


def close_window() -> None:
    global _window_open
    with _lock:
        _window_open = False


def trace(ev: str, fields: dict | None = None, /, **more) -> None:
    """Report an event: `trace("start", op="a")`, or `trace("state", {"from": a, "to": b})`."""
    with _lock:
        t_ms = round((time.monotonic() - _start) * 1000, 3)
        message = {"id": _request_id, "t": t_ms, "ev": ev, "fields": {**(fields or {}), **more}}
        emit(message if _window_open else {**message, "late": True})


def shape(error: BaseException) -> str:
    """What an error is, described from the value itself: its class, the members of an exception
    group in brackets, then what it was raised from (`__cause__`, else a `__context__` not
    suppressed), each after ` <- `: `TimeoutError <- CancelledError`, `ExceptionGroup[OpError]`."""
    links, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        name = type(error).__qualname__
        if isinstance(error, BaseExceptionGroup):
            name += "[" + ", ".join(shape(member) for member in error.exceptions) + "]"
        links.append(name)
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return " <- ".join(links)


def ticks(n: float) -> float:
    """The duration of `n` ticks, in seconds (what asyncio.sleep and asyncio.timeout take)."""
    return n * _tick_s


async def sleep_until(tick: float) -> None:
    """Wait until `tick` ticks after the scenario started (no drift from earlier waits)."""
    await asyncio.sleep(max(0.0, _start + tick * _tick_s - time.monotonic()))


def max_in_flight() -> int:
    """The largest number of `op`s running at once during this scenario."""
    return _max_in_flight


async def op(spec: dict):
    """A simulated operation: `{"id": "a", "ticks": 2, "value": 1}` or `{..., "error": "boom"}`.

    Cancellation arrives as CancelledError while it waits: it traces `cancelled` and lets it
    propagate. On error it raises OpError(label).
    """
    global _in_flight, _max_in_flight
    name = spec["id"]
    trace("start", op=name)
    with _lock:
        _in_flight += 1
        _max_in_flight = max(_max_in_flight, _in_flight)
    try:
        await asyncio.sleep(ticks(spec["ticks"]))
    except asyncio.CancelledError:
        trace("cancelled", op=name)
        raise
    finally:
        with _lock:
            _in_flight -= 1
    if "error" in spec:
        trace("fail", op=name, error=spec["error"])
        raise OpError(spec["error"])
    trace("succeed", op=name, value=spec["value"])
    return spec["value"]
