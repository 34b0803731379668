# Deliberately wrong: the delays grow linearly (base * n), not exponentially (base * factor ** (n - 1)).
"""Retry with backoff, with asyncio.sleep."""

from suite import OpError, ticks, trace

# isort: split
# [pattern]
import asyncio


async def retry(attempt, max_attempts, base, factor=2):
    for n in range(1, max_attempts + 1):
        try:
            return await attempt()
        except Exception:
            if n == max_attempts:
                raise
        await asyncio.sleep(base * n)


# [/pattern]


async def run(data):
    outcomes = iter(data["attempts"])
    attempts = 0

    async def attempt():
        nonlocal attempts
        attempts += 1
        trace("attempt", n=attempts)
        outcome = next(outcomes)
        if "error" in outcome:
            raise OpError(outcome["error"])
        return outcome["value"]

    try:
        value = await retry(attempt, data["max_attempts"], ticks(data["base"]), data["factor"])
    except OpError as exc:
        trace("error", error=exc.label, attempts=attempts)
    else:
        trace("result", value=value, attempts=attempts)
