# Probes the memory limit: allocates and touches `mb` MiB, in `hog` far more than the container may have.
"""Hold `mb` blocks of one MiB, each written through, then trace how many."""

from suite import trace


async def run(data):
    blocks = [b"\x01" * (1 << 20) for _ in range(data["mb"])]  # bytes * n fills: every page is touched
    trace("allocated", mb=len(blocks))
