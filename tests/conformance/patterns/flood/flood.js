import { trace } from "#suite";

export async function run({ lines }) {
  for (let i = 0; i < lines; i++) console.log(`conformance flood line ${i}`);
  trace("step", { n: 1 });
}
