"""A stand-in runner for testing the harness side of the protocol: each key is one behaviour."""

import json
import os
import sys
import time


def say(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


say({"hello": {"language": "scripted", "version": "1"}})
for line in sys.stdin:
    request = json.loads(line)
    rid, key = request["id"], request["key"]
    if key == "ok":
        say({"id": rid, "t": 0.3, "ev": "start", "fields": {"op": "a"}})
        say({"id": rid, "t": 51.0, "ev": "result", "fields": {"value": 1}})
        say({"id": rid, "end": "done"})
    elif key == "hang":
        time.sleep(3600)
    elif key == "exit":
        sys.stderr.write("fatal: something broke\n")
        sys.stderr.flush()
        os._exit(3)
    elif key == "raise":
        say({"id": rid, "t": 0.1, "ev": "start", "fields": {}})
        say({"id": rid, "end": "error", "message": "boom", "stack": "at snippet line 3"})
    elif key == "garbage":
        print("hello from a stray print", flush=True)
        say({"id": rid, "end": "done"})
    elif key == "late":
        say({"id": rid, "end": "done"})
        say({"id": rid, "t": 400.0, "ev": "succeed", "fields": {"op": "c"}, "late": True})
    elif key == "malformed":
        say({"id": rid, "ev": "start"})
        say({"id": rid, "end": "done"})
