// The JavaScript runner: one long-lived process answering JSON-line requests
// (protocol in languages/README.md). stdout carries protocol lines only; stderr
// is free.

import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { Snapshot } from "./leftovers.js";
import { SNIPPETS } from "./registry.js";
import {
  begin,
  current,
  emit,
  emitStderrMark,
  maxInFlight,
  op,
  sleepUntil,
  ticks,
  trace,
} from "./suite.js";

const MAX_LINE = 1 << 20; // bytes in a request line, newline excluded
const TOO_LONG = `malformed request: line longer than ${MAX_LINE} bytes`;
const FIELDS = [
  "id",
  "key",
  "pattern",
  "variant",
  "scenario",
  "input",
  "tick_ms",
  "window",
  "settle_ms",
];

const modules = new Map(); // key -> Promise of the snippet's module

// A SyntaxError thrown by import() names neither file nor line; `node --check`
// does: its first line is `<file>:<line>`, then the line and a caret.
function syntaxLocation(path) {
  const file = new URL(path, import.meta.url).pathname;
  const check = spawnSync(process.execPath, ["--check", file], {
    encoding: "utf8",
    timeout: 10_000,
  });
  return (check.stderr ?? "").split("\n").slice(0, 3).join("\n");
}

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

/** The request's last line, after the stderr mark. */
function settled(id, pending) {
  emitStderrMark();
  emit({ id, settled: true, pending });
}

/** Runs one request: its end line, then, once settled, its settled line. */
async function handle(request) {
  const { id, key, input, tick_ms: tickMs, window } = request;
  if (!Object.hasOwn(SNIPPETS, key)) {
    endError(
      id,
      `unknown key ${JSON.stringify(key)}; ` +
        `this runner knows: ${Object.keys(SNIPPETS).join(", ")}`,
    );
    return settled(id, []);
  }
  let run;
  try {
    ({ run } = await load(key));
    if (typeof run !== "function")
      throw new TypeError(`${SNIPPETS[key].path} does not export run(input)`);
  } catch (err) {
    let { message, stack } = describe(err);
    let where = SNIPPETS[key].path;
    if (err instanceof SyntaxError) {
      const check = syntaxLocation(where);
      const line = check.split("\n")[0].match(/:(\d+)$/)?.[1];
      if (line) where += `:${line}`;
      stack = `${check}\n${stack}`;
    }
    endError(id, `cannot load ${where}: ${message}`, stack);
    return settled(id, []);
  }

  const before = new Snapshot();
  failure = null;
  const scenario = begin(id, tickMs);
  // Keep the loop alive until the window closes, so work that was not
  // cancelled is still seen. Set first: it closes before a snippet timer due at
  // the same moment. An error ends the request at once and stops it.
  const windowOpen = new AbortController();
  const windowClosed = sleep(scenario.msUntil(window), undefined, {
    signal: windowOpen.signal,
  });
  try {
    await scenario.run(() => run(input));
    await windowClosed;
    scenario.close();
    if (failure !== null) {
      const { message, stack } = describe(failure.err);
      endError(id, `${failure.kind}: ${message}`, stack);
    } else {
      emit({ id, end: "done" });
    }
  } catch (err) {
    scenario.close();
    windowOpen.abort();
    windowClosed.catch(() => {});
    const { message, stack } = describe(err);
    endError(id, message, stack);
  }
  settled(id, await before.settle(request.settle_ms ?? 0));
}

class BadRequest extends Error {
  constructor(message, id = null) {
    super(message);
    this.id = id;
  }
}

function isNumber(value, low, high, integer = false) {
  return (
    typeof value === "number" &&
    value >= low &&
    value <= high &&
    (!integer || Number.isInteger(value))
  );
}

/** The request on one line, checked as languages/protocol.schema.json says. */
function parse(line) {
  let request;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(line);
    request = JSON.parse(text);
  } catch (err) {
    throw new BadRequest(`malformed request: not JSON: ${err.message}`);
  }
  if (typeof request !== "object" || request === null || Array.isArray(request))
    throw new BadRequest("malformed request: not a JSON object");
  const { id } = request;
  if (!isNumber(id, 0, Number.MAX_SAFE_INTEGER, true)) {
    const message = "bad request: field 'id' must be a non-negative integer";
    throw new BadRequest(message);
  }
  const unknown = Object.keys(request).find((name) => !FIELDS.includes(name));
  if (unknown !== undefined) {
    const known = FIELDS.join(", ");
    const message = `unknown field '${unknown}' (a request has: ${known})`;
    throw new BadRequest(`bad request: ${message}`, id);
  }
  const has = (name, check) => !(name in request) || check(request[name]);
  const string = (v) => typeof v === "string";
  const { tick_ms: tickMs, window } = request;
  const checks = [
    ["key", string(request.key), "a string"],
    ["input", "input" in request, "present"],
    ["tick_ms", isNumber(tickMs, 0, 60000) && tickMs > 0, "a number in (0, 60000]"],
    ["window", isNumber(window, 0, 100000, true), "an integer in [0, 100000]"],
    ["settle_ms", has("settle_ms", (v) => isNumber(v, 0, 60000)), "a number in [0, 60000]"],
    ["pattern", has("pattern", string), "a string"],
    ["scenario", has("scenario", string), "a string"],
    ["variant", has("variant", (v) => v === null || string(v)), "a string or null"],
  ];
  for (const [name, ok, expected] of checks) {
    const message = `bad request: field '${name}' must be ${expected}`;
    if (!ok) throw new BadRequest(message, id);
  }
  return request;
}

/**
 * Request lines from `stream` as Buffers of at most MAX_LINE bytes; a longer
 * line is dropped as it arrives and a BadRequest takes its place.
 */
async function* requestLines(stream) {
  let parts = [];
  let size = 0;
  let tooLong = false;
  for await (const chunk of stream) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      yield tooLong || size + piece.length > MAX_LINE
        ? new BadRequest(TOO_LONG)
        : Buffer.concat([...parts, piece]);
      [parts, size, tooLong] = [[], 0, false];
    }
    const rest = chunk.subarray(start);
    tooLong ||= size + rest.length > MAX_LINE;
    if (tooLong) {
      parts = [];
    } else {
      parts.push(rest);
      size += rest.length;
    }
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
  // process.stdout and process.stderr open their pipes when first used, and a
  // worker thread's output forwarding uses them: open them now, so they count
  // as the runner's own handles, not as activity a scenario left behind.
  void process.stdout;
  void process.stderr;
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
emit({
  hello: {
    language: "javascript",
    version: process.versions.node,
    stderr_marks: true,
  },
});

for await (const line of requestLines(process.stdin)) {
  if (!(line instanceof BadRequest) && !line.toString().trim()) continue;
  let request;
  try {
    if (line instanceof BadRequest) throw line;
    request = parse(line);
  } catch (err) {
    endError(err.id ?? null, err.message);
    settled(err.id ?? null, []);
    continue;
  }
  await handle(request);
}
// End of stdin: leave at once, even if work that was never cancelled still
// holds a timer.
process.exit(0);
