// Deliberately wrong: a leftover console.log writes a plain line on stdout, the runner's protocol channel.

import { op, trace } from "#suite";

export async function run({ op: spec }) {
  const value = await op(spec);
  console.log(`got ${value}`);
  trace("result", { value });
}
