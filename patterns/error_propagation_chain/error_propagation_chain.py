"""Error propagation through dependent steps, with await and try/finally."""

from suite import OpError, op, shape, trace


# [pattern]
async def run_chain(steps, cleanup):
    """Await each step in turn and return their values.

    The first step to raise ends the loop, so no later step starts; finally runs cleanup on
    every way out (success, failure, cancellation) before the error reaches the caller.
    """
    values = []
    try:
        for step in steps:
            values.append(await step())
        return values
    finally:
        cleanup()


# [/pattern]


async def run(data):
    steps = [lambda spec=spec: op(spec) for spec in data["steps"]]
    try:
        values = await run_chain(steps, cleanup=lambda: trace("cleanup"))
    except OpError as exc:
        trace("error", error=exc.label, shape=shape(exc))  # the one handler, whichever step failed
    else:
        trace("result", values=values)
