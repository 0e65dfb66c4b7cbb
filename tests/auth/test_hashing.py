"""Password hashing runs beside the event loop, not on it."""

import asyncio

import httpx

from premier.auth.passwords import hash_password, verify_password
from premier.db import Database
from tests.helpers import PASSWORD, make_user

HEALTH_CHECKS = 3


async def test_health_checks_are_answered_while_sign_ins_check_passwords(
    client: httpx.AsyncClient, database: Database
) -> None:
    """Were argon2 run on the loop, each password check would hold every other request of
    the process until it ended, so the first sign-in would be done before a few health
    checks, one after another, could be. Beside the loop they are all answered first."""
    await make_user(database, email="busy@example.com")
    body = {"email": "busy@example.com", "password": PASSWORD}
    # Once first, so that building its queries the first time does not count.
    assert (await client.post("/api/v1/auth/login", json=body)).status_code == 200
    sign_ins = [asyncio.create_task(client.post("/api/v1/auth/login", json=body)) for _ in range(6)]
    for answered in range(1, HEALTH_CHECKS + 1):
        assert (await client.get("/api/v1/health")).status_code == 200
        finished = sum(task.done() for task in sign_ins)
        assert finished == 0, f"{finished} sign-ins finished before health check {answered}"
    assert all(r.status_code == 200 for r in await asyncio.gather(*sign_ins))


async def test_hashes_verify_and_an_unknown_account_never_does() -> None:
    digest = await hash_password("some-password")
    assert await verify_password(digest, "some-password")
    assert not await verify_password(digest, "other-password")
    assert not await verify_password(None, "some-password")
    assert not await verify_password("not-a-hash", "some-password")
