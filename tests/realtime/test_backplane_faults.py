"""Redis outages, restarts and a busy port, with two real uvicorn processes and a real Redis.

One instance reaches Redis through a TCP proxy the test cuts, as a network fault or a
Redis restart would cut it; the other reaches Redis directly.
"""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import make_room_type, make_user
from tests.realtime.instances import REDIS_URL, Instance, book, login
from tests.realtime.tcp_proxy import TcpProxy, tcp_proxy
from tests.realtime.test_socket import stay
from tests.realtime.wsclient import Client, ws_client

pytestmark = [
    pytest.mark.skipif(
        not REDIS_URL, reason="Redis fault tests need a real Redis: set PREMIER_TEST_REDIS_URL"
    ),
    pytest.mark.timeout(600),  # two app processes start, each importing the whole app
]

CHANNEL = "department:front_desk"
# Generous: a reconnecting listener backs off up to seconds, and the machine may be busy.
WAIT_SECONDS = 90.0


def through(proxy: TcpProxy) -> str:
    """The Redis URL, by way of the proxy."""
    parts = urlsplit(REDIS_URL or "")
    return parts._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()


@asynccontextmanager
async def redis_proxy() -> AsyncIterator[TcpProxy]:
    parts = urlsplit(REDIS_URL or "")
    async with tcp_proxy(parts.hostname or "127.0.0.1", parts.port or 6379) as proxy:
        yield proxy


@asynccontextmanager
async def running(*instances: Instance, healthy: bool = True) -> AsyncIterator[None]:
    try:
        await asyncio.gather(*(i.wait_ready(healthy=healthy) for i in instances))
        yield
    finally:
        for instance in instances:
            instance.stop()


async def people(database: Database, instance: Instance) -> tuple[int, dict[str, str], str]:
    """A room type, a signed-in guest who books, and a front-desk token that listens."""
    room_type = await make_room_type(database, rooms=20)
    await make_user(database, email="guest@faults.test")
    await make_user(database, email="desk@faults.test", role=Role.STAFF,
                    department=Department.FRONT_DESK)  # fmt: skip
    guest = await login(instance, "guest@faults.test")
    desk = await login(instance, "desk@faults.test")
    return room_type, guest, desk["Authorization"].removeprefix("Bearer ")


async def frames_until(client: Client, count: int) -> list[dict[str, Any]]:
    """The next `count` event or resync frames of the channel."""
    seen: list[dict[str, Any]] = []
    while len(seen) < count:
        frame = await client.recv(timeout=WAIT_SECONDS)
        if frame["type"] in ("event", "resync"):
            seen.append(frame)
    return seen


async def test_a_client_of_an_instance_cut_off_from_redis_still_gets_every_event_in_order(
    database: Database, database_url: str, prefix: str, tmp_path: Path
) -> None:
    async with redis_proxy() as proxy:
        a = Instance(database_url=database_url, prefix=prefix, folder=tmp_path)
        c = Instance(database_url=database_url, prefix=prefix, folder=tmp_path,
                     redis_url=through(proxy))  # fmt: skip
        async with running(a, c):
            room_type, guest, token = await people(database, a)
            async with ws_client(f"{c.ws}/api/v1/ws", token=token) as on_c:
                await on_c.subscribe(CHANNEL)
                await book(a, guest, stay(room_type, start=1))
                first = await frames_until(on_c, 1)

                proxy.cut()  # C's link to Redis is down while five bookings are made on A
                check_ins = [stay(room_type, start=s)["check_in"] for s in range(2, 7)]
                for start in range(2, 7):
                    await book(a, guest, stay(room_type, start=start))
                proxy.restore()
                await book(a, guest, stay(room_type, start=7))

                frames = first + await frames_until(on_c, 6)
                assert [f["type"] for f in frames] == ["event"] * 7, frames
                assert [f["seq"] for f in frames] == list(range(1, 8))
                assert len({f["id"] for f in frames}) == 7
                assert [f["data"]["check_in"] for f in frames[1:6]] == check_ins
                await on_c.barrier()


async def test_the_first_subscribe_after_redis_returns_succeeds(
    database: Database, database_url: str, prefix: str, tmp_path: Path
) -> None:
    async with redis_proxy() as proxy:
        a = Instance(database_url=database_url, prefix=prefix, folder=tmp_path)
        c = Instance(database_url=database_url, prefix=prefix, folder=tmp_path,
                     redis_url=through(proxy))  # fmt: skip
        async with running(a, c):
            room_type, guest, token = await people(database, a)
            async with ws_client(f"{c.ws}/api/v1/ws", token=token) as on_c:
                # A subscription reads from Redis through C's pool of connections...
                assert (await on_c.subscribe(CHANNEL))["type"] == "subscribed"
                await on_c.send({"type": "unsubscribe", "channel": CHANNEL})
                await on_c.expect("unsubscribed")
                # ...whose connection then breaks with the outage.
                proxy.cut()
                proxy.restore()
                answer = await on_c.subscribe(CHANNEL)
                assert answer["type"] == "subscribed", answer
                await book(a, guest, stay(room_type, start=1))
                (event,) = await frames_until(on_c, 1)
                assert (event["type"], event["seq"]) == ("event", 1)


async def test_events_of_an_instance_started_without_redis_are_published_once_it_returns(
    database: Database, database_url: str, prefix: str, tmp_path: Path
) -> None:
    async with redis_proxy() as proxy:
        proxy.cut()  # Redis is down when A starts
        a = Instance(database_url=database_url, prefix=prefix, folder=tmp_path,
                     redis_url=through(proxy))  # fmt: skip
        b = Instance(database_url=database_url, prefix=prefix, folder=tmp_path)
        async with running(a, b, healthy=False):
            room_type, guest, token = await people(database, b)
            async with ws_client(f"{b.ws}/api/v1/ws", token=token) as on_b:
                await on_b.subscribe(CHANNEL)
                await book(a, guest, stay(room_type, start=1))  # A serves writes meanwhile
                await book(a, guest, stay(room_type, start=2))
                proxy.restore()
                published = await frames_until(on_b, 2)
                assert [(f["type"], f["seq"]) for f in published] == [("event", 1), ("event", 2)]
                assert [f["data"]["check_in"] for f in published] == [
                    stay(room_type, start=s)["check_in"] for s in (1, 2)
                ]
                await book(b, guest, stay(room_type, start=3))
                (later,) = await frames_until(on_b, 1)
                assert later["seq"] == 3  # numbered once each: nothing twice, nothing skipped
                await on_b.barrier()


async def test_a_stopping_instance_says_going_away_and_the_client_resumes_on_the_other(
    database: Database, instances: list[Instance]
) -> None:
    a, b = instances
    room_type, guest, token = await people(database, a)
    async with ws_client(f"{a.ws}/api/v1/ws", token=token) as on_a:
        await on_a.subscribe(CHANNEL)
        await book(b, guest, stay(room_type, start=1))
        (seen,) = await frames_until(on_a, 1)
        a.process.send_signal(signal.SIGTERM)
        code, _ = await on_a.closed_with()
        assert code == 1001
    await book(b, guest, stay(room_type, start=2))
    async with ws_client(f"{b.ws}/api/v1/ws", token=token) as on_b:
        answer = await on_b.subscribe(CHANNEL, last_event_id=seen["id"], last_seq=seen["seq"])
        assert (answer["type"], answer["replayed"]) == ("subscribed", 1)
        assert (await on_b.expect("event"))["seq"] == 2


async def test_a_second_server_on_a_port_in_use_stops_before_touching_its_database(
    instances: list[Instance], tmp_path: Path
) -> None:
    taken = instances[0].port
    database_file = tmp_path / "second.db"
    env = {**os.environ, "PREMIER_ENVIRONMENT": "development",
           "PREMIER_DATABASE_URL": f"sqlite:///{database_file}",
           "PREMIER_RUN_WORKERS_IN_PROCESS": "true"}  # fmt: skip
    second = await asyncio.to_thread(
        subprocess.run,
        [str(Path(sys.executable).with_name("premier")), "serve", "--port", str(taken)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert second.returncode != 0
    assert f"cannot listen on 127.0.0.1:{taken}" in second.stderr
    assert "already in use" in second.stderr
    assert not database_file.exists(), "no migrations ran"
