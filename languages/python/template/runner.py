"""The Python runner: one long-lived process answering JSON-line requests (languages/README.md)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import math
import platform
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import suite  # noqa: E402  (needs ROOT on sys.path)
from leftovers import Snapshot, plural  # noqa: E402
from registry import SNIPPETS  # noqa: E402

MAX_LINE = 1 << 20  # bytes in a request line, newline excluded
SETTLE_POLL_S = 0.005  # how often the settle looks again while work still runs
FIELDS = ("id", "key", "pattern", "variant", "scenario", "input", "tick_ms", "window", "settle_ms")

_modules: dict[str, ModuleType] = {}


class BadRequest(ValueError):
    """A request line the runner cannot run; `request_id` is its id when that was readable."""

    def __init__(self, message: str, request_id: int | None = None) -> None:
        super().__init__(message)
        self.request_id = request_id


def load(key: str) -> ModuleType:
    """Import the snippet registered under `key` (once) from its path in the tree."""
    if key not in _modules:
        name = f"snippet_{key}"
        spec = importlib.util.spec_from_file_location(name, ROOT / SNIPPETS[key])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        _modules[key] = module
    return _modules[key]


def _number(value: Any, low: float, high: float, integer: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    return low <= value <= high and (not integer or float(value).is_integer())


def parse(line: bytes) -> dict[str, Any]:
    """The request on one line, checked against languages/protocol.schema.json; else BadRequest."""
    try:
        request = json.loads(line.decode())
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise BadRequest(f"malformed request: not JSON: {exc}") from None
    if not isinstance(request, dict):
        raise BadRequest("malformed request: not a JSON object")
    request_id = request.get("id")
    if not _number(request_id, 0, 2**63 - 1, integer=True):
        raise BadRequest("bad request: field 'id' must be a non-negative integer")
    request_id = int(request_id)
    checks = {
        "key": (isinstance(request.get("key"), str), "a string"),
        "input": ("input" in request, "present"),
        "tick_ms": (_number(request.get("tick_ms"), 0, 60000) and request["tick_ms"] > 0, "a number in (0, 60000]"),
        "window": (_number(request.get("window"), 0, 100000, integer=True), "an integer in [0, 100000]"),
        "settle_ms": (_number(request.get("settle_ms", 0), 0, 60000), "a number in [0, 60000]"),
        "pattern": (isinstance(request.get("pattern", ""), str), "a string"),
        "scenario": (isinstance(request.get("scenario", ""), str), "a string"),
        "variant": (isinstance(request.get("variant"), (str, type(None))), "a string or null"),
    }
    unknown = [name for name in request if name not in FIELDS]
    if unknown:
        raise BadRequest(f"bad request: unknown field {unknown[0]!r} (a request has: {', '.join(FIELDS)})", request_id)
    for name, (ok, expected) in checks.items():
        if not ok:
            raise BadRequest(f"bad request: field {name!r} must be {expected}", request_id)
    return request


async def _scenario(request: dict[str, Any], entry: Any, snapshot: Snapshot) -> list[str]:
    """Run the entry point; keep the loop alive until it returned and the window has passed, write
    the end line, then settle: until neither tasks nor the threads and children `snapshot` sees
    are left, or settle_ms at most. Returns the tasks still pending: asyncio.run cancels them next,
    and the traces that causes are late."""
    request_id = request["id"]
    suite.begin(request_id, request["tick_ms"])
    try:
        await asyncio.create_task(entry(request["input"]))
    except (Exception, asyncio.CancelledError) as exc:
        if asyncio.current_task().cancelling():
            raise  # asyncio.run is closing the loop: the snippet called sys.exit, which it re-raises
        suite.close_window()  # an error ends the request at once
        _error(request_id, f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc)))
    else:
        await suite.sleep_until(request["window"])
        suite.close_window()
        suite.emit({"id": request_id, "end": "done"})
    deadline = time.monotonic() + request.get("settle_ms", 0) / 1000
    while True:  # settle: until nothing is left running, or settle_ms at most
        pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        left = deadline - time.monotonic()
        if not pending and not snapshot.pending() or left <= 0:
            return [plural(len(pending), "asyncio task", "asyncio tasks")] if pending else []
        await asyncio.sleep(min(left, SETTLE_POLL_S))


def _error(request_id: int | None, message: str, stack: str = "") -> None:
    suite.emit({"id": request_id, "end": "error", "message": message, "stack": stack})


def _settled(request_id: int | None, pending: list[str]) -> None:
    """The request's last line; first, the stderr mark (a record separator alone on its line), so
    the harness knows it has all the stderr the request wrote."""
    sys.stderr.write("\x1e\n")
    sys.stderr.flush()
    suite.emit({"id": request_id, "settled": True, "pending": pending})


def handle(request: dict[str, Any]) -> None:
    """Run one request: its end line, then its settled line."""
    request_id, key = request["id"], request["key"]
    if key not in SNIPPETS:
        _error(request_id, f"unknown key {json.dumps(key)}; this runner knows: {', '.join(SNIPPETS)}")
        return _settled(request_id, [])
    try:
        entry = load(key).run
    except Exception as exc:  # a snippet that does not import is this request's error
        _error(request_id, f"cannot load {SNIPPETS[key]}: {type(exc).__name__}: {exc}", traceback.format_exc())
        return _settled(request_id, [])
    snapshot = Snapshot()
    try:
        pending = asyncio.run(_scenario(request, entry, snapshot))
    except Exception as exc:  # the loop's teardown failed after the end line
        print(f"runner: request {request_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
        pending = []
    _settled(request_id, pending + snapshot.pending())


def read_lines(stream: Any):
    """Request lines as bytes, each at most MAX_LINE long; a longer one is read to its end but not
    kept, and a BadRequest takes its place."""
    while line := stream.readline(MAX_LINE + 1):
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 16)) and not rest.endswith(b"\n"):
                pass
            yield BadRequest(f"malformed request: line longer than {MAX_LINE} bytes")
        else:
            yield line


async def _warm_up() -> None:
    for _ in range(20):
        await asyncio.sleep(0.005)
    json.dumps({"id": 0, "t": 0.0, "ev": "warm", "fields": {"up": [1, 2]}})


def main() -> int:
    asyncio.run(_warm_up())
    for key in SNIPPETS:  # import early; a snippet that fails here reports it on its request
        try:
            load(key)
        except Exception as exc:
            print(f"runner: cannot load {SNIPPETS[key]}: {exc!r}", file=sys.stderr)
    suite.emit({"hello": {"language": "python", "version": platform.python_version(), "stderr_marks": True}})
    for line in read_lines(sys.stdin.buffer):
        if isinstance(line, bytes) and not line.strip():
            continue
        try:
            if isinstance(line, BadRequest):
                raise line
            request = parse(line)
        except BadRequest as exc:
            _error(exc.request_id, str(exc))
            _settled(exc.request_id, [])
            continue
        handle(request)
    return 0


if __name__ == "__main__":
    sys.exit(main())
