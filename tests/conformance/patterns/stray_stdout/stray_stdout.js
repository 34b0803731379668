import { trace } from "#suite";

export async function run() {
  console.log("conformance stray");
  trace("step", { n: 1 });
}
