"""Signed provider webhooks move emails along queued → sent → delivered/opened/bounced...,
and bounces, complaints and unsubscribes become suppressions that sending respects."""

import json
import secrets
import time

import httpx
from sqlalchemy import select

from premier.config import Settings
from premier.db import Database
from premier.email.models import EmailQueue
from premier.email.sending import email_worker
from premier.notifications.models import Suppression
from tests.email.conftest import queue, with_settings
from tests.fakes import mailgun as mg
from tests.fakes import sendgrid as sg
from tests.fakes import ses

HOOKS = "/api/v1/webhooks/email"


async def emails(database: Database) -> list[EmailQueue]:
    async with database.reading() as session:
        return list(await session.scalars(select(EmailQueue).order_by(EmailQueue.id)))


async def suppressed(database: Database) -> set[tuple[str, str, str]]:
    async with database.reading() as session:
        return {
            (s.address, s.category, s.reason) for s in await session.scalars(select(Suppression))
        }


async def test_sendgrid_signed_events(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    with sg.running_sendgrid() as fake:
        settings.sendgrid_webhook_public_key = fake.public_key_b64
        await queue(database, settings, 2, category="promotions")
        worker = email_worker(
            database=database,
            settings=with_settings(
                settings,
                email_providers=["sendgrid"],
                sendgrid_base_url=fake.url,
                sendgrid_api_key=sg.API_KEY,
            ),
        )
        await worker.drain()
        await worker.aclose()
        first, second = await emails(database)
        assert (first.status, first.provider) == ("sent", "sendgrid")

        def event(row: EmailQueue, name: str, **extra: object) -> dict[str, object]:
            return {
                "email": row.to_address,
                "timestamp": int(time.time()),
                "event": name,
                "sg_event_id": secrets.token_hex(8),
                "sg_message_id": f"{row.provider_message_id}.filter0001.1234.0",
                "outbox_id": str(row.id),
                **extra,
            }

        body = json.dumps(
            [
                event(first, "delivered"),
                event(first, "open"),
                event(second, "bounce", type="bounce", reason="550 no such user"),
            ]
        ).encode()
        headers = fake.sign(body, str(int(time.time())))
        answer = await client.post(f"{HOOKS}/sendgrid", content=body, headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"applied": 3}
        again = await client.post(f"{HOOKS}/sendgrid", content=body, headers=headers)
        assert again.json() == {"applied": 0}, "a redelivered webhook is applied once"
        forged = await client.post(
            f"{HOOKS}/sendgrid", content=body.replace(b"open", b"click"), headers=headers
        )
        assert forged.status_code == 403

    first, second = await emails(database)
    assert first.delivery_status == "opened" and first.delivered_at and first.opened_at
    assert second.delivery_status == "bounced"
    assert (second.to_address, "*", "bounce") in await suppressed(database)
    [again_row] = await queue(database, settings, 1, to=second.to_address)
    async with database.reading() as session:
        stored = await session.get(EmailQueue, again_row)
    assert stored is not None and stored.status == "suppressed"


async def test_mailgun_signed_events(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    with mg.running_mailgun() as fake:
        settings.mailgun_webhook_signing_key = mg.SIGNING_KEY
        await queue(database, settings, 2)
        worker = email_worker(
            database=database,
            settings=with_settings(
                settings,
                email_providers=["mailgun"],
                mailgun_base_url=fake.url,
                mailgun_api_key=mg.API_KEY,
                mailgun_domain=mg.DOMAIN,
            ),
        )
        await worker.drain()
        await worker.aclose()
        first, second = await emails(database)

        def data(row: EmailQueue, name: str, **extra: object) -> dict[str, object]:
            return {
                "id": secrets.token_hex(8),
                "timestamp": time.time(),
                "event": name,
                "recipient": row.to_address,
                "message": {"headers": {"message-id": row.provider_message_id}},
                "user-variables": {"outbox_id": str(row.id)},
                **extra,
            }

        soft = fake.signed_event(data(first, "failed", severity="temporary"))
        delivered = fake.signed_event(data(first, "delivered"))
        complaint = fake.signed_event(data(second, "complained"))
        for body in (soft, delivered, complaint):
            answer = await client.post(
                f"{HOOKS}/mailgun", content=body, headers={"Content-Type": "application/json"}
            )
            assert answer.status_code == 200, answer.text
        forged = fake.signed_event(data(first, "complained"), key="not-the-key")
        refused = await client.post(f"{HOOKS}/mailgun", content=forged)
        assert refused.status_code == 406, "Mailgun must not retry a forged post"

    first, second = await emails(database)
    assert first.delivery_status == "delivered"
    assert second.delivery_status == "complained"
    assert await suppressed(database) == {(second.to_address, "*", "complaint")}


async def test_ses_events_through_signed_sns(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    with ses.running_ses() as fake:
        settings.sns_certificate_url_pattern = r"http://127\.0\.0\.1:\d+/sns/cert\.pem"
        settings.ses_webhook_topic_arns = [ses.TOPIC]
        settings.ses_access_key_id = ses.ACCESS_KEY
        await queue(database, settings, 1, category="promotions")
        worker = email_worker(
            database=database,
            settings=with_settings(
                settings,
                email_providers=["ses"],
                ses_base_url=fake.url,
                ses_region=ses.REGION,
                ses_access_key_id=ses.ACCESS_KEY,
                ses_secret_access_key=ses.SECRET_KEY,
            ),
        )
        await worker.drain()
        await worker.aclose()
        [row] = await emails(database)
        assert row.status == "sent" and row.provider_message_id == fake.accepted[0]["message_id"]
        mail = {
            "messageId": row.provider_message_id,
            "destination": [row.to_address],
            "tags": {"outbox_id": [str(row.id)]},
        }
        delivered = fake.sns_notification({"eventType": "Delivery", "mail": mail})
        tampered = fake.sns_notification({"eventType": "Delivery", "mail": mail}, tamper=True)
        unsubscribed = fake.sns_notification({"eventType": "Subscription", "mail": mail})
        assert (await client.post(f"{HOOKS}/ses", content=delivered)).json() == {"applied": 1}
        assert (await client.post(f"{HOOKS}/ses", content=tampered)).status_code == 403
        assert (await client.post(f"{HOOKS}/ses", content=unsubscribed)).status_code == 200
        settings.sns_certificate_url_pattern = Settings.model_fields[
            "sns_certificate_url_pattern"
        ].default
        elsewhere = await client.post(f"{HOOKS}/ses", content=delivered)
        assert elsewhere.status_code == 403, "certificates only from SNS"

    [row] = await emails(database)
    assert row.delivery_status == "unsubscribed" and row.delivered_at is not None
    assert await suppressed(database) == {(row.to_address, "promotions", "unsubscribe")}


async def test_webhooks_without_configured_keys_are_refused(client: httpx.AsyncClient) -> None:
    assert (await client.post(f"{HOOKS}/sendgrid", content=b"[]")).status_code == 403
    assert (await client.post(f"{HOOKS}/mailgun", content=b"{}")).status_code == 403
    assert (await client.post(f"{HOOKS}/ses", content=b"not json")).status_code == 404
