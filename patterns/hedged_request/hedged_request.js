// Hedged request: Promise.race of attempts and a hedge timer; an AbortController stops the rest.

import { op, ticks, trace } from "#suite";

// [pattern]
/**
 * Calls `backends[0](signal)`; each `delayMs` without an answer, or at once
 * after a failure, calls the next backend too. Resolves with the first answer;
 * rejects with an AggregateError of every failure, in backend order, when all
 * of them fail.
 */
export async function hedged(backends, delayMs) {
  const controller = new AbortController();
  const running = new Map(); // backend index -> promise of its outcome
  const errors = []; // by backend index
  let called = 0;
  const callNext = () => {
    const index = called++;
    const outcome = backends[index](controller.signal).then(
      (value) => ({ index, value }),
      (error) => ({ index, error }),
    );
    running.set(index, outcome);
  };
  try {
    callNext();
    for (;;) {
      const more = called < backends.length;
      let timer;
      const hedge = new Promise((resolve) => {
        if (more) timer = setTimeout(resolve, delayMs, "hedge");
      });
      const next = await Promise.race([...running.values(), hedge]);
      clearTimeout(timer);
      if (next === "hedge") {
        callNext();
        continue;
      }
      running.delete(next.index);
      if (!("error" in next)) return next.value;
      errors[next.index] = next.error;
      if (more) callNext();
      else if (running.size === 0) {
        throw new AggregateError(errors, "every backend failed");
      }
    }
  } finally {
    controller.abort(); // the attempts still running stop
  }
}
// [/pattern]

export async function run({ hedge, backends }) {
  try {
    const value = await hedged(
      backends.map((spec) => (signal) => op(spec, { signal })),
      ticks(hedge),
    );
    trace("result", { value });
  } catch (err) {
    if (!(err instanceof AggregateError)) throw err;
    trace("error", { errors: err.errors.map((e) => e.label) });
  }
}
