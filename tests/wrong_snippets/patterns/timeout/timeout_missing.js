// Deliberately wrong: awaits the operation with no deadline, so it never times out and nothing is cancelled.

import { OpError, op, trace } from "#suite";

export async function run({ op: spec }) {
  try {
    const value = await op(spec);
    trace("result", { value });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label });
  }
}
