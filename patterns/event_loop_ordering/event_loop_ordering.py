"""Event-loop ordering in asyncio: which scheduled callback runs first."""

from suite import sleep_until, trace

# isort: split
# [pattern]
import asyncio


def schedule_step(loop, via, step):
    """Schedule `step` the way `via` says; return what cancels it, or None."""
    match via:
        case "sync":
            step()
        case "task":
            # A task's first step is queued with call_soon: its body does not
            # start until the loop comes round to it.
            return asyncio.create_task(_call(step))
        case "yield":
            return asyncio.create_task(_call_after_yield(step))
        case "next_tick" | "microtask" | "immediate":
            # asyncio has one ready queue, first in first out: there is no
            # queue that jumps ahead of it (nextTick, microtasks) or behind it.
            return loop.call_soon(step)
        case "promise":
            # A future's done callbacks are queued with call_soon when it completes.
            future = loop.create_future()
            future.add_done_callback(lambda _: step())
            future.set_result(None)
        case "timer":
            # Due at once, but timers are only moved to the ready queue at the
            # start of a loop iteration, behind what is already queued.
            return loop.call_later(0, step)
        case _:
            raise ValueError(f"unknown way to schedule a step: {via!r}")
    return None


async def _call(step):
    step()


async def _call_after_yield(step):
    await asyncio.sleep(0)  # gives way for exactly one loop iteration
    step()


def schedule(steps, on_run):
    """Schedule every step {id, via, cancel}; each calls on_run(id) when it runs."""
    loop = asyncio.get_running_loop()
    for spec in steps:
        handle = schedule_step(loop, spec["via"], lambda name=spec["id"]: on_run(name))
        if spec.get("cancel"):
            if handle is None:
                raise ValueError(f"step {spec['id']}: a {spec['via']} cannot be cancelled")
            handle.cancel()  # a task cancelled before its first step never runs its body


# [/pattern]


def ran(step):
    trace("ran", step=step)


async def run(data):
    if data["from"] == "callback":
        asyncio.get_running_loop().call_soon(schedule, data["steps"], ran)
    else:
        await asyncio.sleep(0)  # what follows is a task step, as any code after an await
        schedule(data["steps"], ran)
    await sleep_until(1)
    trace("done")
