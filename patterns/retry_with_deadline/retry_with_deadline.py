"""Retry with an overall deadline: asyncio.wait_for around the retry loop."""

from suite import OpError, op, ticks, trace

# isort: split
# [pattern]
import asyncio


async def retry_until(attempts, deadline, backoff):
    """Awaits `attempts` (coroutine functions) in turn until one succeeds, `backoff` seconds
    apart; re-raises the last one's error. At `deadline` seconds, wait_for cancels the loop
    (the attempt in flight, or the backoff) and raises TimeoutError."""

    async def loop():
        for n, attempt in enumerate(attempts, 1):
            try:
                return await attempt()
            except Exception:  # cancellation is not an Exception: it ends the loop
                if n == len(attempts):
                    raise
            await asyncio.sleep(backoff)

    return await asyncio.wait_for(loop(), deadline)


# [/pattern]


async def run(data):
    attempts = [lambda spec=spec: op(spec) for spec in data["attempts"]]
    try:
        value = await retry_until(attempts, ticks(data["deadline"]), ticks(data["backoff"]))
    except TimeoutError:
        trace("error", error="timeout")
    except OpError as exc:
        trace("error", error=exc.label)
    else:
        trace("result", value=value)
