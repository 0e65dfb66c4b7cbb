"""A socket does not outlive its user's rights: deactivating, demoting or resetting the
password closes it (at once on this instance, within the re-check interval from any other),
and so does a failed re-authentication."""

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from premier.config import Settings
from premier.db import Database
from premier.email.models import EmailQueue
from premier.users.models import Role, User
from tests.helpers import signed_in
from tests.realtime.wsclient import serving, token_for, ws_client


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Long enough that the tests of changes made here prove the socket closed at once.
    settings.realtime_recheck_seconds = 60
    return settings


@pytest.fixture
async def url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as base:
        yield base


def bearer(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def test_a_deactivated_guest_is_disconnected_with_4403(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    guest, guest_headers = await signed_in(client, database)
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    async with ws_client(f"{url}/api/v1/ws/{guest}", token=bearer(guest_headers)) as ws:
        await ws.subscribe(f"user:{guest}")
        answer = await client.patch(f"/api/v1/users/{guest}", json={"is_active": False},
                                    headers=admin)  # fmt: skip
        assert answer.status_code == 200, answer.text
        assert await ws.closed_with() == (4403, "user_deactivated")


async def test_a_demoted_manager_stops_hearing_the_managers_channel(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    manager, manager_headers = await signed_in(client, database, role=Role.MANAGER)
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    async with ws_client(f"{url}/api/v1/ws", token=bearer(manager_headers)) as ws:
        assert (await ws.subscribe("role:manager"))["type"] == "subscribed"
        answer = await client.patch(f"/api/v1/users/{manager}", json={"role": "guest"},
                                    headers=admin)  # fmt: skip
        assert answer.status_code == 200, answer.text
        assert await ws.closed_with() == (4403, "user_changed")


async def test_a_password_reset_closes_the_socket_with_4401(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    user, headers = await signed_in(client, database)
    async with database.reading() as session:
        email = (await session.get(User, user)).email  # type: ignore[union-attr]
    async with ws_client(f"{url}/api/v1/ws/{user}", token=bearer(headers)) as ws:
        await ws.subscribe(f"user:{user}")
        await client.post("/api/v1/auth/password/forgot", json={"email": email})
        async with database.reading() as session:
            mail = await session.scalar(select(EmailQueue).where(EmailQueue.to_address == email))
        assert mail is not None
        match = re.search(r"reset-password\?token=([\w-]+)", mail.body_text)
        assert match
        done = await client.post(
            "/api/v1/auth/password/reset",
            json={"token": match.group(1), "password": "brand-new-secret"},
        )
        assert done.status_code == 200, done.text
        assert await ws.closed_with() == (4401, "credentials_changed")


async def test_a_change_made_elsewhere_closes_the_socket_at_the_next_recheck(
    url: str, client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.realtime_recheck_seconds = 0.3
    user, headers = await signed_in(client, database)
    async with ws_client(f"{url}/api/v1/ws/{user}", token=bearer(headers)) as ws:
        await ws.subscribe(f"user:{user}")
        # Another instance deactivated the user: no event reaches this one.
        async with database.writing() as session:
            await session.execute(update(User).where(User.id == user).values(is_active=False))
            await session.commit()
        assert await ws.closed_with() == (4403, "user_deactivated")


async def test_a_failed_reauthentication_closes_the_socket(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    user, headers = await signed_in(client, database)
    async with ws_client(f"{url}/api/v1/ws/{user}", token=bearer(headers)) as ws:
        await ws.send({"type": "auth", "token": token_for(user, secret="forged-" * 8)})
        assert (await ws.closed_with())[0] == 4401
    other, _ = await signed_in(client, database)
    async with ws_client(f"{url}/api/v1/ws/{user}", token=bearer(headers)) as ws:
        await ws.send({"type": "auth", "token": token_for(other)})
        assert (await ws.closed_with())[0] == 4403
