// Wrong: a stray `=` on line 3, so the module does not parse.
import { op, trace } from "#suite";
const factor = = 1;

export async function run(input) {
  trace("result", { value: (await op(input.op)) * factor });
}
