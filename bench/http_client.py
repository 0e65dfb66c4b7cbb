"""httpx.AsyncClient beside aiohttp.ClientSession posting a 2 KB JSON body to a local fake
provider (server pinned to one core, client on the other), at several concurrencies.

Run: .venv/bin/python bench/http_client.py [--seconds 3]
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import httpx

RESULTS = Path(__file__).parent / "results" / "http_client.json"
BODY = {
    "personalizations": [{"to": [{"email": "guest@example.com"}]}],
    "from": {"email": "hotel@example.com"},
    "subject": "x" * 64,
    "content": [{"type": "text/plain", "value": "y" * 1900}],
}

SERVER = """
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
async def send(request):
    await request.body()
    return Response(status_code=202, headers={"X-Message-Id": "abc"})
app = Starlette(routes=[Route("/v3/mail/send", send, methods=["POST"])])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run_httpx(url: str, concurrency: int, seconds: float) -> float:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        return await drive(lambda: client.post(url, json=BODY), concurrency, seconds)


async def run_aiohttp(url: str, concurrency: int, seconds: float) -> float:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one() -> None:
            async with session.post(url, json=BODY) as response:
                await response.read()

        return await drive(one, concurrency, seconds)


async def drive(call, concurrency: int, seconds: float) -> float:  # type: ignore[no-untyped-def]
    done = 0
    deadline = time.perf_counter() + seconds

    async def loop() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await call()
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    port = free_port()
    app_file = Path("/tmp") / f"premier_fake_{port}.py"
    app_file.write_text(SERVER)
    server = subprocess.Popen(
        [
            "taskset",
            "-c",
            "0",
            sys.executable,
            "-m",
            "uvicorn",
            f"{app_file.stem}:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--app-dir",
            "/tmp",
        ],
    )
    try:
        os.sched_setaffinity(0, {1})
        url = f"http://127.0.0.1:{port}/v3/mail/send"
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        rows = []
        for concurrency in (1, 16, 64):
            a = asyncio.run(run_httpx(url, concurrency, args.seconds))
            b = asyncio.run(run_aiohttp(url, concurrency, args.seconds))
            rows.append(
                {
                    "concurrency": concurrency,
                    "httpx_rps": round(a),
                    "aiohttp_rps": round(b),
                    "ratio": round(b / a, 2),
                }
            )
        header = ("concurrency", "httpx req/s", "aiohttp req/s", "aiohttp/httpx")
        print(f"{header[0]:>11} {header[1]:>12} {header[2]:>14} {header[3]:>14}")
        for row in rows:
            print(
                f"{row['concurrency']:>11} {row['httpx_rps']:>12} {row['aiohttp_rps']:>14} "
                f"{row['ratio']:>14}"
            )
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps({"rows": rows}, indent=2))
    finally:
        server.terminate()
        server.wait()
        app_file.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
