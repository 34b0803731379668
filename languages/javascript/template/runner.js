// The JavaScript runner: answers JSON-line requests from stdin one at a time
// (runner protocol version 2, languages/README.md). stdout carries protocol
// lines only; stderr is free.

import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { SNIPPETS } from "./registry.js";
import * as suite from "./suite.js";

const SETTLE_POLL_MS = 5; // how often settling looks again while work still runs
// A scenario that runs alone has this process to itself: the runner serves its one
// request, then leaves Node.js to end as a program does (languages/README.md, Alone).
const alone = process.env.ASYNC_SUITE_ALONE === "1";
const modules = new Map(); // key -> promise of the snippet's module

function load(key) {
  if (!modules.has(key)) modules.set(key, SNIPPETS[key].load());
  return modules.get(key);
}

function describe(err) {
  if (err instanceof Error)
    return { message: `${err.name}: ${err.message}`, stack: err.stack ?? "" };
  return { message: `thrown value: ${JSON.stringify(err) ?? String(err)}`, stack: "" };
}

function endError(id, message, stack = "") {
  suite.emit({ id, end: "error", message, stack });
}

/** The request's last line, after the stderr mark. */
function settled(id, pending) {
  suite.writeLine(2, "\x1e");
  suite.emit({ id, settled: true, pending });
}

// A rejection nobody handles or an exception thrown from a timer callback is a
// bug in the snippet: it fails the request that is running, instead of killing
// the runner.
let failure = null;
function strayError(kind) {
  return (err) => {
    const scenario = suite.current();
    if (scenario.open && failure === null) {
      failure = { kind, err };
    } else {
      const { message, stack } = describe(err);
      process.stderr.write(
        `runner: ${kind} after request ${scenario.id} ended: ${stack || message}\n`,
      );
    }
  };
}
// Alone, nothing guards the process: Node.js does what it does with them.
if (!alone) {
  process.on("unhandledRejection", strayError("unhandled rejection"));
  process.on("uncaughtException", strayError("uncaught exception"));
}

/** [message, stack] of a snippet that cannot be loaded: for a SyntaxError, whose stack names no
 * file or line, `node --check` says where. */
function loadError(key, err) {
  let { message, stack } = describe(err);
  let where = SNIPPETS[key].path;
  if (err instanceof SyntaxError) {
    const file = new URL(where, import.meta.url).pathname;
    const check = spawnSync(process.execPath, ["--check", file], {
      encoding: "utf8",
      timeout: 10_000,
    });
    // <file>:<line>, that line, a caret
    const head = (check.stderr ?? "").split("\n").slice(0, 3).join("\n");
    where += head.split("\n")[0].match(/(:\d+)$/)?.[1] ?? "";
    stack = `${head}\n${stack}`;
  }
  return [`cannot load ${where}: ${message}`, stack];
}

/** What keeps the event loop alive, by type: Map { "Timeout" => 2 }. */
function resources() {
  const count = new Map();
  for (const type of process.getActiveResourcesInfo()) count.set(type, (count.get(type) ?? 0) + 1);
  return count;
}

/** Waits until nothing more than `before` is alive, or `ms` at most; what is left then: ["1 Timeout"]. */
async function settle(before, ms) {
  const deadline = performance.now() + ms;
  for (;;) {
    const pending = [...resources()]
      .filter(([type, n]) => n > (before.get(type) ?? 0))
      .map(([type, n]) => `${n - (before.get(type) ?? 0)} ${type}`);
    const left = deadline - performance.now();
    if (pending.length === 0 || left <= 0) return pending;
    await sleep(Math.min(left, SETTLE_POLL_MS));
  }
}

/** Runs one request: its end line, then, once settled, its settled line. */
async function handle({ id, key, input, tick_ms: tickMs, window, settle_ms: settleMs = 0 }) {
  let run;
  const before = resources(); // before a first import: a timer it starts is the request's
  try {
    ({ run } = await load(key));
    if (typeof run !== "function")
      throw new TypeError(`${SNIPPETS[key].path} does not export run(input)`);
  } catch (err) {
    endError(id, ...loadError(key, err));
    return settled(id, []);
  }
  failure = null;
  const scenario = suite.begin(id, tickMs);
  // Keep the loop alive until the window closes, so work that was not
  // cancelled is still seen. Set first: it closes before a snippet timer due at
  // the same moment. An error ends the request at once and stops it.
  const windowOpen = new AbortController();
  const windowClosed = sleep(scenario.msUntil(window), undefined, { signal: windowOpen.signal });
  try {
    await scenario.run(() => run(input));
    await windowClosed;
    scenario.open = false;
    if (failure === null) {
      suite.emit({ id, end: "done" });
    } else {
      const { message, stack } = describe(failure.err);
      endError(id, `${failure.kind}: ${message}`, stack);
    }
  } catch (err) {
    scenario.open = false;
    windowOpen.abort();
    windowClosed.catch(() => {});
    const { message, stack } = describe(err);
    endError(id, message, stack);
  }
  settled(id, await settle(before, settleMs));
}

/** The lines of `stream`, as bytes. */
async function* lines(stream) {
  let parts = [];
  for await (const chunk of stream) {
    let start = 0;
    for (let nl; (nl = chunk.indexOf(10, start)) !== -1; start = nl + 1) {
      yield Buffer.concat([...parts, chunk.subarray(start, nl)]);
      parts = [];
    }
    parts.push(chunk.subarray(start));
  }
}

/** Why `request` cannot be run, or undefined when it can. */
function refusal(request) {
  if (typeof request !== "object" || request === null || Array.isArray(request))
    return "malformed request: not a JSON object";
  if (!Number.isInteger(request.id)) return "malformed request: no integer id";
  if (typeof request.key !== "string") return "malformed request: no string key";
  if (!Object.hasOwn(SNIPPETS, request.key)) return `unknown key ${JSON.stringify(request.key)}`;
}

// A silent scenario with 1 ms ticks that takes the helper's paths (ops that
// succeed, fail, are aborted or time out; traces; sleeps), so they are compiled
// before the first timed request.
async function rehearse() {
  const scenario = suite.begin(null, 1, (message) => JSON.stringify(message));
  await scenario.run(async () => {
    const controller = new AbortController();
    const ops = [
      suite.op({ id: "a", ticks: 1, error: "x" }, { signal: controller.signal }),
      suite.op({ id: "b", ticks: 3, value: 1 }, { signal: controller.signal }),
    ];
    await Promise.all(ops).catch(() => controller.abort());
    await Promise.allSettled([
      suite.op({ id: "c", ticks: 4, value: 2 }, { signal: AbortSignal.timeout(1) }),
    ]);
    await Promise.race([suite.op({ id: "d", ticks: 1, value: 3 })]);
    await suite.sleepUntil(suite.ticks(1) + suite.maxInFlight());
    suite.trace("warm", { up: [1, 2] });
  });
  scenario.open = false;
}

for (let i = 0; i < 20; i++) await sleep(5);
for (let i = 0; i < 5; i++) await rehearse();
// process.stdout and process.stderr open their pipes when first used, and a
// worker thread's output forwarding uses them: open them now, so they count as
// the runner's own handles, not as activity a scenario left behind.
void process.stdout;
void process.stderr;
// Import every snippet now, one at a time and naming each first, so the first
// timed scenario does not pay for it. One whose import ends or hangs the runner
// is named, and the harness then lists it in ASYNC_SUITE_NO_PRELOAD: handle()
// imports it on its first request, before the clock starts (so only a colder
// first run). One that fails to load reports it on its own requests.
const skipped = (process.env.ASYNC_SUITE_NO_PRELOAD ?? "").split(",");
for (const key of Object.keys(SNIPPETS).filter((key) => !skipped.includes(key))) {
  suite.emit({ loading: key });
  const before = process.getActiveResourcesInfo().length;
  await load(key).catch((err) =>
    process.stderr.write(`runner: cannot load ${SNIPPETS[key].path}: ${err}\n`),
  );
  // One that leaves a timer or handle behind ends the runner here: it could end
  // it later, during another snippet's scenario, which would then be blamed.
  // The loader's own file requests end within a turn of the loop (Node.js 20
  // still has one in flight when the import settles): let them end first.
  await new Promise((resolve) => setImmediate(resolve));
  const left = process.getActiveResourcesInfo().length - before;
  if (left > 0) {
    const path = SNIPPETS[key].path;
    process.stderr.write(`runner: ${path} left ${left} resource(s) active when imported\n`);
    process.exit(70);
  }
}
suite.writeLine(2, "\x1e"); // the stderr mark: what came before is the start's
suite.emit({ hello: { protocol: 2, language: "javascript", version: process.versions.node } });

const utf8 = new TextDecoder("utf-8", { fatal: true });
for await (const line of lines(process.stdin)) {
  let request, why;
  try {
    const text = utf8.decode(line);
    if (!text.trim()) continue;
    request = JSON.parse(text);
    why = refusal(request);
  } catch (err) {
    why = `malformed request: not JSON: ${err.message}`;
  }
  if (why === undefined) {
    await handle(request);
  } else {
    const id = Number.isInteger(request?.id) ? request.id : null;
    endError(id, why);
    settled(id, []);
  }
  if (alone) break; // leaving the loop releases stdin; the process ends as Node.js ends it
}
// End of stdin: leave at once, even if work that was never cancelled still
// holds a timer.
if (!alone) process.exit(0);
