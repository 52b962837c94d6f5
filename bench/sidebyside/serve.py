"""Serve a WSGI application with gunicorn (the shared settings in gunicorn_conf.py) on a free local
port, and read what its one worker did: requests handled and CPU time, from /proc."""

from __future__ import annotations

import http.client
import mmap
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sidebyside.gunicorn_conf import TALLY

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Snapshot:
    started: int
    finished: int
    cpu_ticks: int  # the worker's utime + stime


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


class Server:
    """One gunicorn master with one sync worker, started by start() and ended by stop()."""

    def __init__(self, name: str, app: str, env: dict[str, str], workdir: Path, *, pythonpath: Path | None = None):
        self.name, self.app, self.workdir, self.pythonpath = name, app, workdir, pythonpath
        self.env = env
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log_path = workdir / f"gunicorn-{name}.log"
        self._tally_path = workdir / f"tally-{name}.bin"
        self._tally: mmap.mmap | None = None
        self._pid = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str, timeout: float = 90.0) -> None:
        self._tally_path.write_bytes(b"\0" * TALLY.size)
        self.port = free_port()
        command = [
            sys.executable, "-m", "gunicorn", self.app,
            "--config", str(HERE / "gunicorn_conf.py"),
            "--bind", f"127.0.0.1:{self.port}",
            "--chdir", str(ROOT),
        ]  # fmt: skip
        if self.pythonpath:
            command += ["--pythonpath", str(self.pythonpath)]
        env = {**self.env, "BENCH_COUNTER_FILE": str(self._tally_path)}
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter, our own arguments
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn exited with code {self.process.returncode}: {self.last_log_line()}")
            try:
                if self.get(ready_path).status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise ServerError(f"no answer on {self.base_url}{ready_path} after {timeout:.0f} s: {self.last_log_line()}")
        with self._tally_path.open("r+b") as f:
            self._tally = mmap.mmap(f.fileno(), TALLY.size)
        self._pid = self._read()[0]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop; the worker goes with it
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._tally is not None:
            self._tally.close()
            self._tally = None

    def last_log_line(self) -> str:
        try:
            lines = [line for line in self.log_path.read_text(errors="replace").splitlines() if line.strip()]
        except OSError:
            return "(no log)"
        return lines[-1].strip() if lines else "(empty log)"

    def get(self, path: str, headers: dict[str, str] | None = None, timeout: float = 120.0) -> Response:
        """One request, redirects not followed (a redirect to the login page must not pass for the page)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return Response(response.status, response.read())
        finally:
            connection.close()

    def _read(self) -> tuple[int, int, int]:
        return TALLY.unpack_from(self._tally)

    def _cpu_ticks(self) -> int:
        stat = Path(f"/proc/{self._pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": state is field 3
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)

    def snapshot(self, quiet: float = 0.5, timeout: float = 300.0) -> Snapshot:
        """The tally and CPU time once the worker is idle: every request it took has finished and
        nothing changed for `quiet` seconds (connections still queued when the load stopped are served
        first, and counted)."""
        deadline = time.monotonic() + timeout
        last = None
        stable_since = time.monotonic()
        while time.monotonic() < deadline:
            pid, started, finished = self._read()
            if pid != self._pid:
                raise ServerError(
                    f"the {self.name} worker was replaced (pid {self._pid} → {pid}): {self.last_log_line()}"
                )
            current = Snapshot(started, finished, self._cpu_ticks())
            if current != last:
                last, stable_since = current, time.monotonic()
            elif started == finished and time.monotonic() - stable_since >= quiet:
                return current
            time.sleep(0.05)
        raise ServerError(f"the {self.name} worker did not become idle within {timeout:.0f} s")


def cpu_ms(ticks: int) -> float:
    return ticks * 1000 / TICKS_PER_SECOND
