"""The email API: send, queue, stats, retry and cancel, captured mail; and the password reset
flow."""

import re

import httpx
from sqlalchemy import select

from premier.config import Settings
from premier.db import Database
from premier.email.models import EmailQueue
from premier.email.sending import email_worker
from premier.users.models import Department, Role
from tests.helpers import PASSWORD, login, make_user, signed_in
from tests.sms.helpers import booked_guest

API = "/api/v1/emails"


async def test_staff_send_and_managers_browse_the_queue(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    _, guest = await signed_in(client, database)
    for address in ("a@example.com", "b@example.com"):
        await booked_guest(database, email=address)

    sent = await client.post(
        f"{API}/send",
        headers=desk,
        json={
            "to": ["a@example.com", "b@example.com"],
            "subject": "Pool closed",
            "message": "The pool is closed <today> & tomorrow.",
        },
    )
    assert sent.status_code == 202, sent.text
    assert len(sent.json()["queued"]) == 2
    templated = await client.post(
        f"{API}/send",
        headers=manager,
        json={
            "to": ["c@example.com"],
            "template": "general",
            "context": {"title": "Hello", "message": "Welcome", "url": None},
        },
    )
    assert templated.status_code == 202, templated.text
    assert (
        await client.post(
            f"{API}/send",
            headers=guest,
            json={"to": ["a@example.com"], "subject": "x", "message": "y"},
        )
    ).status_code == 403

    page = (await client.get(f"{API}/queue", headers=manager)).json()
    assert page["total"] == 3
    one = (await client.get(f"{API}/queue", params={"recipient": "b@ex"}, headers=manager)).json()
    assert [e["to_address"] for e in one["items"]] == ["b@example.com"]
    detail = (await client.get(f"{API}/{one['items'][0]['id']}", headers=manager)).json()
    assert "&lt;today&gt; &amp; tomorrow" in detail["body_html"], "staff text is escaped"
    assert (await client.get(f"{API}/queue", headers=desk)).status_code == 403

    worker = email_worker(database=database, settings=settings)
    assert (await worker.drain()).sent == 3
    stats = (await client.get(f"{API}/stats", headers=manager)).json()
    assert stats["by_status"] == {"sent": 3}
    assert stats["by_provider"] == {"capture": 3}
    assert stats["by_template"] == {"manual": 2, "general": 1}
    assert stats["by_day"][0]["sent"] == 3
    captured = (await client.get(f"{API}/captured", headers=manager)).json()
    assert captured["total"] == 3
    first = captured["items"][0]["id"]
    message = (await client.get(f"{API}/captured/{first}", headers=manager)).json()
    assert "Premier Hotel" in message["body_html"]
    # The old paths of the viewer still answer the same.
    assert (await client.get(f"{API}/outbox", headers=manager)).json() == captured
    assert (await client.get(f"{API}/outbox/{first}", headers=manager)).json() == message


async def test_header_injection_and_bad_input_are_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, desk = await signed_in(client, database, role=Role.MANAGER)
    for body in [
        {"to": ["a@example.com"], "subject": "Hi\r\nBcc: victim@example.com", "message": "x"},
        {"to": ["not an address"], "subject": "Hi", "message": "x"},
        {"to": [], "subject": "Hi", "message": "x"},
        {"to": ["a@example.com"], "subject": "Hi"},
        {"to": ["a@example.com"], "template": "nope", "context": {}},
        {"to": ["a@example.com"], "template": "general", "context": {}},
    ]:
        response = await client.post(f"{API}/send", headers=desk, json=body)
        assert response.status_code == 422, (body, response.text)
    async with database.reading() as session:
        assert list(await session.scalars(select(EmailQueue))) == []


async def test_sending_is_rate_limited_per_sender(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.email_send_rate_per_hour = 3
    for address in ("a@example.com", "b@example.com"):
        await booked_guest(database, email=address)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    body = {"to": ["a@example.com", "b@example.com"], "subject": "s", "message": "m"}
    assert (await client.post(f"{API}/send", headers=desk, json=body)).status_code == 202
    limited = await client.post(f"{API}/send", headers=desk, json=body)
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    _, other = await signed_in(client, database, role=Role.ADMIN)
    assert (await client.post(f"{API}/send", headers=other, json=body)).status_code == 202


async def test_cancel_a_queued_email_and_retry_it(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    [email_id] = (
        await client.post(
            f"{API}/send",
            headers=admin,
            json={"to": ["a@example.com"], "subject": "s", "message": "m"},
        )
    ).json()["queued"]
    cancelled = await client.post(f"{API}/{email_id}/cancel", headers=admin)
    assert cancelled.json()["status"] == "cancelled"
    assert (await client.post(f"{API}/{email_id}/cancel", headers=admin)).status_code == 409
    retried = await client.post(f"{API}/{email_id}/retry", headers=admin)
    assert retried.json()["status"] == "queued"
    assert (await client.post(f"{API}/{email_id}/retry", headers=admin)).status_code == 409
    assert (await client.post(f"{API}/999999/retry", headers=admin)).status_code == 404


async def test_password_reset_by_email_link(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    await make_user(database, email="forgetful@example.com")
    old = await login(client, "forgetful@example.com")
    for address in ("forgetful@example.com", "nobody@example.com"):
        answer = await client.post("/api/v1/auth/password/forgot", json={"email": address})
        assert answer.status_code == 202
        assert answer.json()["status"].startswith("if this address")
    async with database.reading() as session:
        [mail] = list(await session.scalars(select(EmailQueue)))
    assert mail.to_address == "forgetful@example.com" and mail.category == "account"
    assert "List-Unsubscribe" not in mail.headers, "account mail is essential"
    match = re.search(r"reset-password\?token=([\w-]+)", mail.body_text)
    assert match
    token = match.group(1)

    short = await client.post(
        "/api/v1/auth/password/reset", json={"token": token, "password": "short"}
    )
    assert short.status_code == 422
    done = await client.post(
        "/api/v1/auth/password/reset", json={"token": token, "password": "brand-new-secret"}
    )
    assert done.status_code == 200, done.text
    assert (await client.get("/api/v1/auth/me", headers=old)).status_code == 401
    assert (
        await client.post(
            "/api/v1/auth/login", json={"email": "forgetful@example.com", "password": PASSWORD}
        )
    ).status_code == 401
    await login(client, "forgetful@example.com", "brand-new-secret")
    again = await client.post(
        "/api/v1/auth/password/reset", json={"token": token, "password": "another-secret"}
    )
    assert again.status_code == 422 and again.json()["error"]["code"] == "invalid_token"


async def test_an_expired_reset_link_is_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    from datetime import timedelta

    from premier.auth.models import PasswordResetToken
    from premier.kit.time import utcnow

    await make_user(database, email="late@example.com")
    await client.post("/api/v1/auth/password/forgot", json={"email": "late@example.com"})
    async with database.reading() as session:
        mail = await session.scalar(select(EmailQueue))
    assert mail is not None
    token = re.search(r"token=([\w-]+)", mail.body_text).group(1)  # type: ignore[union-attr]
    async with database.writing() as session:
        row = await session.scalar(select(PasswordResetToken))
        assert row is not None
        row.expires_at = utcnow() - timedelta(seconds=1)
        await session.commit()
    expired = await client.post(
        "/api/v1/auth/password/reset", json={"token": token, "password": "brand-new-secret"}
    )
    assert expired.status_code == 422 and expired.json()["error"]["code"] == "token_expired"
