"""Real uvicorn processes sharing one database and one Redis, for the scale-out tests."""

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import TEST_SECRET
from tests.helpers import PASSWORD

REDIS_URL = os.environ.get("PREMIER_TEST_REDIS_URL")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# Starting the app imports a great deal: on a busy machine that takes a while.
START_SECONDS = 180


class Instance:
    """`uvicorn premier.main:app` in its own process."""

    def __init__(
        self, *, database_url: str, prefix: str, folder: Path, redis_url: str | None = None
    ) -> None:
        self.port = free_port()
        self.http = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PREMIER_ENVIRONMENT": "test",
            "PREMIER_DATABASE_URL": database_url,
            "PREMIER_REDIS_URL": redis_url or REDIS_URL or "",
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

    async def wait_ready(self, *, healthy: bool = True) -> None:
        """Until it answers its health check (with 200, or with anything when `healthy` is
        false: an instance whose Redis is down serves all the same)."""
        async with httpx.AsyncClient() as http:
            for _ in range(START_SECONDS * 10):  # a process starting up offers nothing to await
                if self.process.poll() is not None:
                    raise RuntimeError(f"instance exited: {self.process.returncode}")
                try:
                    status = (await http.get(f"{self.http}/api/v1/health")).status_code
                    if status == 200 or not healthy:
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
