"""A real uvicorn process serving the app, for browser, fuzz and multi-instance tests."""

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

READY_LINE = "Uvicorn running on"  # printed once the socket is bound


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _drain(stream: IO[str], keep: list[str]) -> None:
    for line in stream:
        keep.append(line)
        del keep[:-200]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[str]


@contextmanager
def live_server(
    database_url: str, *, env: dict[str, str] | None = None, port: int | None = None
) -> Iterator[LiveServer]:
    """Start `premier.main:app` and return once uvicorn says startup is complete."""
    port = port or free_port()
    environment = {
        **os.environ,
        "PREMIER_DATABASE_URL": database_url,
        "PREMIER_SECRET_KEY": "live-server-test-secret-0123456789abcdef",
        "PREMIER_ENVIRONMENT": "test",
        **(env or {}),
    }
    # Idle keep-alive connections are kept a minute, not uvicorn's 5 s: on a loaded machine a
    # test's client can pick a pooled connection the moment the server closes it, and
    # httpx (unlike a browser) does not send the request again.
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "premier.main:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "info", "--timeout-keep-alive", "60"],
        env=environment, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    assert process.stderr is not None
    seen: list[str] = []
    for line in process.stderr:
        seen.append(line)
        if READY_LINE in line:
            break
    else:
        process.wait()
        raise RuntimeError("server did not start:\n" + "".join(seen[-40:]))
    # Keep draining its log so a full pipe never blocks the server.
    threading.Thread(target=_drain, args=(process.stderr, seen), daemon=True).start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
