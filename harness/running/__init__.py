"""Running scenarios: the protocol client speaking to a runner (client, lines), the trace
comparison (trace), judging a scenario (verdict), the runners of a session (pool), one scenario
run end to end (session), and many at once (scheduler)."""
