"""WebSocket fan-out: our hub against the `websockets` floor, naive Starlette and Socket.IO.

One command, bounded in time: for each server and each client count, N clients subscribe
(ours: each with its own JWT, on an authorized department channel, with resume history
on), then the server fires 200 events of ~200 bytes paced at 10/s and then as a burst.
Server on core 0 (`taskset -c 0`), load generators in two processes on core 1. Reports
delivered msg/s, delivery latency (server timestamp to client receipt) p50/p99/max, lost
and duplicated events (from sequence numbers), server RSS per connection, and the ratios
of ours to each peer; then one instance against two behind Redis.

    python bench/ws_fanout.py [--clients 1000,5000] [--events 200] [--rate 10]
                              [--servers ours,websockets,starlette,socketio] [--no-redis]
                              [--merge]
"""

import argparse
import array
import asyncio
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "ws_fanout.json"
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
PYTHON = sys.executable
LOADERS = 2


def raise_fd_limit() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pinned(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") and os.cpu_count() != 1 else []


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process: unlike wall time, not inflated by other load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def prepare_database(url: str, users: int) -> None:
    """Migrate, then create `users` front-desk staff accounts with ids 1..users."""
    from sqlalchemy import insert

    from premier.db import Database
    from premier.migrations import migrate
    from premier.users.models import User

    database = Database(url)
    await migrate(database.write_engine)
    rows = [
        {
            "id": i,
            "email": f"staff{i}@bench.test",
            "password_hash": "-",
            "full_name": "S",
            "role": "staff",
            "department": "front_desk",
        }
        for i in range(1, users + 1)
    ]
    async with database.writing() as session:
        await session.execute(insert(User), rows)
        await session.commit()
    await database.dispose()


def tokens(count: int) -> list[str]:
    import jwt

    exp = int(time.time()) + 3600
    return [
        jwt.encode(
            {
                "sub": str(i),
                "role": "staff",
                "ver": 0,
                "kind": "access",
                "iat": int(time.time()),
                "exp": exp,
            },
            SECRET,
            algorithm="HS256",
        )
        for i in range(1, count + 1)
    ]


class Server:
    def __init__(self, kind: str, env: dict[str, str]) -> None:
        self.kind = kind
        self.port, self.control = free_port(), free_port()
        self.process = subprocess.Popen(
            [
                *pinned(0),
                PYTHON,
                str(HERE / "ws_fanout.py"),
                "serve",
                kind,
                str(self.port),
                str(self.control),
            ],
            env={**os.environ, **env},
            cwd=ROOT,
        )

    async def wait_ready(self) -> None:
        for _ in range(3000):  # importing the app takes long on a busy machine
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                _, writer = await asyncio.open_connection("127.0.0.1", self.control)
                writer.close()
                return
            except OSError:
                await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.kind} server did not start")

    async def fire(self, command: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.control)
        writer.write(command.encode() + b"\n")
        await writer.drain()
        await reader.readline()
        writer.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Loader:
    """A load-generator process on core 1, given its spec in a file; `command` runs it
    (wsfan/loadgen.py unless another bench brings its own)."""

    def __init__(
        self, spec: dict[str, Any], folder: Path, command: list[str] | None = None
    ) -> None:
        path = folder / f"loader-{time.time_ns()}.json"
        path.write_text(json.dumps(spec))
        command = command or [PYTHON, str(HERE / "wsfan" / "loadgen.py")]
        self.process = subprocess.Popen(
            [*pinned(1), *command, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    async def expect(self, word: str, timeout: float) -> None:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(self.process.stdout.readline), timeout)
        if line.strip() != word:
            raise RuntimeError(f"load generator said {line!r}, expected {word}")

    def tell(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))]


async def run_one(
    kind: str,
    clients: int,
    *,
    events: int,
    rate: float,
    instances: int,
    redis: str | None,
    folder: Path,
) -> dict[str, Any]:
    env: dict[str, str] = {}
    run_tokens: list[str] = []
    if kind == "ours":
        db = folder / f"bench-{clients}-{instances}-{time.time_ns()}.db"
        url = f"sqlite+aiosqlite:///{db}"
        await prepare_database(url, clients)
        env = {
            "PREMIER_DATABASE_URL": url,
            "PREMIER_SECRET_KEY": SECRET,
            "PREMIER_SEED_DEMO_DATA": "false",
            "PREMIER_RUN_WORKERS_IN_PROCESS": "false",
            "PREMIER_ENVIRONMENT": "production",
            "PREMIER_REALTIME_PING_SECONDS": "20",
            "PREMIER_STATIC_DIR": str(folder / "none"),
        }
        if redis:
            env |= {"PREMIER_REDIS_URL": redis, "PREMIER_REDIS_PREFIX": f"bench-{time.time_ns()}"}
        run_tokens = tokens(clients)
    servers = [Server(kind, env) for _ in range(instances)]
    loaders: list[Loader] = []
    try:
        await asyncio.gather(*(s.wait_ready() for s in servers))
        await asyncio.sleep(0.5)
        rss_before = sum(rss_kb(s.process.pid) for s in servers)
        from wsfan.servers import PATHS

        urls = [("127.0.0.1", s.port, PATHS[kind]) for s in servers]
        share = clients // LOADERS
        started = time.monotonic()
        for i in range(LOADERS):
            spec = {
                "kind": kind,
                "clients": share,
                "events": events,
                "phases": 2,
                "urls": urls,
                "tokens": run_tokens[i * share : (i + 1) * share],
            }
            loaders.append(Loader(spec, folder))
        await asyncio.gather(*(loader.expect("ready", 600) for loader in loaders))
        connect_seconds = time.monotonic() - started
        rss_after = sum(rss_kb(s.process.pid) for s in servers)
        cpu = []
        for index, command in enumerate((f"paced {events} {rate}", f"burst {events}")):
            used = sum(cpu_seconds(s.process.pid) for s in servers)
            await servers[0].fire(command)
            for loader in loaders:
                loader.tell(f"collect {index} 30")
            await asyncio.gather(*(loader.expect("collected", 60) for loader in loaders))
            cpu.append(sum(cpu_seconds(s.process.pid) for s in servers) - used)
        reports = []
        for i, loader in enumerate(loaders):
            path = folder / f"report-{i}.json"
            loader.tell(f"report {path}")
            await loader.expect("reported", 60)
            reports.append((path, json.loads(path.read_text())))
        result: dict[str, Any] = {
            "server": kind if instances == 1 else f"{kind} x{instances}",
            "redis": bool(redis),
            "clients": clients,
            "connect_s": round(connect_seconds, 1),
            "rss_per_conn_kb": round((rss_after - rss_before) / clients, 1),
            "disconnected": sum(r["closed"] for _, r in reports),
        }
        for index, name in enumerate(("paced", "burst")):
            latencies = array.array("d")
            for path, _ in reports:
                latencies.frombytes(Path(f"{path}.{index}.lat").read_bytes())
            ordered = sorted(latencies)
            got = [r["phases"][index] for _, r in reports]
            received = sum(g["received"] for g in got)
            first = min(g["first_ts"] for g in got)
            last = max(g["last_arrival"] for g in got)
            span = max(last - first, 1e-3) / 1000
            result[name] = {
                "delivered": received,
                "expected": clients * events,
                "msg_per_s": round(received / span),
                "p50_ms": round(percentile(ordered, 0.50), 1),
                "p99_ms": round(percentile(ordered, 0.99), 1),
                "max_ms": round(ordered[-1], 1) if ordered else None,
                "server_cpu_us_per_msg": round(cpu[index] * 1e6 / max(received, 1), 1),
                "lost": sum(g["lost"] for g in got),
                "duplicated": sum(g["duplicated"] for g in got),
            }
        return result
    finally:
        for loader in loaders:
            loader.stop()
        for server in servers:
            server.stop()


def print_table(rows: list[dict[str, Any]]) -> None:
    head = (
        f"{'server':<16}{'clients':>8}{'burst msg/s':>12}{'b p50':>8}{'b p99':>8}"
        f"{'b max':>8}{'paced p50':>10}{'p99':>8}{'max':>8}{'lost':>7}{'dup':>6}"
        f"{'KB/conn':>9}{'conn s':>8}{'b us/msg':>10}{'p us/msg':>10}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        b, p = r["burst"], r["paced"]
        lost = b["lost"] + p["lost"]
        dup = b["duplicated"] + p["duplicated"]
        print(
            f"{r['server']:<16}{r['clients']:>8}{b['msg_per_s']:>12,}{b['p50_ms']:>8}"
            f"{b['p99_ms']:>8}{b['max_ms']:>8}{p['p50_ms']:>10}{p['p99_ms']:>8}"
            f"{p['max_ms']:>8}{lost:>7}{dup:>6}{r['rss_per_conn_kb']:>9}{r['connect_s']:>8}"
            f"{b['server_cpu_us_per_msg']:>10}{p['server_cpu_us_per_msg']:>10}"
        )


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for ours in (r for r in rows if r["server"] == "ours" and not r["redis"]):
        for peer in (r for r in rows if r["clients"] == ours["clients"]):
            if peer["server"] in ("ours",) or peer["redis"]:
                continue
            out.append(
                {
                    "clients": ours["clients"],
                    "peer": peer["server"],
                    "burst_msg_per_s": ratio(
                        ours["burst"]["msg_per_s"], peer["burst"]["msg_per_s"]
                    ),
                    "paced_p99": ratio(ours["paced"]["p99_ms"], peer["paced"]["p99_ms"]),
                    "rss_per_conn": ratio(ours["rss_per_conn_kb"], peer["rss_per_conn_kb"]),
                    "connect_s": ratio(ours["connect_s"], peer["connect_s"]),
                    "burst_cpu_per_msg": ratio(
                        ours["burst"]["server_cpu_us_per_msg"],
                        peer["burst"]["server_cpu_us_per_msg"],
                    ),
                    "paced_cpu_per_msg": ratio(
                        ours["paced"]["server_cpu_us_per_msg"],
                        peer["paced"]["server_cpu_us_per_msg"],
                    ),
                }
            )
    return out


async def orchestrate(args: argparse.Namespace) -> None:
    raise_fd_limit()
    sys.path.insert(0, str(HERE))
    rows: list[dict[str, Any]] = []
    sizes = [int(n) for n in args.clients.split(",")]
    kinds = args.servers.split(",")
    redis = (
        None
        if args.no_redis
        else os.environ.get("PREMIER_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = [(kind, n, 1, None) for n in sizes for kind in kinds]
        if redis and "ours" in kinds:
            plan += [("ours", n, count, redis) for n in sizes for count in (1, 2)]
        for kind, n, count, via in plan:
            label = f"{kind} x{count}{' redis' if via else ''} {n} clients"
            print(f"... {label}", file=sys.stderr, flush=True)
            try:
                row = await asyncio.wait_for(
                    run_one(
                        kind,
                        n,
                        events=args.events,
                        rate=args.rate,
                        instances=count,
                        redis=via,
                        folder=folder,
                    ),
                    timeout=900,  # a busy machine connects and starts slowly
                )
            except Exception as exc:
                print(f"    {label} failed: {exc!r}", file=sys.stderr)
                continue
            if via:
                row["server"] = f"ours x{count} redis"
            rows.append(row)
    if args.merge and RESULTS.is_file():
        # Keep earlier runs of the other configurations (e.g. after re-running one size).
        fresh = {(r["server"], r["clients"]) for r in rows}
        earlier = json.loads(RESULTS.read_text())["runs"]
        rows = [r for r in earlier if (r["server"], r["clients"]) not in fresh] + rows
        rows.sort(key=lambda r: (r["clients"], "redis" in r["server"], r["server"] != "ours"))
    print_table(rows)
    compared = ratios(rows)
    print("\nours / peer   (msg/s: higher is better; p99 and memory: lower is better)")
    for c in compared:
        print(
            f"  {c['clients']:>5} clients vs {c['peer']:<11} "
            f"burst msg/s x{c['burst_msg_per_s']:<6} paced p99 x{c['paced_p99']:<6} "
            f"RSS/conn x{c['rss_per_conn']:<6} connect x{c['connect_s']:<6} "
            f"CPU/msg burst x{c['burst_cpu_per_msg']:<6} paced x{c['paced_cpu_per_msg']}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine_cpus": os.cpu_count(),
                "events": args.events,
                "rate": args.rate,
                "runs": rows,
                "ratios": compared,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        import uvloop

        sys.path.insert(0, str(HERE))
        raise_fd_limit()
        from wsfan.servers import SERVERS

        kind, port, control = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        uvloop.run(SERVERS[kind](port, control))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="1000,5000")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--servers", default="ours,websockets,starlette,socketio")
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--merge", action="store_true", help="keep other runs in the JSON")
    asyncio.run(orchestrate(parser.parse_args()))


if __name__ == "__main__":
    main()
