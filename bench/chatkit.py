"""The processes of bench/chat.py: the bench hotel (guests, agents, conversations), the
server (the app, with a control port that hands events straight to its realtime hub) and a
load generator (WebSocket clients timing each message's arrival).

    python bench/chatkit.py serve <port> <control port> <conversations file>
    python bench/chatkit.py load <spec file>
"""

import array
import asyncio
import json
import os
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench.ws_fanout import SECRET, raise_fd_limit  # noqa: E402

# Phase 0: straight to the hub; phase 1: through the HTTP API. The body carries the phase
# and the wall-clock time (ms) the message fell due, which every recipient reads back.
BODY = re.compile(rb'"body":"b(\d) ([0-9.]+)')
PHASES = ("hub alone", "HTTP API")


# --- the hotel: guests, agents, conversations ------------------------------------------


async def prepare(url: str, conversations: int, agents: int) -> list[tuple[int, int, int]]:
    """Migrate, then add the guests, agents and conversations; returns (conversation,
    guest, agent) ids."""
    from sqlalchemy import insert, text

    from premier.db import Database
    from premier.kit.time import utcnow
    from premier.messaging.models import Conversation, ConversationParticipant
    from premier.migrations import migrate
    from premier.users.models import User

    database = Database(url)
    try:
        await migrate(database.write_engine)
        now = utcnow()
        users = [
            {
                "id": i,
                "email": f"guest{i}@chat.bench",
                "password_hash": "-",
                "full_name": f"Guest {i}",
                "role": "guest",
            }
            for i in range(1, conversations + 1)
        ]
        users += [
            {
                "id": conversations + a,
                "email": f"agent{a}@chat.bench",
                "password_hash": "-",
                "full_name": f"Agent {a}",
                "role": "staff",
                "department": "front_desk",
            }
            for a in range(1, agents + 1)
        ]
        trios = [(c, c, conversations + 1 + (c - 1) % agents) for c in range(1, conversations + 1)]
        async with database.writing() as session:
            await session.execute(insert(User), users)
            await session.execute(
                insert(Conversation),
                [
                    {
                        "id": c,
                        "type": "guest_staff",
                        "guest_id": g,
                        "department": "front_desk",
                        "assignee_id": a,
                        "assigned_at": now,
                        "status": "open",
                        "subject": "Bench",
                        "last_message_at": now,
                    }
                    for c, g, a in trios
                ],
            )
            await session.execute(
                insert(ConversationParticipant),
                [
                    {"conversation_id": c, "user_id": u, "role": r, "joined_at": now}
                    for c, g, a in trios
                    for u, r in ((g, "guest"), (a, "agent"))
                ],
            )
            await session.commit()
        if not database.is_sqlite:
            async with database.writing() as session:
                for table in ("users", "conversations", "conversation_participants"):
                    await session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
                await session.execute(text("ANALYZE"))
                await session.commit()
        return trios
    finally:
        await database.dispose()


def server_env(url: str, redis: str | None, prefix: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PREMIER_DATABASE_URL": url,
        "PREMIER_SECRET_KEY": SECRET,
        "PREMIER_SEED_DEMO_DATA": "false",
        "PREMIER_RUN_WORKERS_IN_PROCESS": "false",
        "PREMIER_ENVIRONMENT": "production",
        "PREMIER_STATIC_DIR": "/nonexistent",
        "PREMIER_ACCESS_TOKEN_MINUTES": "240",
        # Each sender writes a few a minute here; the cap is not what is measured.
        "PREMIER_MESSAGING_SENDER_PER_MINUTE": "1000000",
        "PREMIER_REDIS_URL": redis or "",
        "PREMIER_REDIS_PREFIX": prefix,
    }
    return env


def tokens(ids: list[int], role: str) -> dict[int, str]:
    from premier.auth.tokens import issue_token
    from premier.config import Settings

    settings = Settings(secret_key=SECRET, access_token_minutes=240)
    return {
        i: issue_token(settings=settings, user_id=i, role=role, token_version=0, kind="access")
        for i in ids
    }


# --- the server process: the app, and a control port to fire events at the hub ----------


async def serve(port: int, control: int, trios_file: str) -> None:
    from wsfan.servers import control_server, uvicorn_server

    from premier.app import create_app, freeze_long_lived_objects
    from premier.config import get_settings
    from premier.events import MessageCreated
    from premier.kit.time import utcnow

    trios = json.loads(Path(trios_file).read_text())
    app = create_app(get_settings())
    freeze_long_lived_objects()
    fired = 0
    text = "x" * 60

    async def fire(n: int) -> None:
        """The event a sent message makes, straight to the hub."""
        nonlocal fired
        for _ in range(n):
            conversation, guest, agent = trios[fired % len(trios)]
            fired += 1
            sender = guest if fired % 2 else agent
            await app.state.realtime.on_event(
                MessageCreated(
                    message_id=fired,
                    conversation_id=conversation,
                    sender_id=sender,
                    sender_name="Bench",
                    kind="message",
                    body=f"b0 {time.time() * 1000:.3f} {text}",
                    created_at=utcnow(),
                    department="front_desk",
                    recipient_ids=[guest, agent],
                )
            )

    await control_server(control, fire)
    await uvicorn_server(app, port).serve()


# --- the load-generator process: WebSocket clients timing each arrival -------------------


def loader_main(spec_file: str) -> None:
    import uvloop
    from wsfan import loadgen

    class Recipient(loadgen.Client):
        def on_text(self, payload: bytes, now: float) -> None:
            if not payload.startswith(b'{"type":"event"'):
                self.on_control(payload)
                return
            found = BODY.search(payload)
            ts = loadgen.TS.search(payload)
            if found is None or ts is None:
                return
            phase = int(found.group(1))
            samples[phase].append(now - float(found.group(2)))
            hub[phase].append(now - float(ts.group(1)))
            last[phase] = time.monotonic()

    samples = [array.array("d") for _ in PHASES]
    hub = [array.array("d") for _ in PHASES]
    last = [0.0 for _ in PHASES]

    async def run() -> None:
        spec = json.loads(Path(spec_file).read_text())
        load = loadgen.Load("ours", len(spec["tokens"]), 1, len(PHASES))
        urls = [tuple(u) for u in spec["urls"]]
        await loadgen.connect_all(
            load,
            urls,
            spec["tokens"],
            spec["channels"],  # type: ignore[arg-type]
            Recipient,
        )
        print("ready", flush=True)
        reader = asyncio.StreamReader()
        loop = asyncio.get_running_loop()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while line := (await reader.readline()).decode().split():
            if line[0] == "collect":  # until nothing more came for a second
                phase, deadline = int(line[1]), time.monotonic() + float(line[2])
                while time.monotonic() < deadline and time.monotonic() - last[phase] < 1.0:
                    await asyncio.sleep(0.1)
                print("collected", flush=True)
            elif line[0] == "report":
                for phase in range(len(PHASES)):
                    Path(f"{line[1]}.{phase}.lat").write_bytes(samples[phase].tobytes())
                    Path(f"{line[1]}.{phase}.hub").write_bytes(hub[phase].tobytes())
                Path(line[1]).write_text(json.dumps({"closed": load.closed}))
                print("reported", flush=True)
                return

    uvloop.run(run())


def main() -> None:
    if len(sys.argv) < 3:  # run on its own (`make bench` runs every script): nothing to do
        print(__doc__)
        return
    raise_fd_limit()
    if sys.argv[1] == "serve":
        import uvloop

        uvloop.run(serve(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
    else:
        loader_main(sys.argv[2])


if __name__ == "__main__":
    main()
