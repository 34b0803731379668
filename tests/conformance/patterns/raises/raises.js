import { trace } from "#suite";

export async function run() {
  trace("step", { n: 1 });
  throw new Error("conformance boom");
}
