import { spawn } from "node:child_process";
import { trace } from "#suite";

export async function run({ seconds }) {
  spawn("sleep", [String(seconds)], { stdio: "ignore" }); // never waited for
  trace("step", { n: 1 });
}
