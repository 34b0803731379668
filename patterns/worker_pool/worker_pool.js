// Worker pool: async workers sharing one iterator over the jobs.

import { maxInFlight, op, trace } from "#suite";

// [pattern]
/**
 * Runs `fn(job)` for every job on `workers` async workers and resolves with
 * the results in job order.
 */
export async function workerPool(jobs, workers, fn) {
  const results = new Array(jobs.length);
  // One iterator shared by every worker: each `next()` hands out a job that no
  // other worker will see, so each job is done exactly once.
  const queue = jobs.entries();
  async function worker() {
    for (const [index, job] of queue) {
      results[index] = await fn(job);
    }
  }
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
// [/pattern]

export async function run({ workers, jobs }) {
  const values = await workerPool(jobs, workers, (job) => op(job));
  trace("result", { values, max_in_flight: maxInFlight() });
}
