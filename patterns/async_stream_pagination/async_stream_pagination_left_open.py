"""Lazy pagination: an async generator left to be closed when it is garbage-collected."""

import asyncio

from suite import op, ticks, trace


# [pattern]
async def items(fetch_page, on_release):
    """Yield the items of every page, fetching page n+1 only once the consumer asks for the
    item after the last of page n. Closing the generator (aclose) raises GeneratorExit at the
    paused yield: the finally block runs, and no further page is fetched."""
    try:
        page = 1
        while True:
            batch, last = await fetch_page(page)
            for item in batch:
                yield item
            if last:
                return
            page += 1
    finally:
        on_release()


async def take(source, count):
    """The first `count` items of an async generator. Breaking out of `async for` does not
    close the generator: only once nothing refers to it any more does the event loop's
    finalizer schedule its aclose() in a new task, which then runs the finally block."""
    values = []
    async for item in source:
        values.append(item)
        if len(values) == count:
            break
    return values


# [/pattern]


async def run(data):
    pages, per_page = data["pages"], data["per_page"]

    async def fetch_page(page):
        # Page 1 of an empty source is a last page with no items.
        await op({"id": f"page{page}", "ticks": data["fetch"], "value": page})
        count = per_page if page <= pages else 0
        first = (page - 1) * per_page + 1
        return list(range(first, first + count)), page >= pages

    source = items(fetch_page, lambda: trace("released"))
    values = await take(source, data["take"])
    await asyncio.sleep(ticks(data["then"]))  # the consumer goes on, still holding `source`
    trace("result", values=values)
