"""Phone verification by one-time code."""

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from premier.db import Database
from premier.kit.time import utcnow
from premier.notifications.models import Suppression
from premier.sms.models import PhoneVerification
from premier.users.models import User
from tests.helpers import signed_in
from tests.sms.helpers import sms_rows

START = "/api/v1/auth/phone/verify/start"
CHECK = "/api/v1/auth/phone/verify/check"


async def last_code(database: Database) -> str:
    rows = await sms_rows(database, template="auth.phone_otp")
    match = re.match(r"^(\d{6}) ", rows[-1].body)
    assert match, rows[-1].body
    return match.group(1)


async def test_verify_a_phone_number(client: httpx.AsyncClient, database: Database) -> None:
    _, headers = await signed_in(client, database)
    started = await client.post(START, headers=headers, json={"phone": "0722 000 111"})
    assert started.status_code == 202, started.text
    assert started.json() == {"phone": "+254722000111", "expires_in": 600, "resend_after": 60}
    [sms] = await sms_rows(database, template="auth.phone_otp")
    assert (sms.to_phone, sms.priority, sms.status) == ("+254722000111", 1, "queued")
    code = await last_code(database)
    async with database.reading() as session:
        stored = await session.scalar(select(PhoneVerification))
    assert stored is not None and code not in stored.code_hash  # only a hash is kept

    wrong = "000000" if code != "000000" else "111111"
    refused = await client.post(
        CHECK, headers=headers, json={"phone": "+254722000111", "code": wrong}
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == {"attempts_left": 4}
    ok = await client.post(CHECK, headers=headers, json={"phone": "+254722000111", "code": code})
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"phone": "+254722000111", "verified": True}
    me = await client.get("/api/v1/auth/me", headers=headers)
    assert me.json()["phone"] == "+254722000111"
    # The code is spent.
    again = await client.post(CHECK, headers=headers, json={"phone": "+254722000111", "code": code})
    assert again.status_code == 422


@pytest.mark.sms(otp_max_attempts=3)
async def test_codes_are_attempt_limited(client: httpx.AsyncClient, database: Database) -> None:
    _, headers = await signed_in(client, database)
    await client.post(START, headers=headers, json={"phone": "+254722000111"})
    code = await last_code(database)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        response = await client.post(
            CHECK, headers=headers, json={"phone": "+254722000111", "code": wrong}
        )
        assert response.status_code == 422
    blocked = await client.post(
        CHECK, headers=headers, json={"phone": "+254722000111", "code": code}
    )
    assert blocked.status_code == 429


@pytest.mark.sms(otp_resend_seconds=60, otp_max_per_hour=2)
async def test_resending_is_throttled(client: httpx.AsyncClient, database: Database) -> None:
    _, headers = await signed_in(client, database)
    body = {"phone": "+254722000111"}
    assert (await client.post(START, headers=headers, json=body)).status_code == 202
    too_soon = await client.post(START, headers=headers, json=body)
    assert too_soon.status_code == 429
    assert 0 < int(too_soon.headers["Retry-After"]) <= 61
    async with database.writing() as session:  # a minute passes
        await session.execute(
            update(PhoneVerification).values(
                last_sent_at=utcnow().replace(microsecond=0) - timedelta(seconds=61)
            )
        )
        await session.commit()
    assert (await client.post(START, headers=headers, json=body)).status_code == 202
    assert len(await sms_rows(database, template="auth.phone_otp")) == 2
    async with database.writing() as session:
        await session.execute(
            update(PhoneVerification).values(last_sent_at=utcnow() - timedelta(seconds=61))
        )
        await session.commit()
    hourly = await client.post(START, headers=headers, json=body)
    assert hourly.status_code == 429


async def test_expired_codes_are_refused(client: httpx.AsyncClient, database: Database) -> None:
    _, headers = await signed_in(client, database)
    await client.post(START, headers=headers, json={"phone": "+254722000111"})
    code = await last_code(database)
    async with database.writing() as session:
        await session.execute(update(PhoneVerification).values(expires_at=utcnow()))
        await session.commit()
    expired = await client.post(
        CHECK, headers=headers, json={"phone": "+254722000111", "code": code}
    )
    assert expired.status_code == 422
    assert expired.json()["error"]["code"] == "otp_expired"


async def test_codes_belong_to_their_user(client: httpx.AsyncClient, database: Database) -> None:
    _, alice = await signed_in(client, database)
    _, mallory = await signed_in(client, database)
    await client.post(START, headers=alice, json={"phone": "+254722000111"})
    code = await last_code(database)
    stolen = await client.post(
        CHECK, headers=mallory, json={"phone": "+254722000111", "code": code}
    )
    assert stolen.status_code == 422


@pytest.mark.parametrize("body", [{"phone": "not a phone"}, {"phone": "+1 555"}, {}])
async def test_invalid_numbers_get_422(
    client: httpx.AsyncClient, database: Database, body: dict[str, str]
) -> None:
    _, headers = await signed_in(client, database)
    assert (await client.post(START, headers=headers, json=body)).status_code == 422
    bad_code = {"phone": "+254722000111", "code": "12ab56"}
    assert (await client.post(CHECK, headers=headers, json=bad_code)).status_code == 422


async def test_an_opted_out_number_still_gets_the_code_it_asked_for(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, headers = await signed_in(client, database)
    async with database.writing() as session:
        session.add(
            Suppression(
                channel="sms",
                address="+254722000111",
                category="*",
                reason="unsubscribe",
                source="twilio:STOP",
            )
        )
        await session.commit()
    await client.post(START, headers=headers, json={"phone": "+254722000111"})
    [sms] = await sms_rows(database, template="auth.phone_otp")
    assert sms.status == "queued"


async def test_signing_in_is_required(client: httpx.AsyncClient) -> None:
    assert (await client.post(START, json={"phone": "+254722000111"})).status_code == 401


async def test_user_row_is_untouched_until_verified(
    client: httpx.AsyncClient, database: Database
) -> None:
    user_id, headers = await signed_in(client, database)
    await client.post(START, headers=headers, json={"phone": "+254722000111"})
    async with database.reading() as session:
        user = await session.get(User, user_id)
    assert user is not None and user.phone == "+254712345678"
