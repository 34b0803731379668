// Retry with exponential backoff and optional full jitter: a loop around await.

import { OpError, ticks, trace } from "#suite";

// [pattern]
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `attempt()` until it succeeds, at most `maxAttempts` times. Retry n
 * waits `base * factor ** (n - 1)` ms, scaled by `jitter()` when given (full
 * jitter: pass `Math.random`). The last error is rethrown.
 */
export async function retry(attempt, { maxAttempts, base, factor = 2, jitter }) {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n === maxAttempts) throw err;
    }
    const delay = base * factor ** (n - 1);
    await sleep(jitter ? delay * jitter() : delay);
  }
}
// [/pattern]

export async function run({ attempts: outcomes, max_attempts, base, factor, jitter }) {
  let attempts = 0;
  const attempt = async () => {
    attempts += 1;
    trace("attempt", { n: attempts });
    const outcome = outcomes[attempts - 1];
    if ("error" in outcome) throw new OpError(outcome.error);
    return outcome.value;
  };
  // The scenario supplies the "random" fractions: a deterministic schedule.
  const draws = jitter?.values();
  try {
    const value = await retry(attempt, {
      maxAttempts: max_attempts,
      base: ticks(base),
      factor,
      jitter: draws && (() => draws.next().value),
    });
    trace("result", { value, attempts });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label, attempts });
  }
}
