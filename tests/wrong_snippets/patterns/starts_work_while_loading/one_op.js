// One operation, and its value.
import { op, trace } from "#suite";

export async function run(input) {
  trace("result", { value: await op(input.op) });
}
