"""Guest ↔ staff chat at scale: messages sent through the HTTP API at a steady rate, timed
from the moment each was due to its arrival at every recipient's WebSocket.

N conversations (default 1,000), each between a guest and the front-desk agent it is
assigned to; M WebSocket clients (default 2,000): one per guest, the rest spread over the
agents (several tabs each when there are fewer agents than staff clients), each listening
on its own user channel as the web app does. Messages go out at R a second for D seconds
through `POST /api/v1/messages/send`, senders alternating between guest and agent, on
keep-alive connections in an open loop (a slow answer does not slow the arrivals).

Beside it, in the same run and to the same sockets, the raw limit: the same
`message.created` events at the same rate handed straight to the realtime hub inside the
server (no HTTP, no authentication, no database), so the difference between the two rows
is what sending through the API costs.

Server (one uvicorn process, pinned to core 0) on PostgreSQL, with Redis when one answers
(`--redis-url`, `--no-redis`); the WebSocket clients in two load-generator processes and
the sender in this one, on core 1. Prints a table, writes bench/results/chat.json with
the machine's load averages before and after (others may be using it).

    .venv/bin/python bench/chat.py [--conversations 1000] [--clients 2000] [--rate 500]
        [--seconds 20] [--agents N] [--database-url postgresql://…/server]
        [--redis-url redis://127.0.0.1:6379/5 | --no-redis] [--connections 64]
"""

import argparse
import array
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench.api_load import fresh_postgres  # noqa: E402
from bench.chatkit import PHASES, prepare, server_env, tokens  # noqa: E402
from bench.loadgen import LoadResult, run_paced  # noqa: E402
from bench.ws_fanout import (  # noqa: E402
    Loader,
    cpu_seconds,
    free_port,
    percentile,
    pinned,
    raise_fd_limit,
)

RESULTS = HERE / "results" / "chat.json"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "chatbench"
TARGET_P99_MS = 200.0
IDLE_SECONDS = 5.0
LOADERS = 2


# --- the orchestrator ------------------------------------------------------------------


def start_server(env: dict[str, str], port: int, control: int, trios_file: Path) -> Any:
    return subprocess.Popen(
        [
            *pinned(0),
            sys.executable,
            str(HERE / "chatkit.py"),
            "serve",
            str(port),
            str(control),
            str(trios_file),
        ],
        env=env,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )


async def wait_serving(process: Any, *ports: int) -> None:
    for _ in range(3000):  # importing the app takes a while on a busy machine
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read() if process.stderr else ''}")
        try:
            for port in ports:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)  # polling a port that is not open yet
    raise RuntimeError("server did not start")


async def fire_paced(control: int, count: int, rate: float) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", control)
    writer.write(f"paced {count} {rate}\n".encode())
    await writer.drain()
    await reader.readline()
    writer.close()


def summarize(
    name: str,
    latencies: array.array,
    hub: array.array,
    expected: int,
    sent_ok: int,
    sent: int,
    seconds: float,
    cpu: float,
) -> dict[str, Any]:
    ordered = sorted(latencies)
    fan = sorted(hub)
    return {
        "path": name,
        "messages": sent,
        "accepted": sent_ok,
        "msg_per_s": round(sent / seconds, 1) if seconds else 0,
        "deliveries": len(ordered),
        "expected_deliveries": expected,
        "p50_ms": round(percentile(ordered, 0.50), 1),
        "p95_ms": round(percentile(ordered, 0.95), 1),
        "p99_ms": round(percentile(ordered, 0.99), 1),
        "max_ms": round(ordered[-1], 1) if ordered else None,
        # From the hub taking the event (after commit) to arrival: the fan-out's share.
        "hub_to_socket_p50_ms": round(percentile(fan, 0.50), 1),
        "hub_to_socket_p99_ms": round(percentile(fan, 0.99), 1),
        # Beyond what the idle sockets cost meanwhile.
        "server_cpu_s": round(cpu, 2),
        "server_cpu_ms_per_msg": round(max(cpu, 0.0) * 1000 / sent, 2) if sent else None,
    }


async def orchestrate(args: argparse.Namespace) -> dict[str, Any]:
    raise_fd_limit()
    conversations, clients = args.conversations, args.clients
    if clients < conversations + 1:
        raise SystemExit("--clients must exceed --conversations (one per guest, the rest staff)")
    staff_sockets = clients - conversations
    agents = args.agents or min(staff_sockets, conversations)
    redis = None if args.no_redis else args.redis_url
    if redis and not await redis_answers(redis):
        print(f"no Redis at {redis}: running without", file=sys.stderr)
        redis = None
    prefix = f"chatbench-{uuid.uuid4().hex[:8]}"
    url = await fresh_postgres(args.database_url, DATABASE)
    print(f"... preparing {conversations} conversations, {agents} agents", file=sys.stderr)
    trios = await prepare(url, conversations, agents)
    guests = [g for _, g, _ in trios]
    agent_ids = sorted({a for _, _, a in trios})
    guest_tokens = tokens(guests, "guest")
    agent_tokens = tokens(agent_ids, "staff")
    # Sockets: one per guest, the staff ones round-robin over the agents (their tabs).
    sockets = [(g, guest_tokens[g]) for g in guests]
    sockets += [
        (agent_ids[i % len(agent_ids)], agent_tokens[agent_ids[i % len(agent_ids)]])
        for i in range(staff_sockets)
    ]
    per_user: dict[int, int] = {}
    for user, _ in sockets:
        per_user[user] = per_user.get(user, 0) + 1
    load_before = os.getloadavg()
    port, control = free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trios_file = folder / "trios.json"
        trios_file.write_text(json.dumps(trios))
        server = start_server(server_env(url, redis, prefix), port, control, trios_file)
        loaders: list[Loader] = []
        try:
            await wait_serving(server, port, control)
            share = -(-len(sockets) // LOADERS)
            print(f"... connecting {len(sockets)} WebSocket clients", file=sys.stderr)
            started = time.monotonic()
            for i in range(LOADERS):
                mine = sockets[i * share : (i + 1) * share]
                spec = {
                    "urls": [["127.0.0.1", port, "/api/v1/ws"]],
                    "tokens": [t for _, t in mine],
                    "channels": [f"user:{u}" for u, _ in mine],
                }
                command = [sys.executable, str(HERE / "chatkit.py"), "load"]
                loaders.append(Loader(spec, folder, command))
            await asyncio.gather(*(loader.expect("ready", 900) for loader in loaders))
            connect_s = time.monotonic() - started
            # What the open sockets cost with nothing sent (pings, re-checks), to take out
            # of each phase's CPU.
            cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
            await asyncio.sleep(IDLE_SECONDS)
            idle_cpu = (cpu_seconds(server.pid) - cpu0) / (time.monotonic() - t0)
            count = int(args.rate * args.seconds)
            rows = []

            # Phase 0: the raw limit, straight to the hub inside the server.
            print(f"... {PHASES[0]}: {count} messages at {args.rate:g}/s", file=sys.stderr)
            cpu0 = cpu_seconds(server.pid)
            t0 = time.monotonic()
            await fire_paced(control, count, args.rate)
            fire_seconds = time.monotonic() - t0
            await collect(loaders, 0)
            hub_cpu = cpu_seconds(server.pid) - cpu0 - idle_cpu * (time.monotonic() - t0)

            # Phase 1: through the HTTP API.
            print(f"... {PHASES[1]}: {count} messages at {args.rate:g}/s", file=sys.stderr)
            cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
            sent = await send_through_api(
                f"http://127.0.0.1:{port}", trios, guest_tokens, agent_tokens, args
            )
            await collect(loaders, 1)
            api_cpu = cpu_seconds(server.pid) - cpu0 - idle_cpu * (time.monotonic() - t0)

            reports = []
            for i, loader in enumerate(loaders):
                path = folder / f"report-{i}.json"
                loader.tell(f"report {path}")
                await loader.expect("reported", 120)
                reports.append(path)
            deliveries_per_message = [per_user.get(g, 0) + per_user.get(a, 0) for _, g, a in trios]
            expected = sum(deliveries_per_message[i % len(trios)] for i in range(count))
            accepted = sent.statuses.get(201, 0)
            expected_api = round(expected * accepted / count) if count else 0
            for phase, (cpu, seconds, ok) in enumerate(
                ((hub_cpu, fire_seconds, count), (api_cpu, sent.seconds, accepted))
            ):
                lat, hub = array.array("d"), array.array("d")
                for path in reports:
                    lat.frombytes(Path(f"{path}.{phase}.lat").read_bytes())
                    hub.frombytes(Path(f"{path}.{phase}.hub").read_bytes())
                rows.append(
                    summarize(
                        PHASES[phase],
                        lat,
                        hub,
                        expected if phase == 0 else expected_api,
                        ok,
                        count,
                        seconds,
                        cpu,
                    )
                )
            rows[1]["http_p50_ms"] = round(sent.percentile(50), 1)
            rows[1]["http_p99_ms"] = round(sent.percentile(99), 1)
            rows[1]["statuses"] = {str(k): v for k, v in sorted(sent.statuses.items())}
            disconnected = sum(json.loads(p.read_text())["closed"] for p in reports)
        finally:
            for loader in loaders:
                loader.stop()
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
            if redis:
                await forget_redis_keys(redis, prefix)
    return {
        "machine_cpus": os.cpu_count(),
        "load_avg_before": [round(x, 2) for x in load_before],
        "load_avg_after": [round(x, 2) for x in os.getloadavg()],
        "database": "postgresql",
        "redis": bool(redis),
        "conversations": conversations,
        "clients": len(sockets),
        "agents": len(agent_ids),
        "rate": args.rate,
        "seconds": args.seconds,
        "connect_s": round(connect_s, 1),
        "idle_server_cpu_per_s": round(idle_cpu, 3),
        "disconnected": disconnected,
        "target_p99_ms": TARGET_P99_MS,
        "runs": rows,
    }


async def collect(loaders: list[Loader], phase: int) -> None:
    for loader in loaders:
        loader.tell(f"collect {phase} 60")
    await asyncio.gather(*(loader.expect("collected", 90) for loader in loaders))


async def send_through_api(
    base: str,
    trios: list[tuple[int, int, int]],
    guest_tokens: dict[int, str],
    agent_tokens: dict[int, str],
    args: argparse.Namespace,
) -> LoadResult:
    text = "x" * 60
    run = uuid.uuid4().hex[:8]
    headers = {c: {"Authorization": f"Bearer {guest_tokens[g]}"} for c, g, _ in trios}
    agent_headers = {c: {"Authorization": f"Bearer {agent_tokens[a]}"} for c, _, a in trios}

    def request(i: int) -> tuple[str, str, dict[str, Any] | None, dict[str, str]]:
        conversation = trios[i % len(trios)][0]
        # As the hub phase: odd messages from the guest, even ones from the agent.
        by = headers if (i + 1) % 2 else agent_headers
        body = {
            "conversation_id": conversation,
            "client_message_id": f"{run}-{i}",
            "body": f"b1 {time.time() * 1000:.3f} {text}",
        }
        return "POST", "/api/v1/messages/send", body, by[conversation]

    return await run_paced(
        "send", base, request, rate=args.rate, seconds=args.seconds, connections=args.connections
    )


async def redis_answers(url: str) -> bool:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=2)
    try:
        return bool(await client.ping())
    except Exception:
        return False
    finally:
        await client.aclose()


async def forget_redis_keys(url: str, prefix: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def print_table(result: dict[str, Any]) -> None:
    print(
        f"{result['conversations']} conversations, {result['clients']} WebSocket clients "
        f"({result['agents']} agents), {result['rate']:g} msg/s for {result['seconds']:g} s, "
        f"PostgreSQL{' + Redis' if result['redis'] else ''}; load average "
        f"{result['load_avg_before'][0]} before, {result['load_avg_after'][0]} after, on "
        f"{result['machine_cpus']} cores"
    )
    head = (
        f"{'path':<10}{'msg/s':>8}{'delivered':>11}{'of':>9}{'p50 ms':>10}{'p95':>10}"
        f"{'p99':>10}{'max':>10}{'hub→ws p99':>11}{'CPU ms/msg':>11}"
    )
    print(head)
    print("-" * len(head))
    for r in result["runs"]:
        print(
            f"{r['path']:<10}{r['msg_per_s']:>8}{r['deliveries']:>11}"
            f"{r['expected_deliveries']:>9}{r['p50_ms']:>10}{r['p95_ms']:>10}{r['p99_ms']:>10}"
            f"{r['max_ms']:>10}{r['hub_to_socket_p99_ms']:>11}{r['server_cpu_ms_per_msg']:>11}"
        )
    api = result["runs"][1]
    verdict = "meets" if api["p99_ms"] <= result["target_p99_ms"] else "misses"
    print(
        f"\nHTTP send p50 {api['http_p50_ms']} ms, p99 {api['http_p99_ms']} ms; statuses "
        f"{api['statuses']}; {result['disconnected']} sockets closed during the run"
    )
    print(
        f"send→deliver p99 {api['p99_ms']} ms {verdict} the {result['target_p99_ms']:g} ms "
        f"target (hub alone: {result['runs'][0]['p99_ms']} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=500.0, help="messages a second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--agents",
        type=int,
        default=0,
        help="front-desk agents (default: one per staff socket, at most one per conversation)",
    )
    parser.add_argument("--connections", type=int, default=64, help="HTTP connections")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("PREMIER_BENCH_PG", PG_SERVER),
        help=f"a PostgreSQL server; the bench makes database {DATABASE!r}",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("PREMIER_BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
    )
    parser.add_argument("--no-redis", action="store_true")
    result = asyncio.run(orchestrate(parser.parse_args()))
    print_table(result)
    # One entry per size: a run at another size or rate keeps the others.
    size = ("conversations", "clients", "agents", "rate", "seconds", "redis")
    earlier = json.loads(RESULTS.read_text())["results"] if RESULTS.is_file() else []
    kept = [r for r in earlier if any(r.get(k) != result[k] for k in size)]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"results": [*kept, result]}, indent=2) + "\n")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
