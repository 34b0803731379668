"""Worker pool: a fixed number of asyncio tasks taking jobs from one asyncio.Queue."""

from suite import max_in_flight, op, trace

# isort: split
# [pattern]
import asyncio


async def worker_pool(func, jobs, workers):
    queue = asyncio.Queue()
    for index, job in enumerate(jobs):
        queue.put_nowait((index, job))
    results = [None] * len(jobs)

    async def worker():
        while True:
            index, job = await queue.get()  # each job is handed to exactly one worker
            try:
                results[index] = await func(job)
            finally:
                queue.task_done()

    tasks = [asyncio.create_task(worker()) for _ in range(workers)]
    await queue.join()  # returns once every job has been marked done
    # The workers now wait on an empty queue forever: cancel them and wait until they have gone.
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return results


# [/pattern]


async def run(data):
    values = await worker_pool(op, data["jobs"], data["workers"])
    trace("result", values=values, max_in_flight=max_in_flight())
