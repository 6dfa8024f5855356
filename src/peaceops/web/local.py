"""A workbench in a child process on a free loopback port (browser tests, the load test)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["free_port", "serve_locally"]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_locally(db: str, *, log: Path | None = None, timeout: float = 120.0) -> Iterator[str]:
    """Run ``peaceops serve --db DB`` on 127.0.0.1 and a free port; yield its base URL.

    The server is stopped (SIGTERM, then SIGKILL after 20 s) when the block ends.

    Raises
    ------
    RuntimeError
        When the server does not answer within ``timeout`` seconds (with its log, if kept).
    """
    port = free_port()
    out: IO[str] | None = log.open("w") if log is not None else None
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from peaceops.cli import main; main()",
            "serve",
            "--db",
            db,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=out,
        stderr=subprocess.STDOUT if out is not None else None,
        env={**os.environ, "PEACEOPS_TOKEN": ""},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/scenarios", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    text = log.read_text() if log is not None else ""
                    raise RuntimeError(f"the workbench did not start: {text}") from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if out is not None:
            out.close()
