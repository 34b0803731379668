# Deliberately wrong: reads the input field `scale`, which the scenario calls `factor`, so it raises KeyError.
"""Scale an operation's value by a factor from the input."""

from suite import op, trace


def scaled(value, data):
    return value * data["scale"]


async def run(data):
    value = await op(data["op"])
    trace("result", value=scaled(value, data))
