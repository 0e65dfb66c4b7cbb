"""A load generator: many WebSocket clients on raw asyncio protocols (cheap per message).

Each client checks the sequence numbers it receives and records, per message, the delay
from the server's timestamp to its arrival. Driven over stdin/stdout by the orchestrator:
it prints `ready` once every client is subscribed, then answers `collect <phase> <secs>`
with `collected` when that phase's events have all arrived (or the time is up), and
`report <path>` by writing its figures there.
"""

import array
import asyncio
import json
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any

SEQ = re.compile(rb'"seq":(\d+)')
TS = re.compile(rb'"ts":([0-9.]+)')
HANDSHAKE = (
    "GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n\r\n"
)


def client_frame(data: str | bytes, opcode: int = 0x1) -> bytes:
    """A masked client frame (an all-zero mask leaves the payload as it is)."""
    payload = data.encode() if isinstance(data, str) else data
    assert len(payload) < 126
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + b"\0\0\0\0" + payload


@dataclass
class Phase:
    events: int
    latencies: array.array = field(default_factory=lambda: array.array("d"))
    received: int = 0
    first_ts: float = float("inf")
    last_arrival: float = 0.0


class Load:
    def __init__(self, kind: str, clients: int, events: int, phases: int) -> None:
        self.kind = kind
        self.clients: list[Client] = []
        self.expected_clients = clients
        self.events = events
        self.phases = [Phase(events) for _ in range(phases)]
        self.changed = asyncio.Event()
        self.closed = 0

    def phase_of(self, seq: int) -> Phase | None:
        index = (seq - 1) // self.events
        return self.phases[index] if 0 <= index < len(self.phases) else None


class Client(asyncio.Protocol):
    def __init__(self, load: Load, path: str, host: str, port: int, channel: str) -> None:
        self.load = load
        self.path, self.host, self.port, self.channel = path, host, port, channel
        self.ready = asyncio.get_running_loop().create_future()
        self.buffer = b""
        self.upgraded = False
        self.counts = bytearray(load.events * len(load.phases) + 2)
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        transport.write(HANDSHAKE.format(path=self.path, host=self.host, port=self.port).encode())

    def connection_lost(self, exc: Exception | None) -> None:
        self.load.closed += 1
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("closed before ready"))

    def send(self, data: str | bytes, opcode: int = 0x1) -> None:
        assert self.transport is not None
        self.transport.write(client_frame(data, opcode))

    def data_received(self, data: bytes) -> None:
        now = time.time() * 1000
        buf = self.buffer + data if self.buffer else data
        pos = 0
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                self.buffer = buf
                return
            if not buf.startswith(b"HTTP/1.1 101"):
                self.ready.set_exception(ConnectionError(buf[:200].decode(errors="replace")))
                return
            self.upgraded = True
            pos = end + 4
        size = len(buf)
        while pos + 2 <= size:
            b0, length = buf[pos], buf[pos + 1] & 0x7F
            head = 2
            if length == 126:
                if pos + 4 > size:
                    break
                length = int.from_bytes(buf[pos + 2 : pos + 4], "big")
                head = 4
            elif length == 127:
                if pos + 10 > size:
                    break
                length = int.from_bytes(buf[pos + 2 : pos + 10], "big")
                head = 10
            if pos + head + length > size:
                break
            payload = buf[pos + head : pos + head + length]
            pos += head + length
            opcode = b0 & 0x0F
            if opcode == 0x1:
                self.on_text(payload, now)
            elif opcode == 0x9:
                self.send(payload, 0xA)
        self.buffer = buf[pos:]

    def on_text(self, payload: bytes, now: float) -> None:
        if payload.startswith(b'{"type":"event"') or payload.startswith(b'42["tick"'):
            seq = int(SEQ.search(payload).group(1))  # type: ignore[union-attr]
            ts = float(TS.search(payload).group(1))  # type: ignore[union-attr]
            phase = self.load.phase_of(seq)
            if phase is None:
                return
            self.counts[seq] += 1
            phase.received += 1
            phase.latencies.append(now - ts)
            if ts < phase.first_ts:
                phase.first_ts = ts
            if now > phase.last_arrival:
                phase.last_arrival = now
            if phase.received % 1000 == 0 or phase.received >= self.load.expected_clients:
                self.load.changed.set()
            return
        self.on_control(payload)

    def on_control(self, payload: bytes) -> None:
        kind = self.load.kind
        if kind == "socketio":
            if payload.startswith(b"0{"):
                self.send("40")
            elif payload.startswith(b"40"):
                self.ready.done() or self.ready.set_result(None)
            elif payload == b"2":
                self.send("3")
            return
        frame = json.loads(payload)
        if frame["type"] == "hello":
            self.ready.done() or self.ready.set_result(None)
        elif frame["type"] == "ready":
            self.send(json.dumps({"type": "subscribe", "channel": self.channel}))
        elif frame["type"] == "subscribed":
            self.ready.done() or self.ready.set_result(None)
        elif frame["type"] == "ping":
            self.send('{"type":"pong"}')


async def connect_all(
    load: Load,
    urls: list[tuple[str, int, str]],
    tokens: list[str],
    channels: list[str] | None = None,
    client_class: type[Client] = Client,
) -> None:
    """Connect and subscribe every client: client `i` with `tokens[i]` on `channels[i]`
    (the front desk's channel for all when no channels are given)."""
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(100)

    async def one(i: int) -> None:
        host, port, path = urls[i % len(urls)]
        if tokens:
            path = f"{path}?token={tokens[i]}"
        channel = channels[i] if channels else "department:front_desk"
        async with gate:
            for attempt in range(5):
                try:
                    _, client = await loop.create_connection(
                        lambda: client_class(load, path, host, port, channel), host, port
                    )
                    await asyncio.wait_for(client.ready, 30)
                    load.clients.append(client)
                    return
                except (OSError, ConnectionError, TimeoutError):
                    await asyncio.sleep(0.2 * (attempt + 1))
            raise RuntimeError(f"client {i} could not connect")

    await asyncio.gather(*(one(i) for i in range(load.expected_clients)))


async def collect(load: Load, index: int, timeout: float) -> None:
    phase = load.phases[index]
    wanted = load.expected_clients * phase.events
    deadline = time.monotonic() + timeout
    while phase.received < wanted and time.monotonic() < deadline:
        load.changed.clear()
        try:
            await asyncio.wait_for(load.changed.wait(), max(0.01, deadline - time.monotonic()))
        except TimeoutError:
            break


def report(load: Load, path: str) -> None:
    results = []
    for index, phase in enumerate(load.phases):
        seqs = range(index * load.events + 1, (index + 1) * load.events + 1)
        lost = dup = 0
        for client in load.clients:
            counts = client.counts
            for seq in seqs:
                c = counts[seq]
                lost += c == 0
                dup += max(0, c - 1)
        with open(f"{path}.{index}.lat", "wb") as samples:
            phase.latencies.tofile(samples)
        results.append(
            {
                "received": phase.received,
                "lost": lost,
                "duplicated": dup,
                "first_ts": phase.first_ts,
                "last_arrival": phase.last_arrival,
            }
        )
    with open(path, "w") as out:
        json.dump({"phases": results, "closed": load.closed, "clients": len(load.clients)}, out)


async def main(argv: list[str]) -> None:
    # The spec (with thousands of tokens) comes in a file: too long for a command line.
    raw = argv[0]
    if not raw.startswith("{"):
        with open(raw) as source:
            raw = source.read()
    spec = json.loads(raw)
    load = Load(spec["kind"], spec["clients"], spec["events"], spec["phases"])
    urls = [tuple(u) for u in spec["urls"]]
    await connect_all(load, urls, spec.get("tokens", []))  # type: ignore[arg-type]
    print("ready", flush=True)
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := (await reader.readline()).decode().split():
        if line[0] == "collect":
            await collect(load, int(line[1]), float(line[2]))
            print("collected", flush=True)
        elif line[0] == "report":
            report(load, line[1])
            print("reported", flush=True)
            return


if __name__ == "__main__":
    import uvloop

    uvloop.run(main(sys.argv[1:]))
