// Select with Promise.race: the first of several sources to settle is taken, a rejection too.

import { OpError, sleepUntil, trace } from "#suite";

// [pattern]
/**
 * Waits on the promises of `sources` (name -> promise) and resolves as the first
 * of them settles: `{ name, value }`, or `{ name, error }` for a rejection (the
 * first to settle wins even when it rejected). Of promises already settled,
 * Promise.race takes the first in order. With no source, Promise.race([]) never
 * settles: the fallback, if one is given, is returned instead.
 */
export function first(sources, { fallback } = {}) {
  const entries = Object.entries(sources);
  if (entries.length === 0 && fallback !== undefined) return Promise.resolve({ fallback });
  return Promise.race(
    entries.map(([name, promise]) =>
      promise.then(
        (value) => ({ name, value }),
        (error) => ({ name, error }),
      ),
    ),
  );
}
// [/pattern]

/** A source: settled at its tick (already at tick 0) with its value or error. */
function deliver({ at, value, error }) {
  const settle = () => (error === undefined ? value : Promise.reject(new OpError(error)));
  return at === 0 ? Promise.resolve(settle()) : sleepUntil(at).then(settle);
}

function sources(input) {
  // A branch with a false precondition is one left out of the race.
  return Object.fromEntries(
    ["a", "b"].filter((name) => !input[name].disabled).map((name) => [name, deliver(input[name])]),
  );
}

export async function run(input) {
  const { rounds, fallback, deadline } = input;
  if (rounds !== undefined) {
    // The same select again and again: which sources ever won.
    const winners = new Set();
    for (let i = 0; i < rounds; i++) winners.add((await first(sources(input))).name);
    trace("result", { winners: [...winners].sort() });
    return;
  }
  const waits = [first(sources(input), { fallback })];
  if (deadline !== undefined) waits.push(sleepUntil(deadline).then(() => ({ timeout: true })));
  const taken = await Promise.race(waits);
  if (taken.timeout) trace("error", { error: "timeout" });
  else if ("fallback" in taken) trace("fallback", { value: taken.fallback });
  else if (taken.error) trace("error", { source: taken.name, error: taken.error.label });
  else trace("result", { source: taken.name, value: taken.value });
}
