"""Squares a number in a process pool whose workers start by the input's start method."""

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from suite import trace


def square(n):
    return n * n


async def run(input):
    context = multiprocessing.get_context(input["start_method"])
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        value = await asyncio.get_running_loop().run_in_executor(pool, square, input["n"])
    trace("result", value=value)
