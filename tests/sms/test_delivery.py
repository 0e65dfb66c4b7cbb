"""The worker sends queued SMS through the real adapters into the fakes; the providers'
callbacks (signed, forged, unsigned) update delivery status and the opt-out list."""

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from premier.config import Settings
from premier.db import Database
from premier.delivery.http import provider_session
from premier.delivery.worker import QueueWorker
from premier.notifications.models import Suppression
from premier.sms.models import SmsQueue
from premier.sms.providers.base import OutboundSms
from premier.sms.sending import SmsSending, sms_worker
from premier.users.models import Role
from tests.fakes.africastalking import FakeAfricasTalking
from tests.fakes.twilio import FakeTwilio
from tests.helpers import signed_in
from tests.sms.conftest import AT_TOKEN, PUBLIC_URL
from tests.sms.helpers import make_due, sms_rows

STATUS_PATH = "/api/v1/sms/webhooks/twilio/status"
INBOUND_PATH = "/api/v1/sms/webhooks/twilio/inbound"


def sms_sending(worker: QueueWorker[SmsQueue, OutboundSms]) -> SmsSending:
    assert isinstance(worker.sending, SmsSending)
    return worker.sending


@pytest.fixture
async def sender(
    settings: Settings, database: Database
) -> AsyncIterator[QueueWorker[SmsQueue, OutboundSms]]:
    async with provider_session(connections=16) as http:
        yield sms_worker(database=database, settings=settings, http=http)


async def send(
    client: httpx.AsyncClient, headers: dict[str, str], to: str, text: str = "Hi"
) -> Any:
    response = await client.post(
        "/api/v1/sms/send", headers=headers, json={"to": to, "message": text}
    )
    assert response.status_code == 202, response.text
    return response.json()


async def admin(client: httpx.AsyncClient, database: Database) -> dict[str, str]:
    return (await signed_in(client, database, role=Role.ADMIN))[1]


@pytest.mark.sms(providers=["twilio"])
async def test_twilio_delivery_with_signed_status_callbacks(
    client: httpx.AsyncClient,
    database: Database,
    sender: QueueWorker[SmsQueue, OutboundSms],
    twilio_fake: FakeTwilio,
) -> None:
    headers = await admin(client, database)
    queued = await send(client, headers, "+254712345678", "Your order is ready 🍽️")
    assert (await sender.drain()).claimed == 1
    [row] = await sms_rows(database)
    assert (row.status, row.provider, row.delivery_status) == ("sent", "twilio", "queued")
    assert twilio_fake.messages[-1]["Body"] == "Your order is ready 🍽️"
    assert twilio_fake.messages[-1]["StatusCallback"] == PUBLIC_URL + STATUS_PATH

    sid = row.provider_message_id
    assert sid is not None
    body, signed = twilio_fake.signed(
        PUBLIC_URL + STATUS_PATH, twilio_fake.status_params(sid, "sent")
    )
    assert (await client.post(STATUS_PATH, content=body, headers=signed)).status_code == 204
    body, signed = twilio_fake.signed(
        PUBLIC_URL + STATUS_PATH, twilio_fake.status_params(sid, "delivered")
    )
    assert (await client.post(STATUS_PATH, content=body, headers=signed)).status_code == 204
    # A late "sent" never moves a delivered message back.
    body, signed = twilio_fake.signed(
        PUBLIC_URL + STATUS_PATH, twilio_fake.status_params(sid, "sent")
    )
    await client.post(STATUS_PATH, content=body, headers=signed)
    page = await client.get("/api/v1/sms/queue", headers=headers)
    item = page.json()["items"][0]
    assert item["id"] == queued["id"]
    assert item["delivery_status"] == "delivered"
    assert item["delivered_at"] is not None
    # Twilio prices a message after the fact: the worker fetches and records it.
    assert await sms_sending(sender).collect_prices() == 1
    [row] = await sms_rows(database)
    assert (row.price, row.price_currency) == (8, "USD")
    stats = (await client.get("/api/v1/sms/stats", headers=headers)).json()
    assert stats["delivery_rate"] == 1.0
    assert stats["by_day"][0]["provider"] == "twilio"
    assert stats["by_day"][0]["segments"] == 1


@pytest.mark.sms(providers=["twilio"])
async def test_forged_and_unsigned_twilio_callbacks_are_refused(
    client: httpx.AsyncClient,
    database: Database,
    sender: QueueWorker[SmsQueue, OutboundSms],
    twilio_fake: FakeTwilio,
) -> None:
    headers = await admin(client, database)
    await send(client, headers, "+254712345678")
    await sender.drain()
    [row] = await sms_rows(database)
    params = twilio_fake.status_params(row.provider_message_id or "", "failed", "30007")
    body, signed = twilio_fake.signed(PUBLIC_URL + STATUS_PATH, params)
    forged = {**signed, "X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}
    assert (await client.post(STATUS_PATH, content=body, headers=forged)).status_code == 403
    unsigned = {"Content-Type": signed["Content-Type"]}
    assert (await client.post(STATUS_PATH, content=body, headers=unsigned)).status_code == 403
    tampered = body.replace("30007", "30008")
    assert (await client.post(STATUS_PATH, content=tampered, headers=signed)).status_code == 403
    [row] = await sms_rows(database)
    assert row.delivery_status == "queued"
    # The genuine one is applied, with Twilio's error code kept.
    assert (await client.post(STATUS_PATH, content=body, headers=signed)).status_code == 204
    [row] = await sms_rows(database)
    assert (row.delivery_status, row.error_code) == ("failed", "30007")


@pytest.mark.sms(providers=["twilio"])
async def test_stop_and_start_by_twilio_inbound_sms(
    client: httpx.AsyncClient,
    database: Database,
    sender: QueueWorker[SmsQueue, OutboundSms],
    twilio_fake: FakeTwilio,
) -> None:
    headers = await admin(client, database)
    body, signed = twilio_fake.signed(
        PUBLIC_URL + INBOUND_PATH, twilio_fake.inbound_params("+254712345678", "Stop")
    )
    reply = await client.post(INBOUND_PATH, content=body, headers=signed)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/xml")
    suppressed = await send(client, headers, "0712345678")
    assert suppressed["status"] == "suppressed"
    before = len(twilio_fake.messages)
    assert (await sender.drain()).claimed == 0
    assert len(twilio_fake.messages) == before
    body, signed = twilio_fake.signed(
        PUBLIC_URL + INBOUND_PATH, twilio_fake.inbound_params("+254712345678", "START")
    )
    await client.post(INBOUND_PATH, content=body, headers=signed)
    assert (await send(client, headers, "0712345678"))["status"] == "queued"


@pytest.mark.sms(providers=["africastalking"])
async def test_africastalking_cost_reports_and_opt_out(
    client: httpx.AsyncClient,
    database: Database,
    sender: QueueWorker[SmsQueue, OutboundSms],
    at_fake: FakeAfricasTalking,
) -> None:
    headers = await admin(client, database)
    await send(client, headers, "+254712345678", "Check-in from 14:00")
    await sender.drain()
    [row] = await sms_rows(database)
    assert (row.provider, row.price, row.price_currency) == ("africastalking", 80, "KES")
    report = at_fake.delivery_report(row.provider_message_id or "", "Success")
    wrong = await client.post("/api/v1/sms/webhooks/africastalking/guess/delivery", data=report)
    assert wrong.status_code == 404
    path = f"/api/v1/sms/webhooks/africastalking/{AT_TOKEN}/delivery"
    # A report naming another number for our id is ignored.
    assert (await client.post(path, data={**report, "phoneNumber": "+254700999999"})).json() == {
        "applied": False
    }
    assert (await client.post(path, data=report)).json() == {"applied": True}
    unknown = await client.post(path, data={**report, "id": "ATXid_never_issued"})
    assert unknown.status_code == 200 and unknown.json() == {"applied": False}
    [row] = await sms_rows(database)
    assert row.delivery_status == "delivered"

    optout = f"/api/v1/sms/webhooks/africastalking/{AT_TOKEN}/optout"
    assert (await client.post(optout, data=at_fake.optout("+254712345678"))).status_code == 200
    assert (await send(client, headers, "+254712345678"))["status"] == "suppressed"


@pytest.mark.sms(providers=["africastalking"])
async def test_africastalking_rejections_fail_with_the_reason(
    client: httpx.AsyncClient,
    database: Database,
    sender: QueueWorker[SmsQueue, OutboundSms],
    at_fake: FakeAfricasTalking,
) -> None:
    headers = await admin(client, database)
    at_fake.unknown_numbers.add("+254733000111")
    at_fake.blacklisted.add("+254722000222")
    await send(client, headers, "+254733000111")
    await send(client, headers, "+254722000222")
    await sender.drain()
    invalid, blacklisted = await sms_rows(database)
    assert (invalid.status, invalid.delivery_status, invalid.error_code) == (
        "failed",
        "failed",
        "403",
    )
    assert "InvalidPhoneNumber" in (invalid.last_error or "")
    assert invalid.attempts == 1  # permanent: not retried
    assert (blacklisted.status, blacklisted.error_code) == ("failed", "406")
    async with database.reading() as session:
        opted_out = await session.scalar(
            select(Suppression).where(Suppression.address == "+254722000222")
        )
    assert opted_out is not None  # the provider's blacklist is remembered


@pytest.mark.sms(providers=["africastalking"])
async def test_insufficient_balance_is_a_permanent_failure(
    client: httpx.AsyncClient,
    database: Database,
    sender: QueueWorker[SmsQueue, OutboundSms],
    at_fake: FakeAfricasTalking,
) -> None:
    headers = await admin(client, database)
    at_fake.balance_exhausted = True
    await send(client, headers, "+254712345678")
    await sender.drain()
    [row] = await sms_rows(database)
    assert (row.status, row.error_code) == ("failed", "405")
    assert "insufficient balance" in (row.last_error or "")


@pytest.mark.sms(providers=["twilio"], routes={"KE": ["africastalking", "twilio"]})
async def test_routing_and_failover_when_a_provider_is_down(
    client: httpx.AsyncClient,
    database: Database,
    sender: QueueWorker[SmsQueue, OutboundSms],
    at_fake: FakeAfricasTalking,
    twilio_fake: FakeTwilio,
) -> None:
    headers = await admin(client, database)
    await send(client, headers, "+254712345678", "to Kenya")
    await send(client, headers, "+14155552671", "to the US")
    await sender.drain()
    kenya, usa = await sms_rows(database)
    assert (kenya.provider, usa.provider) == ("africastalking", "twilio")

    at_fake.outages = [500] * 3
    await send(client, headers, "+254712345678", "AT is down")
    await sender.drain()
    rows = await sms_rows(database)
    assert (rows[-1].status, rows[-1].provider) == ("sent", "twilio")


@pytest.mark.sms(providers=["twilio"])
async def test_an_outage_is_retried_later_and_nothing_is_lost_or_sent_twice(
    client: httpx.AsyncClient,
    database: Database,
    sender: QueueWorker[SmsQueue, OutboundSms],
    twilio_fake: FakeTwilio,
) -> None:
    headers = await admin(client, database)
    twilio_fake.down = True
    for n in range(5):
        await send(client, headers, f"+25471234567{n}", f"message {n}")
    before = len(twilio_fake.messages)
    await sender.drain()
    rows = await sms_rows(database)
    assert {r.status for r in rows} == {"queued"}
    assert all(r.attempts == 1 and "Service Unavailable" in (r.last_error or "") for r in rows)
    twilio_fake.down = False
    await make_due(database)
    sms_sending(sender).reset_breakers()
    assert (await sender.drain()).claimed == 5
    rows = await sms_rows(database)
    assert {r.status for r in rows} == {"sent"}
    sent = [m["Body"] for m in twilio_fake.messages[before:]]
    assert sorted(sent) == [f"message {n}" for n in range(5)]


@pytest.mark.sms(providers=["africastalking", "twilio"])
async def test_a_failing_provider_is_skipped_once_its_breaker_opens(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    sender: QueueWorker[SmsQueue, OutboundSms],
    at_fake: FakeAfricasTalking,
    twilio_fake: FakeTwilio,
) -> None:
    settings.breaker_failure_threshold = 2
    headers = await admin(client, database)
    at_fake.outages = [503] * 50
    before = at_fake.requests
    for n in range(6):
        await send(client, headers, f"+25471234567{n}", f"message {n}")
    sms_sending(sender).config = replace(sms_sending(sender).config, concurrency=1)
    assert (await sender.drain()).claimed == 6
    rows = await sms_rows(database)
    assert {(r.status, r.provider) for r in rows} == {("sent", "twilio")}
    assert at_fake.requests - before == 2  # then its breaker opened and it was left alone


@pytest.mark.sms(providers=["africastalking", "twilio"], timeout_seconds=0.3)
async def test_a_timeout_after_sending_is_retried_later_not_sent_twice(
    client: httpx.AsyncClient,
    database: Database,
    sender: QueueWorker[SmsQueue, OutboundSms],
    at_fake: FakeAfricasTalking,
    twilio_fake: FakeTwilio,
) -> None:
    headers = await admin(client, database)
    at_fake.delay_seconds = 1.0
    before_twilio = len(twilio_fake.messages)
    await send(client, headers, "+254712345678", "Your code is 481920")
    await sender.drain()
    [row] = await sms_rows(database)
    # Africa's Talking may have taken it: no second copy through Twilio right away.
    assert (row.status, row.attempts) == ("queued", 1)
    assert "timed out waiting for the answer" in (row.last_error or "")
    assert len(twilio_fake.messages) == before_twilio


async def test_africastalking_inbound_stop_and_start(
    client: httpx.AsyncClient, database: Database
) -> None:
    headers = await admin(client, database)
    inbound = f"/api/v1/sms/webhooks/africastalking/{AT_TOKEN}/inbound"
    message = {
        "from": "+254712345678",
        "to": "21525",
        "text": "STOP",
        "id": "abc",
        "date": "2026-11-25 10:00:00",
        "networkCode": "63902",
    }
    assert (await client.post(inbound, data=message)).json() == {"intent": "opt_out"}
    assert (await send(client, headers, "+254712345678"))["status"] == "suppressed"
    assert (await client.post(inbound, data={**message, "text": "start"})).json() == {
        "intent": "opt_in"
    }
    assert (await send(client, headers, "+254712345678"))["status"] == "queued"
