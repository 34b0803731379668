"""Progress lines on the terminal while they happen, never in a test's captured output."""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Callable

import pytest


def live_progress(config: pytest.Config) -> Callable[[str], None]:
    """A writer of `[suite] message` lines straight to the terminal: builds run inside a scenario's
    test, whose output pytest captures, so a long build would otherwise look like a hang."""
    try:  # the terminal as it is now, before any test's capture (which redirects file descriptor 1)
        terminal = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8", errors="replace")
        config.add_cleanup(terminal.close)
    except (AttributeError, OSError, io.UnsupportedOperation):  # no terminal (an in-process inner session)
        terminal = None
    lock = threading.Lock()  # builds of several languages may report at once

    def write(message: str) -> None:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:  # -p no:terminal
            return
        if terminal is None:
            reporter.write_line(f"[suite] {message}")
            return
        with lock:
            if reporter.currentfspath is not None:  # the reporter is in the middle of a line
                terminal.write("\n")
            terminal.write(f"[suite] {message}\n")

    return write
