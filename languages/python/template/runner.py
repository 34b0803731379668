"""The Python runner: answers JSON-line requests one at a time (languages/README.md, protocol 2)."""

import asyncio
import importlib
import json
import os
import platform
import sys
import threading
import time
import traceback
from pathlib import Path

import suite
from registry import SNIPPETS

SETTLE_POLL_S = 0.005  # how often the settle looks again while work still runs


def module_name(key):
    """The name a program whose folder is this tree imports the snippet of `key` by: the tree is
    sys.path[0] (the runner's folder), so patterns/<key>/<stem>.py is `patterns.<key>.<stem>`."""
    return ".".join(Path(SNIPPETS[key]).with_suffix("").parts)


def load(key):
    """The snippet module of `key`, imported once by its name, as any program imports its modules.
    A process that does not inherit this one's memory (a ProcessPoolExecutor's worker started by
    forkserver, the default on Linux since 3.14, or by spawn) finds it by that name too: its
    functions pickle by it, and such a worker gets this process's sys.path."""
    return importlib.import_module(module_name(key))


class Refused(Exception):
    """Refused(request id or None, message): a line the runner cannot run."""


def parse(line):
    """The request on `line`: only what the runner needs to dispatch it is checked."""
    try:
        request = json.loads(line.decode())
    except (ValueError, RecursionError) as exc:  # bad UTF-8 is a ValueError too
        raise Refused(None, f"malformed request: not JSON: {exc}") from None
    if not isinstance(request, dict):
        raise Refused(None, "malformed request: not a JSON object")
    if type(request.get("id")) is not int:
        raise Refused(None, "malformed request: no integer id")
    if not isinstance(request.get("key"), str):
        raise Refused(request["id"], "malformed request: no string key")
    if request["key"] not in SNIPPETS:
        raise Refused(request["id"], f"unknown key {json.dumps(request['key'])}")
    return request


async def scenario(request, run, threads):
    """Run the entry point; keep the loop alive until it returned and the window has passed; write
    the end line; then settle: until neither another task nor a thread not in `threads` is left,
    or settle_ms at most. Returns the tasks still pending (asyncio.run cancels them next: the
    traces that causes are late)."""
    request_id = request["id"]
    suite.begin(request_id, request["tick_ms"])
    try:
        await run(request["input"])
    except (Exception, asyncio.CancelledError) as exc:
        if asyncio.current_task().cancelling():
            raise  # asyncio.run is closing the loop: a task called sys.exit, which it re-raises
        suite.close_window()  # an error ends the request at once
        end(request_id, f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc)))
    else:
        await suite.sleep_until(request["window"])
        suite.close_window()
        suite.emit({"id": request_id, "end": "done"})
    deadline = time.monotonic() + request.get("settle_ms", 0) / 1000
    while True:
        tasks = asyncio.all_tasks() - {asyncio.current_task()}
        if not tasks and not started(threads) or time.monotonic() >= deadline:
            return tasks
        await asyncio.sleep(SETTLE_POLL_S)


def started(threads):
    """The threads alive now that were not in `threads`."""
    return [thread for thread in threading.enumerate() if thread not in threads]


def end(request_id, message, stack=""):
    suite.emit({"id": request_id, "end": "error", "message": message, "stack": stack})


def settled(request_id, pending):
    """The request's last line, after the stderr mark (a record separator alone on its line) that
    tells the harness it has all the stderr the request wrote."""
    print("\x1e", file=sys.stderr, flush=True)
    suite.emit({"id": request_id, "settled": True, "pending": pending})


def count(n, thing):
    return [f"{n} {thing}{'' if n == 1 else 's'}"] if n else []


def end_helpers(request_id):
    """End the multiprocessing helper processes that a request started and that outlive their pool
    in any program: the forkserver (Linux's default start method since 3.14) and the resource
    tracker (forkserver and spawn). A program's exit ends them; a scenario is such a program, so they
    end with it here and the next scenario starts them again, as its own program would. They are
    left running, for the harness to see, while a process they serve still runs: that is the
    scenario's leak. What was ended is said on stderr."""
    if "multiprocessing" not in sys.modules or sys.modules["multiprocessing"].active_children():
        return
    ended = []
    server = getattr(sys.modules.get("multiprocessing.forkserver"), "_forkserver", None)
    if (pid := getattr(server, "_forkserver_pid", None)) is not None:
        if child_pids(pid):  # a process it forked (not a Process of this one) still runs
            return
        server._stop()  # closes its alive pipe, waits for it to exit; the tracker's pipe with it
        ended.append(f"forkserver (pid {pid})")
    tracker = getattr(sys.modules.get("multiprocessing.resource_tracker"), "_resource_tracker", None)
    if (pid := getattr(tracker, "_pid", None)) is not None and getattr(tracker, "_fd", None) is not None:
        tracker._stop()  # on its pipe's end it unlinks what was leaked, warning about each kind
        ended.append(f"resource tracker (pid {pid})")
    if ended:
        print(f"runner: request {request_id}: ended the multiprocessing {' and '.join(ended)}", file=sys.stderr)


def child_pids(pid):
    """The processes `pid` started that still exist (Linux /proc; elsewhere none are known)."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found += listing.read().split()
    except OSError:
        pass
    return found


def handle(request):
    """Run one request: its end line, then its settled line."""
    request_id = request["id"]
    threads = set(threading.enumerate())  # before a first import: a thread it starts is the request's
    try:
        run = load(request["key"]).run
    except Exception as exc:  # a snippet that does not import is this request's error
        end(request_id, f"cannot load {SNIPPETS[request['key']]}: {type(exc).__name__}: {exc}", traceback.format_exc())
        return settled(request_id, [])
    try:
        tasks = asyncio.run(scenario(request, run, threads))
    except Exception as exc:  # the loop's teardown failed after the end line
        print(f"runner: request {request_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
        tasks = ()
    # asyncio.run has joined its executor's threads: any other the scenario started is still running
    end_helpers(request_id)
    settled(request_id, count(len(tasks), "asyncio task") + count(len(started(threads)), "thread"))


async def warm_up():
    for _ in range(20):
        await asyncio.sleep(0.005)
    json.dumps({"id": 0, "t": 0.0, "ev": "warm", "fields": {"up": [1, 2]}})


def main():
    asyncio.run(warm_up())
    # Import every snippet early, naming each first: one whose import ends or hangs the runner is
    # named, and the harness then lists it in ASYNC_SUITE_NO_PRELOAD: handle() imports it on its first
    # request, before the clock starts (so only a colder first run). One that raises here reports it
    # on its requests. One that leaves a thread running ends the runner here: that thread could end
    # it later, during another snippet's scenario, which would then be blamed.
    skipped = os.environ.get("ASYNC_SUITE_NO_PRELOAD", "").split(",")
    for key in SNIPPETS:
        if key in skipped:
            continue
        suite.emit({"loading": key})
        threads = set(threading.enumerate())
        try:
            load(key)
        except Exception as exc:
            print(f"runner: cannot load {SNIPPETS[key]}: {exc!r}", file=sys.stderr)
        if started := set(threading.enumerate()) - threads:
            print(f"runner: {SNIPPETS[key]} left {len(started)} thread(s) running when imported", file=sys.stderr)
            sys.stderr.flush()
            os._exit(70)
    print("\x1e", file=sys.stderr, flush=True)  # the stderr mark: what came before is the start's
    suite.emit({"hello": {"protocol": 2, "language": "python", "version": platform.python_version()}})
    # A scenario that runs alone has this process to itself: one request, then main returns and
    # the interpreter ends as a program's does (languages/README.md, Alone).
    alone = os.environ.get("ASYNC_SUITE_ALONE") == "1"
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        try:
            request = parse(line)
        except Refused as refused:
            request_id, message = refused.args
            end(request_id, message)
            settled(request_id, [])
        else:
            handle(request)
        if alone:
            return


if __name__ == "__main__":
    main()
