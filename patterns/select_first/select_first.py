"""Select with asyncio.wait(FIRST_COMPLETED): the first of several sources to be ready is taken."""

from suite import OpError, sleep_until, ticks, trace

# isort: split
# [pattern]
import asyncio

_NO_DEFAULT = object()


async def first(sources, default=_NO_DEFAULT):
    """Waits on the awaitables of `sources` (name -> awaitable) and returns the
    name of the first to finish and its task: task.result() gives its value or
    raises its error. The tasks still waiting are cancelled. asyncio.wait returns
    every task done by then, as a set; of several, the first in `sources` order
    is taken. With no source at all it returns (None, default) if a default is
    given; asyncio.wait itself refuses an empty set with ValueError."""
    if not sources and default is not _NO_DEFAULT:
        return None, default
    tasks = {asyncio.ensure_future(source): name for name, source in sources.items()}
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()  # does nothing to a task that is already done
    winner = next(task for task in tasks if task in done)
    return tasks[winner], winner


# [/pattern]


def deliver(source):
    """A source: ready at its tick (already at tick 0) with its value or error."""
    if source["at"] == 0:
        ready = asyncio.get_running_loop().create_future()
        if "error" in source:
            ready.set_exception(OpError(source["error"]))
        else:
            ready.set_result(source.get("value"))
        return ready

    async def later():
        await sleep_until(source["at"])
        if "error" in source:
            raise OpError(source["error"])
        return source.get("value")

    return later()


def sources(data):
    # A branch with a false precondition is one left out of the wait.
    return {name: deliver(data[name]) for name in ("a", "b") if not data[name].get("disabled")}


async def run(data):
    if "rounds" in data:  # the same select again and again: which sources ever won
        winners = {(await first(sources(data)))[0] for _ in range(data["rounds"])}
        trace("result", winners=sorted(winners))
        return
    options = {"default": data["fallback"]} if "fallback" in data else {}
    try:
        async with asyncio.timeout(ticks(data["deadline"]) if "deadline" in data else None):
            name, taken = await first(sources(data), **options)
    except TimeoutError:
        trace("error", error="timeout")
        return
    except ValueError:
        trace("raised", error="ValueError")
        return
    if name is None:
        trace("fallback", value=taken)
        return
    try:
        trace("result", source=name, value=taken.result())
    except OpError as exc:
        trace("error", source=name, error=exc.label)
