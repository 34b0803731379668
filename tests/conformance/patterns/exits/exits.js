import { trace } from "#suite";

export async function run({ code }) {
  trace("step", { n: 1 });
  process.exit(code);
}
