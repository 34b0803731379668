"""Spawning under a limit with the Semaphore inside each task: create_task never waits, the tasks do."""

from suite import max_in_flight, op, trace

# isort: split
# [pattern]
import asyncio


async def spawn_all(tasks, limit, spawned):
    """Run each coroutine function in `tasks` as a task of a TaskGroup, at most `limit` at once,
    and wait for them all.

    create_task never waits: every task is created at once, and each waits inside for a permit.
    The caller is never held back, so nothing slows whatever feeds it: the waiting tasks pile up.
    """
    slots = asyncio.Semaphore(limit)

    async def run(task):
        async with slots:
            await task()

    async with asyncio.TaskGroup() as tg:
        for i, task in enumerate(tasks):
            tg.create_task(run(task))
            spawned(i)


# [/pattern]


async def run(data):
    ops = data["ops"]
    tasks = [lambda spec=spec: op(spec) for spec in ops]
    await spawn_all(tasks, data["limit"], lambda i: trace("spawned", task=ops[i]["id"]))
    trace("result", max_in_flight=max_in_flight())
