"""Retry with exponential backoff and optional full jitter, with asyncio.sleep."""

from suite import OpError, ticks, trace

# isort: split
# [pattern]
import asyncio


async def retry(attempt, max_attempts, base, factor=2, jitter=None):
    """Await attempt() until it succeeds, at most max_attempts times.

    Retry n waits base * factor**(n - 1) seconds, scaled by jitter() when given
    (full jitter: pass random.random). The last error is re-raised.
    """
    for n in range(1, max_attempts + 1):
        try:
            return await attempt()
        except Exception:
            if n == max_attempts:
                raise
        delay = base * factor ** (n - 1)
        if jitter is not None:
            delay *= jitter()
        await asyncio.sleep(delay)


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

    # The scenario supplies the "random" fractions, so the schedule is deterministic.
    jitter = iter(data["jitter"]).__next__ if "jitter" in data else None
    try:
        value = await retry(
            attempt,
            max_attempts=data["max_attempts"],
            base=ticks(data["base"]),
            factor=data["factor"],
            jitter=jitter,
        )
    except OpError as exc:
        trace("error", error=exc.label, attempts=attempts)
    else:
        trace("result", value=value, attempts=attempts)
