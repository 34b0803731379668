# Probes the runner's network: a loopback connection works, a public address and a hostname must not.
"""Open TCP connections and trace how each attempt ends: connected, or the error class and errno."""

import errno
import socket

from suite import trace

EAI_NAMES = {getattr(socket, name): name for name in dir(socket) if name.startswith("EAI_")}


def kind(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):  # getaddrinfo's errors are EAI_* codes, not errno values
        return EAI_NAMES.get(exc.errno, str(exc.errno))
    return errno.errorcode.get(exc.errno, str(exc.errno))


def attempt(name: str, host: str, port: int) -> None:
    trace("attempt", to=name)  # reached the connection attempt itself
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as exc:
        trace("connect_failed", to=name, error=type(exc).__name__, errno=kind(exc))
    else:
        trace("connected", to=name)


async def run(data):
    # The control: the same code connects where the container can reach, to its own loopback.
    with socket.create_server(("127.0.0.1", 0)) as server:
        attempt("loopback", "127.0.0.1", server.getsockname()[1])
    for target in data["targets"]:
        attempt(target["name"], target["host"], target["port"])
