"""Two real uvicorn processes behind one Redis: a client on either hears every event."""

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from premier.db import Database
from premier.users.models import Department, Role
from tests.conftest import TEST_SECRET
from tests.helpers import PASSWORD, make_room_type, make_user
from tests.realtime.test_socket import stay
from tests.realtime.wsclient import ws_client

REDIS_URL = os.environ.get("PREMIER_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="scale-out tests need a real Redis: set PREMIER_TEST_REDIS_URL"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Instance:
    """`uvicorn premier.main:app` in its own process."""

    def __init__(self, *, database_url: str, prefix: str, folder: Path) -> None:
        self.port = free_port()
        self.http = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PREMIER_ENVIRONMENT": "test",
            "PREMIER_DATABASE_URL": database_url,
            "PREMIER_REDIS_URL": REDIS_URL or "",
            "PREMIER_REDIS_PREFIX": prefix,
            "PREMIER_SECRET_KEY": TEST_SECRET,
            "PREMIER_SEED_DEMO_DATA": "false",
            "PREMIER_RUN_WORKERS_IN_PROCESS": "false",
            "PREMIER_STATIC_DIR": str(folder / "no-static"),
            # One guest books many stays to make events: no cap on unconfirmed bookings.
            "PREMIER_BOOKING_MAX_PENDING_PER_GUEST": "0",
        }
        self.log = (folder / f"instance-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "premier.main:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    async def wait_ready(self) -> None:
        async with httpx.AsyncClient() as http:
            for _ in range(300):  # a process starting up offers nothing to await
                if self.process.poll() is not None:
                    raise RuntimeError(f"instance exited: {self.process.returncode}")
                try:
                    if (await http.get(f"{self.http}/api/v1/health")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError("instance did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"premier-test-{uuid.uuid4().hex[:12]}"
    yield name

    async def _clean() -> None:
        redis = Redis.from_url(REDIS_URL or "")
        keys = [key async for key in redis.scan_iter(f"{name}:*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()

    asyncio.run(_clean())


@pytest.fixture
async def instances(
    database: Database, database_url: str, prefix: str, tmp_path: Path
) -> AsyncIterator[list[Instance]]:
    pair = [Instance(database_url=database_url, prefix=prefix, folder=tmp_path) for _ in "AB"]
    try:
        await asyncio.gather(*(instance.wait_ready() for instance in pair))
        yield pair
    finally:
        for instance in pair:
            instance.stop()


async def login(instance: Instance, email: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=instance.http) as http:
        response = await http.post(
            "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def book(instance: Instance, headers: dict[str, str], body: dict[str, Any]) -> int:
    async with httpx.AsyncClient(base_url=instance.http) as http:
        response = await http.post("/api/v1/bookings", json=body, headers=headers)
        assert response.status_code == 201, response.text
        booking_id: int = response.json()["id"]
        return booking_id


async def test_events_published_on_one_instance_reach_clients_of_the_other(
    instances: list[Instance], database: Database
) -> None:
    a, b = instances
    room_type = await make_room_type(database, rooms=10)
    await make_user(database, email="guest@scale.test")
    await make_user(database, email="desk@scale.test", role=Role.STAFF,
                    department=Department.FRONT_DESK)  # fmt: skip
    guest = await login(a, "guest@scale.test")
    desk = await login(b, "desk@scale.test")
    token = desk["Authorization"].removeprefix("Bearer ")
    channel = "department:front_desk"

    async with (
        ws_client(f"{a.ws}/api/v1/ws", token=token) as on_a,
        ws_client(f"{b.ws}/api/v1/ws", token=token) as on_b,
    ):
        await on_a.subscribe(channel)
        await on_b.subscribe(channel)
        await book(a, guest, stay(room_type, start=1))  # published on A
        await book(b, guest, stay(room_type, start=2))  # published on B
        seen_a = [await on_a.expect("event") for _ in range(2)]
        seen_b = [await on_b.expect("event") for _ in range(2)]
        assert [(f["id"], f["seq"]) for f in seen_a] == [(f["id"], f["seq"]) for f in seen_b]
        assert [f["seq"] for f in seen_b] == [1, 2]
        await on_a.barrier()
        await on_b.barrier()

    # Offline for two bookings made through A; resuming on B replays them from Redis.
    await book(a, guest, stay(room_type, start=3))
    await book(a, guest, stay(room_type, start=4))
    async with ws_client(f"{b.ws}/api/v1/ws", token=token) as again:
        subscribed = await again.subscribe(
            channel, last_event_id=seen_b[-1]["id"], last_seq=seen_b[-1]["seq"]
        )
        assert (subscribed["type"], subscribed["replayed"]) == ("subscribed", 2)
        replayed = [await again.expect("event") for _ in range(2)]
        assert [f["seq"] for f in replayed] == [3, 4]
        assert [f["data"]["check_in"] for f in replayed] == [
            stay(room_type, start=s)["check_in"] for s in (3, 4)
        ]
        await book(b, guest, stay(room_type, start=5))
        assert (await again.expect("event"))["seq"] == 5
        await again.barrier()
