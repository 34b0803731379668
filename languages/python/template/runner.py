"""The Python runner: one long-lived process answering JSON-line requests (languages/README.md)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import platform
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import suite  # noqa: E402  (needs ROOT on sys.path)
from registry import SNIPPETS  # noqa: E402

_modules: dict[str, ModuleType] = {}


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


async def _scenario(request_id: Any, entry: Any, data: Any, tick_ms: float, window: int) -> BaseException | None:
    """Run the entry point; keep the loop alive until it returned and the window has passed.

    asyncio.run then cancels whatever is still pending: the traces that causes are late.
    """
    suite.begin(request_id, tick_ms)
    task = asyncio.create_task(entry(data))
    try:
        await task
    except (Exception, asyncio.CancelledError) as exc:
        suite.close_window()  # an error ends the request at once
        return exc
    await suite.sleep_until(window)
    suite.close_window()
    return None


def _error(request_id: Any, message: str, stack: str = "") -> None:
    suite.emit({"id": request_id, "end": "error", "message": message, "stack": stack})


def handle(request: dict[str, Any]) -> None:
    request_id = request.get("id")
    key = request.get("key")
    if key not in SNIPPETS:
        _error(request_id, f"unknown key {key!r}; this runner knows: {', '.join(SNIPPETS)}")
        return
    try:
        entry = load(key).run
    except Exception as exc:  # a snippet that does not import is this request's error
        _error(request_id, f"cannot load {SNIPPETS[key]}: {type(exc).__name__}: {exc}", traceback.format_exc())
        return
    try:
        error = asyncio.run(_scenario(request_id, entry, request["input"], request["tick_ms"], request["window"]))
    except Exception as exc:  # the loop itself failed (bad request fields, a broken teardown)
        suite.close_window()
        error = exc
    if error is None:
        suite.emit({"id": request_id, "end": "done"})
    else:
        stack = "".join(traceback.format_exception(error))
        _error(request_id, f"{type(error).__name__}: {error}", stack)


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
    suite.emit({"hello": {"language": "python", "version": platform.python_version()}})
    while line := sys.stdin.readline():
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError("a request is a JSON object")
        except ValueError as exc:
            _error(None, f"malformed request: {exc}: {line[:200]!r}")
            continue
        handle(request)
    return 0


if __name__ == "__main__":
    sys.exit(main())
