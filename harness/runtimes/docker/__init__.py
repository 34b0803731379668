"""The docker runtime: the engine (engine), a runner container seen as a process (container), the
runtime itself (runtime), and local stand-ins of the official images (standin)."""
