import { trace } from "#suite";

export async function run() {
  trace("step", { n: 1 });
  await new Promise(() => {}); // nothing ever settles it
}
