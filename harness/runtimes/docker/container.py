"""A started runner container seen as a process (harness.process.RunnerProcess): attached stdin,
demultiplexed stdout and stderr, its exit, and why it ended (an OOM kill, a pid limit)."""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass

STDIN, STDOUT, STDERR = 0, 1, 2


@dataclass(frozen=True)
class Limits:
    memory: str = "512m"
    cpus: float = 2.0
    pids: int = 256
    tmpfs: str = "64m"


class ContainerProcess:
    """A started container seen as a process: attached stdin, demultiplexed stdout and stderr."""

    def __init__(self, container, limits: Limits, on_release: Callable[[], None]):
        self.container = container
        self.limits = limits
        self._on_release = on_release
        self._exit: int | None = None
        self._ended = threading.Event()
        self._killed = False
        self._pids_at_kill = ""  # said after a kill: the container is gone by the time anyone asks
        self._runner_pid: str | None = None  # its pid as `docker top` shows it, once looked up
        attached = container.attach_socket(params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
        self._sock = attached._sock
        self._sock.settimeout(None)
        out_r, self._out_w = os.pipe()
        err_r, self._err_w = os.pipe()
        self.stdout = os.fdopen(out_r, "rb")
        self.stderr = os.fdopen(err_r, "rb")
        container.start()
        threading.Thread(target=self._demultiplex, daemon=True).start()
        threading.Thread(target=self._wait, daemon=True).start()

    def _demultiplex(self) -> None:
        """Split the attach stream's frames (8-byte header: stream, 0, 0, 0, big-endian size) by stream."""
        targets = {STDOUT: self._out_w, STDERR: self._err_w}
        try:
            while True:
                header = _read_exact(self._sock, 8)
                if header is None:
                    break
                kind, size = header[0], struct.unpack(">I", header[4:])[0]
                payload = _read_exact(self._sock, size)
                if payload is None:
                    break
                os.write(targets.get(kind, self._err_w), payload)
        except OSError:
            pass
        finally:
            for fd in (self._out_w, self._err_w):
                try:
                    os.close(fd)
                except OSError:
                    pass

    def _wait(self) -> None:
        while self._exit is None:
            try:
                self._exit = self.container.wait(timeout=3600)["StatusCode"]
            except Exception:  # a read timeout of the long poll, or the engine went away
                try:
                    self.container.reload()
                    if self.container.status in ("exited", "dead"):
                        self._exit = self.container.attrs["State"]["ExitCode"]
                except Exception:
                    self._exit = -1
        self._ended.set()

    def write(self, data: bytes) -> None:
        self._sock.sendall(data)

    def close_stdin(self) -> None:
        try:
            self._sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def poll(self) -> int | None:
        return self._exit if self._ended.is_set() else None

    def wait(self, timeout: float | None = None) -> int:
        if not self._ended.wait(timeout):
            raise subprocess.TimeoutExpired(self.container.name, timeout)
        return self._exit

    def kill(self) -> None:
        self._pids_at_kill = self._pid_note()
        self._killed = True
        try:
            self.container.kill()
        except Exception:
            pass
        self._ended.wait(30)

    def _pid_note(self) -> str:
        try:
            stats = self.container.stats(stream=False, one_shot=True)
        except Exception:
            return ""
        current = (stats.get("pids_stats") or {}).get("current", 0)
        if current >= self.limits.pids - 2:
            return (
                f"the container reached its pid limit ({current} of {self.limits.pids} processes and threads): "
                f"a fork bomb or runaway thread creation was contained"
            )
        return ""

    def children(self) -> list[str]:
        """The runner's live descendants in the container, by command name (`docker top`): every
        process but the container's init and the runner it started (and zombies)."""
        try:
            top = self.container.top(ps_args="-o pid,ppid,stat,comm")
        except Exception:  # the container ended meanwhile: nothing of it runs
            return []
        rows = [row for row in top.get("Processes") or [] if len(row) >= 4]
        pids = {row[0] for row in rows}
        init = {row[0] for row in rows if row[1] not in pids}
        if self._runner_pid is None:  # the runner: the init's child that started first
            runners = sorted(int(row[0]) for row in rows if row[1] in init)
            self._runner_pid = str(runners[0]) if runners else None
        ignored = init | {self._runner_pid}
        return sorted(row[3] for row in rows if row[0] not in ignored and not row[2].startswith("Z"))

    def exit_note(self) -> str:
        notes = []
        pids = self._pids_at_kill or (self._pid_note() if self.poll() is None else "")
        if pids:
            notes.append(pids)
            if not self._killed:  # a container out of pids cannot serve another scenario
                self.kill()
                notes.append("the runner was restarted")
        try:
            self.container.reload()
            if self.container.attrs["State"].get("OOMKilled"):
                notes.append(
                    f"the container hit its memory limit ({self.limits.memory}) and the kernel's OOM killer ended it"
                )
        except Exception:
            pass
        return "; ".join(notes)

    def release(self) -> None:
        try:
            self._sock.close()
        except OSError:
            pass
        self._on_release()  # stdout and stderr end with the container; their readers close them


def _read_exact(sock, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = sock.recv(min(remaining, 65536))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
