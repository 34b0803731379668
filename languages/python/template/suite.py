"""The suite helper every Python snippet imports: trace, ticks, sleep_until, op, max_in_flight.

The runner calls `begin` before each scenario and `close_window` when its window closes; a trace
written after that carries `"late": true`. Everything else is for snippets.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from typing import Any

__all__ = ["OpError", "max_in_flight", "op", "sleep_until", "ticks", "trace"]

_lock = threading.Lock()  # guards the state below and every write to stdout
_request_id: Any = None
_start_ns = time.monotonic_ns()
_tick_s = 0.05
_window_open = False
_in_flight = 0
_max_in_flight = 0


class OpError(Exception):
    """The failure of a simulated operation; `label` is the scenario's error label."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.label = label


# -- runner side ------------------------------------------------------------------------------


def emit(message: dict[str, Any]) -> None:
    """Write one protocol line on stdout: a single write, flushed, under the lock."""
    line = json.dumps(message, separators=(",", ":")) + "\n"
    with _lock:
        sys.stdout.write(line)
        sys.stdout.flush()


def begin(request_id: Any, tick_ms: float) -> None:
    """Reset the helper for a new scenario, whose clock starts now."""
    global _request_id, _start_ns, _tick_s, _window_open, _in_flight, _max_in_flight
    with _lock:
        _request_id = request_id
        _tick_s = tick_ms / 1000
        _window_open = True
        _in_flight = 0
        _max_in_flight = 0
        _start_ns = time.monotonic_ns()


def close_window() -> None:
    global _window_open
    with _lock:
        _window_open = False


# -- snippet side -----------------------------------------------------------------------------


def trace(ev: str, fields: dict[str, Any] | None = None, /, **more: Any) -> None:
    """Report an event: `trace("start", op="a")`, or `trace("state", {"from": a, "to": b})`."""
    fields = {**(fields or {}), **more}
    with _lock:
        t_ms = (time.monotonic_ns() - _start_ns) / 1e6
        message = {"id": _request_id, "t": round(t_ms, 3), "ev": ev, "fields": fields}
        if not _window_open:
            message["late"] = True
        sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
        sys.stdout.flush()


def ticks(n: float) -> float:
    """The duration of `n` ticks, in seconds (what asyncio.sleep and asyncio.timeout take)."""
    return n * _tick_s


async def sleep_until(tick: float) -> None:
    """Wait until `tick` ticks after the scenario started (no drift from earlier waits)."""
    await asyncio.sleep(max(0.0, _start_ns / 1e9 + tick * _tick_s - time.monotonic()))


def max_in_flight() -> int:
    """The largest number of `op`s running at once during this scenario."""
    return _max_in_flight


async def op(spec: dict[str, Any]) -> Any:
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
