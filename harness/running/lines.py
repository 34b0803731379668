"""Bounded line reading from a runner's stdout or stderr, on a thread of its own.

Whatever the other end writes, memory stays bounded: a line longer than `max_bytes` is cut (the rest
of it is read and counted, never kept), and a reader that falls behind blocks the writer through a
bounded buffer instead of buffering without limit.
"""

from __future__ import annotations

import collections
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from harness.base.text import printable

MAX_LINE_BYTES = 1 << 20  # a protocol line longer than this is not a protocol line


@dataclass(frozen=True)
class Line:
    data: bytes  # without its newline, at most MAX_LINE_BYTES
    cut: int = 0  # bytes of the line that were dropped

    def text(self, limit: int = 200) -> str:
        """The line for a message: at most `limit` characters, saying how much was left out."""
        text = self.data.decode(errors="replace")
        dropped = self.cut + max(0, len(self.data) - limit)
        return printable(f"{text[:limit]}… ({dropped} more bytes)" if dropped else text)


EOF = None  # what a LineQueue yields once the stream has ended


def read_lines(stream: BinaryIO, sink: Callable[[Line], None], max_bytes: int = MAX_LINE_BYTES) -> None:
    """Hand every line of `stream` to `sink` until end of file, then close the stream.

    The stream is closed here, by its only reader: closing a buffered stream from another thread
    while this one is blocked reading it would wait for this read to end."""
    try:
        while True:
            data = stream.readline(max_bytes + 1)
            if not data:
                return
            cut = 0
            if len(data) > max_bytes:  # longer than allowed: keep the head, count the rest
                data, cut = data[:max_bytes], len(data) - max_bytes
                while not data.endswith(b"\n"):
                    more = stream.readline(max_bytes)
                    if not more:
                        break
                    cut += len(more)
                    if more.endswith(b"\n"):
                        break
            sink(Line(data.rstrip(b"\n").rstrip(b"\r"), cut))
    except (OSError, ValueError):  # the stream was closed under us: the process is gone
        return
    finally:
        try:
            stream.close()
        except (OSError, ValueError):
            pass


class LineQueue:
    """The lines of one stream, read ahead on a thread into a buffer of at most `max_buffered` bytes
    (a writer further ahead waits); `get` waits at most until a deadline."""

    def __init__(self, stream: BinaryIO, max_buffered: int = 16 << 20, max_bytes: int = MAX_LINE_BYTES):
        self._lines: collections.deque[Line | None] = collections.deque()
        self._buffered = 0
        self._max_buffered = max_buffered
        self._abandoned = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, args=(stream, max_bytes), daemon=True)
        self._thread.start()

    def _run(self, stream: BinaryIO, max_bytes: int) -> None:
        read_lines(stream, self._put, max_bytes)
        self._put(EOF)

    @staticmethod
    def _cost(item: Line | None) -> int:
        return 64 + (len(item.data) if item is not None else 0)  # many tiny lines cost memory too

    def _put(self, item: Line | None) -> None:
        with self._changed:
            while self._lines and self._buffered + self._cost(item) > self._max_buffered and not self._abandoned:
                self._changed.wait()
            if self._abandoned:
                return
            self._lines.append(item)
            self._buffered += self._cost(item)
            self._changed.notify_all()

    def get(self, timeout: float) -> Line | None:
        """The next line or EOF; queue.Empty when nothing came within `timeout` seconds."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._lines, timeout=max(0.0, timeout)):
                raise queue.Empty
            item = self._lines.popleft()
            self._buffered -= self._cost(item)
            self._changed.notify_all()
            return item

    def abandon(self) -> None:
        """Nobody reads any more: the thread drops what it reads until the stream ends."""
        with self._changed:
            self._abandoned = True
            self._lines.clear()
            self._changed.notify_all()


MARK = b"\x1e"  # a line a runner writes on stderr before each settled line (languages/README.md)


class LineTail:
    """The last `keep` lines of a stream (stderr), read on a thread; counts every line it saw, and
    apart from them the marks (lines of MARK alone)."""

    def __init__(self, stream: BinaryIO, keep: int = 200, max_bytes: int = 4096):
        self._lines: collections.deque[str] = collections.deque(maxlen=keep)
        self._changed = threading.Condition()
        self.seen = 0
        self.marks = 0
        self._thread = threading.Thread(target=read_lines, args=(stream, self._add, max_bytes), daemon=True)
        self._thread.start()

    def _add(self, line: Line) -> None:
        with self._changed:
            if line.data == MARK and not line.cut:
                self.marks += 1
                self._changed.notify_all()
                return
            self._lines.append(line.text(limit=1000))
            self.seen += 1

    def wait_marks(self, count: int, timeout: float) -> bool:
        """Wait (at most `timeout`) until `count` marks have been read; whether they were."""
        with self._changed:
            return self._changed.wait_for(lambda: self.marks >= count, timeout)

    def add(self, text: str) -> None:
        """A note of the harness's own among the stream's lines (what a runner printed before hello)."""
        self._add(Line(text.encode()))

    def since(self, seen: int) -> tuple[list[str], int]:
        """The lines after the first `seen` (a value of `.seen`) that are still kept, and how many were not."""
        with self._changed:
            fresh = self.seen - seen
            kept = list(self._lines)[-fresh:] if fresh > 0 else []
        return kept, max(0, fresh - len(kept))

    def finish(self, timeout: float) -> None:
        """Wait (at most `timeout`) for the stream's last lines, once its process has ended."""
        self._thread.join(timeout)
