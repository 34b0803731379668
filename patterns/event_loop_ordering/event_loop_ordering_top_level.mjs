// The top level of an ES module, evaluated by import() in
// event_loop_ordering_esm_file.js. It schedules every step with schedule() of
// event_loop_ordering.js, whose calls all run inside this top level's
// evaluation: where Node's loader evaluates it decides the order.
const { schedule, steps, log } = globalThis.eventLoopOrdering;
schedule(steps, log);
