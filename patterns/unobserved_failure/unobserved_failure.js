// A background promise that rejects with nobody to handle it: Node.js ends the process.

import { op, trace } from "#suite";

// [pattern]
/**
 * Starts `background` and goes on with `main` without awaiting the first: its
 * promise is dropped, with no .catch. When it rejects, the rejection is
 * unhandled, and Node.js (since 15) takes it for an uncaught exception: it
 * prints the error and ends the process with exit code 1, at that moment, so
 * `main` never finishes.
 */
export async function withBackground(background, main) {
  background(); // neither awaited nor caught
  return await main();
}
// [/pattern]

export async function run({ background, main }) {
  const value = await withBackground(() => op(background), () => op(main));
  trace("result", { value });
}
