import { trace } from "#suite";

export async function run({ fail }) {
  trace("step", { n: 1 });
  if (fail) Promise.reject(new Error("conformance unobserved"));
}
