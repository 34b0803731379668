// The top level of a CommonJS file, run by require() in
// event_loop_ordering_commonjs_file.js. It schedules every step with schedule()
// of event_loop_ordering.js, whose calls all run inside this top level's
// evaluation: where require() runs it decides the order.
const { schedule, steps, log } = globalThis.eventLoopOrdering;
schedule(steps, log);
