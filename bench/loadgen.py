"""A small keep-alive HTTP/1.1 load generator on raw asyncio streams.

httpx's client tops out near 1k req/s on this kind of machine, well below what the server
can take, so it would measure itself; this one stays out of the way.
"""

import asyncio
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

RequestFactory = Callable[[int], tuple[str, str, dict[str, Any] | None, dict[str, str]]]


@dataclass
class LoadResult:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def summary(self) -> dict[str, Any]:
        return {
            "scenario": self.name,
            "requests": self.requests,
            "req_per_s": round(self.rate, 1),
            "p50_ms": round(self.percentile(50), 2),
            "p99_ms": round(self.percentile(99), 2),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 2) if self.latencies_ms else 0,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


def _encode(method: str, path: str, host: str, body: dict[str, Any] | None,
            headers: dict[str, str]) -> bytes:  # fmt: skip
    payload = json.dumps(body).encode() if body is not None else b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    body = await reader.readexactly(length) if length else b""
    return status, body


async def run_load(
    name: str,
    base_url: str,
    make_request: RequestFactory,
    *,
    concurrency: int,
    seconds: float,
    warmup_seconds: float = 1.0,
) -> LoadResult:
    """`concurrency` connections each send requests back to back for `seconds`."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    counter = iter(range(10**12))
    start = time.perf_counter()
    measure_from = start + warmup_seconds
    stop_at = measure_from + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (now := time.perf_counter()) < stop_at:
                method, path, body, headers = make_request(next(counter))
                writer.write(_encode(method, path, f"{host}:{port}", body, headers))
                sent = time.perf_counter()
                status, _ = await _read_response(reader)
                if sent >= measure_from:
                    latencies.append((time.perf_counter() - sent) * 1000)
                    statuses[status] += 1
                del now
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return LoadResult(name, len(latencies), seconds, latencies, statuses)


async def run_paced(
    name: str,
    base_url: str,
    make_request: RequestFactory,
    *,
    rate: float,
    seconds: float,
    connections: int,
) -> LoadResult:
    """Open loop: request `i` falls due at `i / rate` seconds whatever the server answered
    before, and goes out on the next free one of `connections` keep-alive connections. Its
    latency counts from when it fell due, so a server that falls behind shows it (a closed
    loop would slow down with it and hide the wait). `make_request` is called when the
    request falls due."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    due: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    total = int(rate * seconds)

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (item := await due.get()) is not None:
                fell_due, request = item
                writer.write(request)
                status, _ = await _read_response(reader)
                latencies.append((time.perf_counter() - fell_due) * 1000)
                statuses[status] += 1
        finally:
            writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(connections)]
    start = time.perf_counter()
    for i in range(total):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        method, path, body, headers = make_request(i)
        due.put_nowait((start + i / rate, _encode(method, path, f"{host}:{port}", body, headers)))
    for _ in workers:
        due.put_nowait(None)
    await asyncio.gather(*workers)
    return LoadResult(name, len(latencies), time.perf_counter() - start, latencies, statuses)
