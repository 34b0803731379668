// Error propagation through a .then chain: a not-ok answer (as fetch gives) becomes a rejection.

import { OpError, op, shape, trace } from "#suite";

// [pattern]
/**
 * Chains the steps with .then and resolves with their values. A step's answer
 * that is not ok becomes a rejection (Promise.reject): every later .then
 * callback is skipped, so no later step starts, and `.finally` runs `cleanup`
 * before the rejection reaches the caller.
 */
export function runChain(steps, cleanup) {
  return steps
    .reduce(
      (chain, step) =>
        chain.then((values) =>
          step().then((answer) =>
            answer.ok ? [...values, answer.value] : Promise.reject(answer.error),
          ),
        ),
      Promise.resolve([]),
    )
    .finally(cleanup);
}
// [/pattern]

/** A step answering like fetch: it resolves even when it failed. */
const answering = (spec) => () =>
  op(spec).then(
    (value) => ({ ok: true, value }),
    (error) => ({ ok: false, error }),
  );

export function run({ steps }) {
  return runChain(steps.map(answering), () => trace("cleanup")).then(
    (values) => trace("result", { values }),
    (err) => {
      if (!(err instanceof OpError)) throw err;
      trace("error", { error: err.label, shape: shape(err) }); // the one handler, whichever step failed
    },
  );
}
