"""Failed sign-ins slow the one guessing, never lock the owner out, and answer the same
whether or not an account exists."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from premier.auth.models import AuthAttempt
from premier.config import Settings
from premier.db import Database
from tests.helpers import PASSWORD, make_user

LOGIN = "/api/v1/auth/login"


@asynccontextmanager
async def client_at(app: Any, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests come from this address."""
    transport = httpx.ASGITransport(app=app, client=(address, 40_000))
    async with httpx.AsyncClient(transport=transport, base_url="http://hotel.test") as http:
        yield http


async def sign_in(http: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await http.post(LOGIN, json={"email": email, "password": password})


async def age_failures(database: Database, seconds: float) -> None:
    """Move every counted attempt this far into the past, as the clock would."""
    async with database.writing() as session:
        for attempt in await session.scalars(select(AuthAttempt)):
            attempt.created_at -= timedelta(seconds=seconds)
        await session.commit()


def answer(response: httpx.Response) -> tuple[int, Any, str | None]:
    return response.status_code, response.json(), response.headers.get("Retry-After")


async def test_a_stranger_guessing_from_elsewhere_does_not_stop_the_owner_signing_in(
    app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="admin@example.com")
    async with client_at(app, "198.51.100.9") as stranger:
        statuses = {
            (await sign_in(stranger, "admin@example.com", f"guess-{n}")).status_code
            for n in range(12)
        }
    assert statuses == {401, 429}, "the stranger is slowed down"
    owner = await sign_in(client, "admin@example.com", PASSWORD)
    assert owner.status_code == 200, owner.text


async def test_failures_from_one_address_make_each_further_attempt_wait_longer(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="slow@example.com")
    for _ in range(5):
        assert (await sign_in(client, "slow@example.com", "wrong-one")).status_code == 401
    waits = []
    for _ in range(3):
        held = await sign_in(client, "slow@example.com", PASSWORD)
        assert held.status_code == 429
        assert held.json()["error"]["code"] == "rate_limited"
        waits.append(int(held.headers["Retry-After"]))
        await age_failures(database, waits[-1])
        assert (await sign_in(client, "slow@example.com", "wrong-one")).status_code == 401
    assert waits == [1, 2, 4]
    await age_failures(database, 8)
    assert (await sign_in(client, "slow@example.com", PASSWORD)).status_code == 200


async def test_an_unknown_email_gets_the_same_answers_and_waits_as_a_real_account(
    app: Any, database: Database
) -> None:
    await make_user(database, email="real@example.com")
    async with (
        client_at(app, "192.0.2.10") as for_real,
        client_at(app, "192.0.2.20") as for_nobody,
    ):
        statuses = []
        for _ in range(9):
            # Side by side, so that as much time has passed for both since their last try.
            real, nobody = await asyncio.gather(
                sign_in(for_real, "real@example.com", "wrong-one"),
                sign_in(for_nobody, "nobody@example.com", "wrong-one"),
            )
            assert answer(real) == answer(nobody)
            statuses.append(real.status_code)
            if real.status_code == 429:
                await age_failures(database, int(real.headers["Retry-After"]))
    assert statuses == [401] * 5 + [429, 401, 429, 401]
    assert real.json()["error"]["code"] == "invalid_credentials"


async def test_guessing_spread_over_many_addresses_waits_but_not_on_the_owners_device(
    app: Any, client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.login_account_free_failures = 4
    await make_user(database, email="owner@example.com")
    assert (await sign_in(client, "owner@example.com", PASSWORD)).status_code == 200
    for n in range(6):
        async with client_at(app, f"203.0.113.{n}") as bot:
            await sign_in(bot, "owner@example.com", f"guess-{n}")
    async with client_at(app, "203.0.113.200") as another_bot:
        held = await sign_in(another_bot, "owner@example.com", "guess")
    assert held.status_code == 429
    assert 0 < int(held.headers["Retry-After"]) <= settings.login_account_max_delay_seconds
    assert (await sign_in(client, "owner@example.com", PASSWORD)).status_code == 200


async def test_registration_is_limited_per_address_even_for_taken_emails(
    app: Any, client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.register_per_address_per_hour = 3
    await make_user(database, email="taken@example.com")

    async def register(http: httpx.AsyncClient, email: str) -> httpx.Response:
        body = {"email": email, "password": "s3cret-pass", "full_name": "R"}
        return await http.post("/api/v1/auth/register", json=body)

    assert (await register(client, "taken@example.com")).status_code == 409
    assert (await register(client, "one@example.com")).status_code == 201
    assert (await register(client, "taken@example.com")).status_code == 409
    probing = await register(client, "taken@example.com")
    assert probing.status_code == 429 and int(probing.headers["Retry-After"]) > 0
    async with client_at(app, "192.0.2.77") as elsewhere:
        assert (await register(elsewhere, "two@example.com")).status_code == 201


async def test_reset_requests_are_limited_per_address_and_answer_alike(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.password_forgot_per_address_per_hour = 2
    await make_user(database, email="known@example.com")
    known = await client.post("/api/v1/auth/password/forgot", json={"email": "known@example.com"})
    unknown = await client.post("/api/v1/auth/password/forgot", json={"email": "no@example.com"})
    assert answer(known) == answer(unknown)
    assert known.status_code == 202
    flood = await client.post("/api/v1/auth/password/forgot", json={"email": "known@example.com"})
    assert flood.status_code == 429
