// The JavaScript runner: one long-lived process answering JSON-line requests
// (protocol in languages/README.md). stdout carries protocol lines only; stderr
// is free.

import { createInterface } from "node:readline";
import { SNIPPETS } from "./registry.js";
import {
  begin,
  current,
  emit,
  maxInFlight,
  op,
  sleepUntil,
  ticks,
  trace,
} from "./suite.js";

const modules = new Map(); // key -> Promise of the snippet's module

function load(key) {
  if (!modules.has(key)) modules.set(key, SNIPPETS[key].load());
  return modules.get(key);
}

function describe(err) {
  if (err instanceof Error) {
    return { message: `${err.name}: ${err.message}`, stack: err.stack ?? "" };
  }
  return {
    message: `thrown value: ${JSON.stringify(err) ?? String(err)}`,
    stack: "",
  };
}

function endError(id, message, stack = "") {
  emit({ id, end: "error", message, stack });
}

// A rejection nobody handles or an exception thrown from a timer callback is a
// bug in the snippet: it fails the request that is running, instead of killing
// the runner.
let failure = null;
function strayError(kind) {
  return (err) => {
    const scenario = current();
    if (scenario.open && failure === null) {
      failure = { kind, err };
    } else {
      const { message, stack } = describe(err);
      const after = `after request ${scenario.id} ended`;
      process.stderr.write(`runner: ${kind} ${after}: ${stack || message}\n`);
    }
  };
}
process.on("unhandledRejection", strayError("unhandled rejection"));
process.on("uncaughtException", strayError("uncaught exception"));

async function handle(request) {
  const { id, key, input, tick_ms: tickMs, window } = request;
  if (!Object.hasOwn(SNIPPETS, key)) {
    endError(
      id,
      `unknown key ${JSON.stringify(key)}; ` +
        `this runner knows: ${Object.keys(SNIPPETS).join(", ")}`,
    );
    return;
  }
  let run;
  try {
    ({ run } = await load(key));
    if (typeof run !== "function")
      throw new TypeError(`${SNIPPETS[key].path} does not export run(input)`);
  } catch (err) {
    const { message, stack } = describe(err);
    endError(id, `cannot load ${SNIPPETS[key].path}: ${message}`, stack);
    return;
  }

  failure = null;
  const scenario = begin(id, tickMs);
  const windowClosed = scenario.sleepUntil(window);
  try {
    await scenario.run(() => run(input));
  } catch (err) {
    scenario.close(); // an error ends the request at once
    const { message, stack } = describe(err);
    endError(id, message, stack);
    return;
  }
  // Keep the loop alive, so work that was not cancelled is still seen.
  await windowClosed;
  scenario.close();
  if (failure !== null) {
    const { message, stack } = describe(failure.err);
    endError(id, `${failure.kind}: ${message}`, stack);
  } else {
    emit({ id, end: "done" });
  }
}

// A silent scenario with 1 ms ticks that takes the helper's paths (ops that
// succeed, fail, are aborted or time out; traces; sleeps), so they are compiled
// before the first timed request.
async function rehearse() {
  const scenario = begin(null, 1, (message) => JSON.stringify(message));
  await scenario.run(async () => {
    const controller = new AbortController();
    const ops = [
      op({ id: "a", ticks: 1, error: "x" }, { signal: controller.signal }),
      op({ id: "b", ticks: 3, value: 1 }, { signal: controller.signal }),
    ];
    await Promise.all(ops).catch(() => controller.abort());
    await Promise.allSettled([
      op({ id: "c", ticks: 4, value: 2 }, { signal: AbortSignal.timeout(1) }),
    ]);
    await Promise.race([op({ id: "d", ticks: 1, value: 3 })]);
    await sleepUntil(ticks(1) + maxInFlight());
    trace("warm", { up: [1, 2] });
  });
  scenario.close();
}

async function warmUp() {
  for (let i = 0; i < 20; i++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  for (let i = 0; i < 5; i++) await rehearse();
  // Import every snippet now, so the first timed scenario does not pay for it;
  // one that fails to load reports it on its own requests.
  await Promise.all(
    Object.keys(SNIPPETS).map((key) =>
      load(key).catch((err) =>
        process.stderr.write(
          `runner: cannot load ${SNIPPETS[key].path}: ${err}\n`,
        ),
      ),
    ),
  );
}

await warmUp();
emit({ hello: { language: "javascript", version: process.versions.node } });

for await (const line of createInterface({
  input: process.stdin,
  crlfDelay: Infinity,
})) {
  if (!line.trim()) continue;
  let request;
  try {
    request = JSON.parse(line);
    if (
      request === null ||
      typeof request !== "object" ||
      Array.isArray(request)
    ) {
      throw new Error("a request is a JSON object");
    }
  } catch (err) {
    endError(
      null,
      `malformed request: ${err.message}: ` +
        JSON.stringify(line.slice(0, 200)),
    );
    continue;
  }
  try {
    await handle(request);
  } catch (err) {
    const { message, stack } = describe(err);
    endError(request.id ?? null, message, stack);
  }
}
// End of stdin: leave at once, even if work that was never cancelled still
// holds a timer.
process.exit(0);
