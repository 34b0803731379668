import { sleepUntil, trace } from "#suite";

export async function run() {
  trace("step", { n: 1 });
  await sleepUntil(1);
  trace("step", { n: 2 });
}
