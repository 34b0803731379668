"""A stand-in runner for testing the harness side of the protocol: each key is one behaviour.

`python scripted_runner.py [start-behaviour]`: how it starts (default: says hello). Each request's
key picks what it does; unless the behaviour says otherwise it ends with an end line and, after the
request's settle_ms, a settled line with nothing pending.
"""

import json
import os
import subprocess
import sys
import threading
import time


def say(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def settled_with_mark(message):
    """The request's last lines: the stderr mark, then the settled line."""
    sys.stderr.write("\x1e\n")
    sys.stderr.flush()
    say(message)


def flood(stream, lines):
    for i in range(lines):
        stream.write(f"line {i:>7} " + "x" * 86 + "\n")
    stream.flush()


start = sys.argv[1] if len(sys.argv) > 1 else "hello"
if start == "silent":
    time.sleep(3600)
elif start == "exit":
    sys.stderr.write("cannot start: missing library\n")
    sys.exit(4)
elif start == "chatty":
    print("warming up", flush=True)
elif start == "deaf":  # says hello, then never reads stdin
    print("\x1e", file=sys.stderr, flush=True)
    say({"hello": {"protocol": 2, "language": "scripted", "version": "1"}})
    time.sleep(3600)
elif start == "bad_hello":
    say({"hello": "scripted"})
    time.sleep(3600)
elif start == "loads_bad" and "bad" not in os.environ.get("ASYNC_SUITE_NO_PRELOAD", "").split(","):
    say({"loading": "good"})
    say({"loading": "bad"})
    os._exit(3)
elif start == "loads_forever":
    say({"loading": "slow"})
    time.sleep(3600)
elif start == "protocol_1":  # a runner of the protocol before version 2
    say({"hello": {"language": "scripted", "version": "1", "stderr_marks": True}})
    time.sleep(3600)
print("\x1e", file=sys.stderr, flush=True)  # the stderr mark
say({"hello": {"protocol": 2, "language": "scripted", "version": "1"}})

owed = []
for line in sys.stdin:
    request = json.loads(line)
    rid, key = request["id"], request["key"]
    settle = request.get("settle_ms", 0) / 1000
    settled = {"id": rid, "settled": True, "pending": []}
    if key == "":  # the harness's probe after each scenario: refused, as by every runner
        say({"id": rid, "end": "error", "message": 'unknown key ""', "stack": ""})
        settled_with_mark(settled)
        continue
    while owed:  # what `later` left to say: it comes during the next scenario, once probed
        say(owed.pop())
    if key == "ok":
        say({"id": rid, "t": 0.3, "ev": "start", "fields": {"op": "a"}})
        say({"id": rid, "t": 51.0, "ev": "result", "fields": {"value": 1}})
    elif key == "hang":
        time.sleep(3600)
    elif key == "exit":
        sys.stderr.write("fatal: something broke\n")
        sys.stderr.flush()
        os._exit(3)
    elif key == "raise":
        say({"id": rid, "t": 0.1, "ev": "start", "fields": {}})
        say({"id": rid, "end": "error", "message": "boom", "stack": "at snippet line 3"})
        time.sleep(settle)
        settled_with_mark(settled)
        continue
    elif key == "garbage":
        print("hello from a stray print", flush=True)
    elif key == "late":  # a trace inside the settle window, after the end
        say({"id": rid, "end": "done"})
        say({"id": rid, "t": 400.0, "ev": "succeed", "fields": {"op": "c"}, "late": True})
        time.sleep(settle)
        settled_with_mark(settled)
        continue
    elif key == "pending":  # something still running when the settle window closed
        say({"id": rid, "end": "done"})
        time.sleep(settle)
        settled_with_mark({**settled, "pending": ["2 goroutines"]})
        continue
    elif key == "later":  # passes, then traces well after settling: during the next scenario
        say({"id": rid, "t": 0.3, "ev": "start", "fields": {"op": "a"}})
        say({"id": rid, "t": 51.0, "ev": "result", "fields": {"value": 1}})
        say({"id": rid, "end": "done"})
        settled_with_mark(settled)
        owed.append({"id": rid, "t": 600.0, "ev": "succeed", "fields": {"op": "z"}, "late": True})
        continue
    elif key == "late_at_exit":  # passes, then traces from a thread after the last scenario
        say({"id": rid, "t": 0.3, "ev": "start", "fields": {"op": "a"}})
        say({"id": rid, "t": 51.0, "ev": "result", "fields": {"value": 1}})
        say({"id": rid, "end": "done"})
        settled_with_mark(settled)
        late = {"id": rid, "t": 600.0, "ev": "succeed", "fields": {"op": "z"}, "late": True}
        threading.Timer(0.5, say, (late,)).start()
        continue
    elif key == "after_settled":  # a trace right after the settled line, before the next line is read
        say({"id": rid, "end": "done"})
        settled_with_mark(settled)
        say({"id": rid, "t": 60.0, "ev": "succeed", "fields": {"op": "y"}, "late": True})
        continue
    elif key == "stdin_closed":  # the snippet closes the runner's stdin: it reads no further request
        say({"id": rid, "end": "done"})
        settled_with_mark(settled)
        sys.stdin.close()
        os.close(0)
        break
    elif key == "no_settled":
        say({"id": rid, "end": "done"})
        continue
    elif key == "exit_after_end":
        say({"id": rid, "end": "done"})
        os._exit(5)
    elif key == "malformed":
        say({"id": rid, "ev": "start"})
    elif key == "bad_t":  # a trace stamped with the JSON literal input.t: NaN, Infinity, -5, 1e300
        sys.stdout.write(f'{{"id": {rid}, "t": {request["input"]["t"]}, "ev": "start", "fields": {{}}}}\n')
    elif key == "deep":  # a trace whose fields nest input.depth levels deep
        depth = request["input"]["depth"]
        fields = '{"x": ' * depth + "1" + "}" * depth
        sys.stdout.write(f'{{"id": {rid}, "t": 1, "ev": "start", "fields": {fields}}}\n')
    elif key == "unknown_id":
        say({"id": 999, "t": 1.0, "ev": "start", "fields": {}})
    elif key == "flood_stdout":
        flood(sys.stdout, request["input"].get("lines", 500_000))
    elif key == "flood_stderr":
        flood(sys.stderr, request["input"].get("lines", 500_000))
    elif key == "long_line":  # one line of 3 MiB, no newline until its end
        sys.stdout.write('{"id": %d, "t": 1, "ev": "start", "fields": {"x": "%s"}}\n' % (rid, "y" * (3 << 20)))
    elif key == "close_stdout":
        os.close(1)
        time.sleep(3600)
    elif key == "stop_reading":  # stops reading stdin and never answers
        time.sleep(3600)
    elif key == "child":  # a child process that outlives the request, holding stdout and stderr
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(777)"])
        sys.stderr.write(f"child {child.pid}\n")
        sys.stderr.flush()
        if "pidfile" in request["input"]:
            with open(request["input"]["pidfile"], "w") as out:
                out.write(str(child.pid))
    elif key == "child_then_exit":  # exits, while a child it started holds stdout open
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(777)"])
        os._exit(3)
    elif key == "exit_for_good":  # exits, and cannot be started again
        os.remove(sys.argv[0])
        os._exit(3)
    elif key == "double_end":  # a snippet printing an end line of its own before the runner's
        say({"id": rid, "end": "done"})
        say({"id": rid, "t": 50.0, "ev": "result", "fields": {"value": 1}})
    elif key == "wrong_end":
        say({"id": rid, "end": "finished"})
        time.sleep(settle)
        settled_with_mark(settled)
        continue
    elif key == "stderr_behind":  # its stderr comes well after its settled line, then the mark
        say({"id": rid, "end": "done"})
        say(settled)
        time.sleep(0.3)
        sys.stderr.write("behind stdout\n\x1e\n")
        sys.stderr.flush()
        continue
    elif key == "no_mark":  # settles without the stderr mark the protocol promises
        say({"id": rid, "end": "done"})
        say(settled)
        continue
    elif key == "bad_pending":
        say({"id": rid, "end": "done"})
        settled_with_mark({"id": rid, "settled": True, "pending": "lots"})
        continue
    say({"id": rid, "end": "done"})
    time.sleep(settle)
    settled_with_mark(settled)
    if os.environ.get("ASYNC_SUITE_ALONE") == "1":  # one request, then it ends as `ending` says
        ending = request["input"].get("ending", {}) if isinstance(request["input"], dict) else {}
        for text in ending.get("prints", []):
            sys.stderr.write(text + "\n")
        sys.stderr.flush()
        if ending.get("linger"):  # never exits on its own
            time.sleep(3600)
        sys.exit(ending.get("exit", 0))
