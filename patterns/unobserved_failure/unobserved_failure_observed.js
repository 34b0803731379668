// A background promise whose rejection is handled where it happens, by a .catch.

import { op, trace } from "#suite";

// [pattern]
/**
 * Starts `background` and goes on with `main`; the background promise is not
 * awaited, but its rejection is handled: `.catch` hands it to `onError` when
 * it happens, and the process goes on.
 */
export async function withBackground(background, onError, main) {
  background().catch(onError);
  return await main();
}
// [/pattern]

export async function run({ background, main }) {
  const value = await withBackground(
    () => op(background),
    (err) => trace("error", { error: err.label }),
    () => op(main),
  );
  trace("result", { value });
}
