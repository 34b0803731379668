// Deliberately wrong: starts a timer when imported, which ends the process 0.7 s later.
import { op, trace } from "#suite";

setTimeout(() => process.exit(7), 700);

export async function run(input) {
  trace("result", { value: await op(input.op) });
}
