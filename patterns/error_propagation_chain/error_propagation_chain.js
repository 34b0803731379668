// Error propagation through dependent steps, with await and try/finally.

import { OpError, op, shape, trace } from "#suite";

// [pattern]
/**
 * Awaits each step in turn and resolves with their values. The first step to
 * reject ends the loop, so no later step starts; `finally` runs `cleanup` on
 * every way out before the rejection reaches the caller.
 */
export async function runChain(steps, cleanup) {
  const values = [];
  try {
    for (const step of steps) {
      values.push(await step());
    }
    return values;
  } finally {
    cleanup();
  }
}
// [/pattern]

export async function run({ steps }) {
  try {
    const values = await runChain(
      steps.map((spec) => () => op(spec)),
      () => trace("cleanup"),
    );
    trace("result", { values });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label, shape: shape(err) }); // the one handler, whichever step failed
  }
}
