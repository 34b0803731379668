# Deliberately wrong: starts a thread when imported, which ends the process 0.7 s later.
import os
import threading
import time

from suite import op, trace

threading.Thread(target=lambda: (time.sleep(0.7), os._exit(7)), daemon=True).start()


async def run(data):
    trace("result", value=await op(data["op"]))
