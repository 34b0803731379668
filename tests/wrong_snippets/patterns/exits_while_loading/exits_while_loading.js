// Deliberately wrong: ends the process when the module is imported, before any request.
import { op, trace } from "#suite";

process.exit(3);

export async function run(input) {
  trace("result", { value: await op(input.op) });
}
