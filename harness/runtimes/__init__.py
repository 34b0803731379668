"""Where runners run: what the suite needs of a runtime (runtime), local toolchains (toolchain,
local), Docker images (images, docker/), build trees (build), what a killed run left (orphans), and
choosing a runtime (choice)."""
