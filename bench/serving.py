"""The real server on loopback, for the benchmarks, the browser tests and the README's
screenshots: a uvicorn process on a free port, waited for until it answers, stopped after;
and wrk's measurements of it."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

UVICORN = [sys.executable, "-m", "uvicorn", "grants.app:app", "--log-level", "warning",
           "--no-access-log", "--no-proxy-headers"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(database_url: str, command: list[str] = UVICORN) -> Iterator[str]:
    """The app (or ``command``, given ``--port N``) serving ``database_url``; yields its
    address."""
    with served_process(database_url, command) as (base, _process):
        yield base


@contextmanager
def served_process(database_url: str, command: list[str] = UVICORN, *,
                   env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """As ``served``, with the server's process (to watch its memory) and settings of its
    own (``env``)."""
    port = free_port()
    process = subprocess.Popen([*command, "--port", str(port)],
                               env={**os.environ, **(env or {}), "GRANTS_DATABASE_URL": database_url})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield base, process
    finally:
        process.terminate()
        process.wait(10)


def wrk(url: str, seconds: int, connections: int, header: str, *,
        script: str | None = None) -> dict[str, float]:
    """Requests per second, p50 and p99 in ms, from wrk (with a Lua ``script`` that makes
    the requests, if given); errors are not measurements."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "60s",
                          "-H", header, *(["-s", script] if script else []), url],
                         check=True, capture_output=True, text=True).stdout
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise SystemExit(f"{url} answered errors:\n{out}")
    return {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": _ms(out, "50%"), "p99": _ms(out, "99%")}


def _ms(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
