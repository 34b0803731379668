import { OpError, shape, trace } from "#suite";

export async function run() {
  const failure = new OpError("boom");
  trace("error", { error: "bare", shape: shape(failure) });
  trace("error", { error: "wrapped", shape: shape(new Error("wrapped", { cause: failure })) });
  const several = new AggregateError([failure, new OpError("bang")]);
  trace("error", { error: "several", shape: shape(several) });
  const controller = new AbortController();
  controller.abort();
  trace("error", { error: "cancelled", shape: shape(controller.signal.reason) });
}
