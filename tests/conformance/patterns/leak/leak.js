import { sleepUntil, ticks, trace } from "#suite";

export async function run({ mode }) {
  trace("step", { n: 1 });
  if (mode === "trace") {
    sleepUntil(1.5).then(() => trace("step", { n: 2 })); // not awaited
  } else if (mode === "forever") {
    setInterval(() => {}, ticks(1)); // never cleared
  }
}
