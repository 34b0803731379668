// An ES module whose top-level await holds back whoever imports it.

import { OpError, op, trace } from "#suite";

// [pattern]
/**
 * The source of an ES module that awaits both operations at top level and
 * exports the sum of their values. Its evaluation is not finished until that
 * await has settled, so every importer (a static import, or a dynamic
 * import() as below) waits for it, and a rejection rejects the import itself.
 */
const combinedModule = (left, right) => `
import { op } from ${JSON.stringify(import.meta.resolve("#suite"))};
const [a, b] = await Promise.all([op(${JSON.stringify(left)}), op(${JSON.stringify(right)})]);
export const value = a + b;
`;
// [/pattern]

// A module is evaluated once per URL: a fragment of its own makes each load a new one.
let loads = 0;

export async function run({ left, right, beside }) {
  const source = encodeURIComponent(combinedModule(left, right));
  const aside = op(beside); // the importer's event loop is free meanwhile
  try {
    const { value } = await import(`data:text/javascript,${source}#${++loads}`);
    trace("result", { value });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label });
  }
  await aside;
}
