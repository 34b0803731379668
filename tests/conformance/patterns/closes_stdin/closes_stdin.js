import { trace } from "#suite";

export async function run() {
  trace("step", { n: 1 });
  process.stdin.destroy();
}
