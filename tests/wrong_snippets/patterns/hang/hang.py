# Deliberately wrong: `done` is set only when the operation succeeds, so a failure leaves run() waiting forever.
"""Wait for a background worker through an asyncio.Event."""

import asyncio

from suite import op, trace


async def run(data):
    done = asyncio.Event()
    values = []

    async def worker():
        values.append(await op(data["op"]))
        done.set()

    task = asyncio.create_task(worker())  # noqa: F841 (keeps the task referenced)
    await done.wait()
    trace("result", value=values[0])
