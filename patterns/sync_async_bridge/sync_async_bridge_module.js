// An ES module whose top-level await holds back whoever imports it.

import { OpError, op, trace } from "#suite";

// [pattern]
/**
 * The source of an ES module that imports `left()` and `right()` from the
 * module at `api`, awaits both at top level, and exports the sum of their
 * values. Its evaluation is not finished until that await has settled, so
 * every importer (a static import, or a dynamic import() as below) waits for
 * it, and a rejection rejects the import itself.
 */
export const combinedModule = (api) => `
import { left, right } from ${JSON.stringify(api)};
const [a, b] = await Promise.all([left(), right()]);
export const value = a + b;
`;
// [/pattern]

// A module is evaluated once per URL: a fragment of its own makes each load a new one.
let loads = 0;
const moduleUrl = (source) => `data:text/javascript,${encodeURIComponent(source)}#${++loads}`;

/** The URL of a module whose `left()` and `right()` are the scenario's operations. */
const apiModule = (left, right) =>
  moduleUrl(`
import { op } from ${JSON.stringify(import.meta.resolve("#suite"))};
export const left = () => op(${JSON.stringify(left)});
export const right = () => op(${JSON.stringify(right)});
`);

export async function run({ left, right, beside }) {
  const combined = moduleUrl(combinedModule(apiModule(left, right)));
  const aside = op(beside); // the importer's event loop is free meanwhile
  try {
    const { value } = await import(combined);
    trace("result", { value });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label });
  }
  await aside;
}
