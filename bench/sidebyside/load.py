"""The load generators: wrk where it is installed (a Lua done hook prints the figures), otherwise
locust, headless, installed into the venv by `make bench`. Both keep 8 connections busy."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONNECTIONS = 8


class LoadError(RuntimeError):
    pass


@dataclass(frozen=True)
class LoadResult:
    requests: int  # responses the load generator received
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int  # connection errors, timeouts and 4xx/5xx answers
    error_detail: str = ""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


_WRK_LINE = re.compile(r"^RATIO-RESULT (.*)$", re.MULTILINE)


def parse_wrk(output: str) -> LoadResult:
    """The line wrk_report.lua prints, as a LoadResult."""
    match = _WRK_LINE.search(output)
    if not match:
        tail = output.strip().splitlines()[-1:] or ["no output"]
        raise LoadError(f"wrk printed no result line ({tail[0]})")
    values = {key: int(value) for key, value in (item.split("=") for item in match.group(1).split())}
    kinds = ("connect", "read", "write", "status", "timeout")
    errors = {kind: values[kind] for kind in kinds if values[kind]}
    return LoadResult(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        errors=sum(errors.values()),
        error_detail=", ".join(f"{count} {kind}" for kind, count in errors.items()),
    )


def parse_locust(stats_csv: str, seconds: float) -> LoadResult:
    """The Aggregated row of locust's --csv stats file, as a LoadResult."""
    for row in csv.DictReader(stats_csv.splitlines()):
        if row.get("Name") == "Aggregated":
            requests = int(row["Request Count"])
            per_second = float(row["Requests/s"])
            failures = int(row["Failure Count"])
            return LoadResult(
                requests=requests,
                seconds=requests / per_second if per_second else seconds,
                p50_ms=float(row["50%"]),
                p95_ms=float(row["95%"]),
                errors=failures,
                error_detail=f"{failures} failed" if failures else "",
            )
    raise LoadError("locust wrote no Aggregated row")


class Wrk:
    name = "wrk"

    def __init__(self, binary: str):
        self.binary = binary

    def describe(self, seconds: int) -> str:
        return f"wrk -t2 -c{CONNECTIONS} -d{seconds}s"

    def run(self, url: str, headers: dict[str, str], seconds: int) -> LoadResult:
        command = [self.binary, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "60s"]
        command += ["-s", str(HERE / "wrk_report.lua")]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        done = subprocess.run(  # noqa: S603 - wrk, found on PATH, with our own arguments
            [*command, url], capture_output=True, text=True, timeout=seconds + 120, check=False
        )
        if done.returncode != 0:
            raise LoadError(f"wrk exited with code {done.returncode}: {done.stderr.strip() or done.stdout.strip()}")
        return parse_wrk(done.stdout)


class Locust:
    name = "locust"

    def __init__(self, binary: str):
        self.binary = binary

    def describe(self, seconds: int) -> str:
        return f"locust --headless -u {CONNECTIONS} -t {seconds}s (FastHttpUser, no wait)"

    def run(self, url: str, headers: dict[str, str], seconds: int) -> LoadResult:
        base, path = _split(url)
        with tempfile.TemporaryDirectory(prefix="ratio-locust-") as folder:
            prefix = Path(folder) / "run"
            command = [
                self.binary, "-f", str(HERE / "locustfile.py"), "--headless",
                "--users", str(CONNECTIONS), "--spawn-rate", "1000", "--run-time", f"{seconds}s",
                "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                "--exit-code-on-error", "0", "--stop-timeout", "0",
            ]  # fmt: skip
            env = {**os.environ, "BENCH_PATH": path, "BENCH_HEADERS": json.dumps(headers)}
            done = subprocess.run(  # noqa: S603 - the venv's locust with our own arguments
                command, env=env, capture_output=True, text=True, timeout=seconds + 120, check=False
            )
            stats = Path(f"{prefix}_stats.csv")
            if done.returncode != 0 or not stats.exists():
                lines = (done.stderr or done.stdout).strip().splitlines() or ["no output"]
                raise LoadError(f"locust exited with code {done.returncode}: {lines[-1]}")
            return parse_locust(stats.read_text(), seconds)


def _split(url: str) -> tuple[str, str]:
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    return f"{scheme}://{host}", "/" + path


def generator(choice: str):
    """wrk if asked for or (with "auto") installed; else locust from this venv."""
    wrk = shutil.which("wrk")
    if choice in ("auto", "wrk") and wrk:
        return Wrk(wrk)
    if choice == "wrk":
        raise LoadError("wrk is not installed (apt-get install wrk), or use --load locust")
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or shutil.which("locust")
    if not locust:
        raise LoadError("neither wrk nor locust is installed: `make bench` installs locust (the bench extra)")
    return Locust(locust)
