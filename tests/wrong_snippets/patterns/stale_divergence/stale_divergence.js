// Deliberately wrong spec, not snippet: this correct snippet passes the signal on, so the pinned divergence no longer happens.

import { OpError, op, ticks, trace } from "#suite";

export async function run({ deadline, op: spec }) {
  try {
    const value = await op(spec, { signal: AbortSignal.timeout(ticks(deadline)) });
    trace("result", { value });
  } catch (err) {
    if (err.name === "TimeoutError") trace("error", { error: "timeout" });
    else if (err instanceof OpError) trace("error", { error: err.label });
    else throw err;
  }
}
