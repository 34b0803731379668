"""Starts a process by the input's start method and leaves it running."""

import multiprocessing
import time

from suite import trace


async def run(input):
    process = multiprocessing.get_context(input["start_method"]).Process(target=time.sleep, args=(30,))
    process.start()
    trace("started")
