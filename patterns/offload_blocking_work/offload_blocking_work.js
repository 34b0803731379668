// Offloading blocking work to a worker thread, so the event loop stays responsive.

import { sleepUntil, ticks, trace } from "#suite";

// [pattern]
import { Worker } from "node:worker_threads";

/**
 * Runs `source`, the text of a module that computes with `workerData` and
 * posts its result, on a worker thread: the main thread's event loop goes on
 * meanwhile. Resolves with the posted result once the worker has exited (so
 * nothing of it outlives the call); rejects if the worker fails.
 */
export function offload(source, workerData) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData });
    let result;
    worker.once("message", (value) => (result = value));
    worker.once("error", reject);
    worker.once("exit", (code) =>
      code === 0 ? resolve(result) : reject(new Error(`worker exited with ${code}`)),
    );
  });
}
// [/pattern]

/** CPU-bound work: spin until the clock shared by all threads reaches `deadline`. */
function busyUntil(deadline) {
  while (performance.timeOrigin + performance.now() < deadline);
}

const BUSY_WORKER = `
  const { parentPort, workerData } = require("node:worker_threads");
  ${busyUntil.toString()}
  busyUntil(workerData);
  parentPort.postMessage("done");
`;

async function heartbeat(beats) {
  for (let n = 1; n <= beats; n++) {
    await sleepUntil(n);
    trace("beat", { n });
  }
}

async function work(duration, offloaded) {
  const deadline = performance.timeOrigin + performance.now() + ticks(duration);
  if (offloaded) {
    await offload(BUSY_WORKER, deadline);
  } else {
    busyUntil(deadline); // on the main thread: no callback runs until it returns
  }
  trace("work_done");
}

export async function run({ beats, work: duration, offload: offloaded }) {
  await Promise.all([heartbeat(beats), work(duration, offloaded)]);
}
