"""Spawning under a limit: a Semaphore permit taken before TaskGroup.create_task, so the caller waits."""

from suite import max_in_flight, op, trace

# isort: split
# [pattern]
import asyncio


async def spawn_all(tasks, limit, spawned):
    """Run each coroutine function in `tasks` as a task of a TaskGroup, at most `limit` at once,
    and wait for them all.

    create_task never waits, so the loop takes a permit first: it waits while `limit` tasks run,
    and spawned(i) is called once task i has been created. The task gives its permit back when it
    ends, however it ends.
    """
    slots = asyncio.Semaphore(limit)

    async def run(task):
        try:
            await task()
        finally:
            slots.release()

    async with asyncio.TaskGroup() as tg:
        for i, task in enumerate(tasks):
            await slots.acquire()
            tg.create_task(run(task))
            spawned(i)


# [/pattern]


async def run(data):
    ops = data["ops"]
    tasks = [lambda spec=spec: op(spec) for spec in ops]
    await spawn_all(tasks, data["limit"], lambda i: trace("spawned", task=ops[i]["id"]))
    trace("result", max_in_flight=max_in_flight())
