"""Web Push end to end: a browser subscribes, a notification goes out through the queue
worker to the (fake) push service, which checks our VAPID signature and decrypts it with
the subscription's own keys."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, update

from premier import events
from premier.config import Settings
from premier.db import Database
from premier.delivery.worker import QueueWorker
from premier.kit.time import utcnow
from premier.notifications.models import DeliveryLog, Notification
from premier.notifications.service import notify
from premier.push.models import PushQueue, PushSubscription
from premier.push.vapid import vapid_of
from premier.push.webpush import OutboundPush
from tests.fakes.push import FakePushService
from tests.helpers import signed_in

Pusher = QueueWorker[PushQueue, OutboundPush]
DEVICE = "phone-0123456789"


async def subscribe(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    push_service: FakePushService,
    *,
    device: str = DEVICE,
) -> dict[str, Any]:
    key = (await client.get("/api/v1/push/public-key")).json()["public_key"]
    subscription = push_service.subscribe(key)
    response = await client.post(
        "/api/v1/push/subscriptions",
        headers=headers,
        json={**subscription, "device_id": device, "user_agent": "Firefox on Android"},
    )
    assert response.status_code == 200, response.text
    return subscription


async def tell(database: Database, settings: Settings, user_id: int, order_id: int = 42) -> None:
    async with database.writing() as session:
        await notify(
            session=session,
            settings=settings,
            recipients=[user_id],
            event_type="order.status_changed",
            context={
                "order": {
                    "id": order_id,
                    "status": "ready",
                    "room_number": "204",
                    "total": "KES 900",
                },
                "previous_status": "preparing",
            },
            data={"order_id": order_id},
        )
        await events.commit(session)


async def queue_rows(database: Database) -> list[PushQueue]:
    async with database.reading() as session:
        return list(await session.scalars(select(PushQueue).order_by(PushQueue.id)))


async def test_the_public_key_is_the_one_browsers_subscribe_with(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    response = await client.get("/api/v1/push/public-key")

    assert response.status_code == 200
    vapid = vapid_of(settings)
    assert vapid is not None and response.json() == {"public_key": vapid.public_key}


async def test_a_notification_reaches_the_device_encrypted_and_signed(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    push_service: FakePushService,
    pusher: Pusher,
) -> None:
    guest, headers = await signed_in(client, database)
    subscription = await subscribe(client, headers, push_service)

    await tell(database, settings, guest)
    stats = await pusher.drain()

    assert stats.sent == 1, push_service.refused
    [message] = push_service.browser_of(subscription["endpoint"]).received
    assert "42" in message["title"] + message["body"]
    assert message["url"] == "/room-service#order-42", "a click opens the order"
    async with database.reading() as session:
        notification = await session.scalar(
            select(Notification).where(Notification.user_id == guest)
        )
        logged = await session.scalar(select(DeliveryLog).where(DeliveryLog.channel == "push"))
    assert notification is not None and message["notification_id"] == notification.id
    assert logged is not None and logged.status == "queued"
    [row] = await queue_rows(database)
    assert row.status == "sent" and row.provider_message_id
    seen = push_service.headers_seen[-1]
    assert seen["content-encoding"] == "aes128gcm" and int(seen["ttl"]) > 0
    assert seen["topic"] == f"n{notification.id}"


async def test_each_device_of_a_person_gets_the_message(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    push_service: FakePushService,
    pusher: Pusher,
) -> None:
    guest, headers = await signed_in(client, database)
    phone = await subscribe(client, headers, push_service, device="phone-0123456789")
    laptop = await subscribe(client, headers, push_service, device="laptop-0123456789")

    await tell(database, settings, guest)
    await pusher.drain()

    for device in (phone, laptop):
        assert len(push_service.browser_of(device["endpoint"]).received) == 1


async def test_subscribing_twice_from_a_device_keeps_one_subscription_and_hides_the_endpoint(
    client: httpx.AsyncClient, database: Database, push_service: FakePushService
) -> None:
    _, headers = await signed_in(client, database)
    await subscribe(client, headers, push_service)
    await subscribe(client, headers, push_service)  # the browser renewed its endpoint

    devices = (await client.get("/api/v1/push/subscriptions", headers=headers)).json()
    assert [d["device_id"] for d in devices] == [DEVICE]
    assert "endpoint" not in devices[0] and "auth" not in devices[0]


async def test_an_unsubscribed_device_gets_nothing(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    push_service: FakePushService,
    pusher: Pusher,
) -> None:
    guest, headers = await signed_in(client, database)
    subscription = await subscribe(client, headers, push_service)
    response = await client.post(
        "/api/v1/push/subscriptions/unsubscribe", headers=headers, json={"device_id": DEVICE}
    )
    assert response.status_code == 204

    await tell(database, settings, guest)
    await pusher.drain()

    assert push_service.browser_of(subscription["endpoint"]).received == []
    async with database.reading() as session:
        logged = await session.scalar(select(DeliveryLog).where(DeliveryLog.channel == "push"))
    assert logged is not None and logged.status == "no_device"


async def test_an_expired_subscription_is_forgotten(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    push_service: FakePushService,
    pusher: Pusher,
) -> None:
    guest, headers = await signed_in(client, database)
    subscription = await subscribe(client, headers, push_service)
    push_service.gone.add(subscription["endpoint"].rsplit("/", 1)[1])

    await tell(database, settings, guest)
    await pusher.drain()

    [row] = await queue_rows(database)
    assert row.status == "failed" and "410" in (row.last_error or "")
    async with database.reading() as session:
        left = list(await session.scalars(select(PushSubscription)))
    assert left == [], "a 410 removes the subscription"
    assert (await client.get("/api/v1/push/subscriptions", headers=headers)).json() == []


async def test_a_busy_push_service_is_retried_after_its_retry_after(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    push_service: FakePushService,
    pusher: Pusher,
) -> None:
    guest, headers = await signed_in(client, database)
    subscription = await subscribe(client, headers, push_service)
    push_service.outages.extend([429])
    push_service.retry_after = "120"

    await tell(database, settings, guest)
    before = utcnow()
    await pusher.drain()

    [row] = await queue_rows(database)
    assert row.status == "queued" and row.attempts == 1 and "429" in (row.last_error or "")
    assert row.next_attempt_at >= before + timedelta(seconds=119), "not before Retry-After"

    async with database.writing() as session:  # the wait is over
        await session.execute(update(PushQueue).values(next_attempt_at=utcnow()))
        await session.commit()
    push_service.outages.extend([503])
    await pusher.drain()
    [row] = await queue_rows(database)
    assert row.status == "queued" and row.attempts == 2, "a 5xx is retried too"

    async with database.writing() as session:
        await session.execute(update(PushQueue).values(next_attempt_at=utcnow()))
        await session.commit()
    await pusher.drain()
    [row] = await queue_rows(database)
    assert row.status == "sent" and row.attempts == 3
    assert len(push_service.browser_of(subscription["endpoint"]).received) == 1


async def test_a_message_encrypted_with_the_wrong_keys_is_refused(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    push_service: FakePushService,
    pusher: Pusher,
) -> None:
    guest, headers = await signed_in(client, database)
    subscription = await subscribe(client, headers, push_service)
    other = push_service.subscribe("unused")
    async with database.writing() as session:  # keys that are not this browser's
        await session.execute(update(PushSubscription).values(auth=other["keys"]["auth"]))
        await session.commit()

    await tell(database, settings, guest)
    await pusher.drain()

    assert push_service.browser_of(subscription["endpoint"]).received == []
    assert any("could not decrypt" in reason for reason in push_service.refused)
    [row] = await queue_rows(database)
    assert row.status == "failed"


async def test_a_push_service_refuses_a_key_the_subscription_was_not_made_with(
    client: httpx.AsyncClient,
    database: Database,
    settings: Settings,
    push_service: FakePushService,
    pusher: Pusher,
) -> None:
    guest, headers = await signed_in(client, database)
    key = (await client.get("/api/v1/push/public-key")).json()["public_key"]
    subscription = push_service.subscribe(key[:-4] + "AAAA")  # another server's key
    await client.post(
        "/api/v1/push/subscriptions", headers=headers, json={**subscription, "device_id": DEVICE}
    )

    await tell(database, settings, guest)
    await pusher.drain()

    assert any("k is not" in reason for reason in push_service.refused)
    [row] = await queue_rows(database)
    assert row.status == "queued", "our configuration's fault: retried, not the device's"


async def test_subscriptions_with_broken_keys_or_endpoints_are_refused(
    client: httpx.AsyncClient, database: Database, push_service: FakePushService
) -> None:
    _, headers = await signed_in(client, database)
    good = push_service.subscribe("k")
    for body in (
        {**good, "keys": {**good["keys"], "p256dh": "A" * 87}},
        {**good, "keys": {**good["keys"], "auth": "A" * 30}},
        {**good, "endpoint": "ftp://push.example/x"},
        {**good, "device_id": "no spaces allowed"},
    ):
        response = await client.post(
            "/api/v1/push/subscriptions", headers=headers, json={**{"device_id": DEVICE}, **body}
        )
        assert response.status_code in (400, 422), response.text
        assert "detail" in response.json() or "error" in response.json()


async def test_production_takes_only_the_browsers_push_services(settings: Settings) -> None:
    from premier.kit.errors import InvalidInput
    from premier.push.service import check_endpoint

    production = settings.model_copy(update={"environment": "production"})
    check_endpoint(production, "https://fcm.googleapis.com/fcm/send/abc")
    check_endpoint(production, "https://web.push.apple.com/QGuQ")
    for endpoint in ("https://169.254.169.254/latest", "http://fcm.googleapis.com/x"):
        try:
            check_endpoint(production, endpoint)
        except InvalidInput:
            continue
        raise AssertionError(f"{endpoint} was accepted")


def test_outside_production_a_key_is_made_once_and_kept(tmp_path: Path, settings: Settings) -> None:
    kept = settings.model_copy(
        update={
            "push_vapid_private_key": None,
            "push_vapid_key_file": tmp_path / "vapid.pem",
            "environment": "development",
        }
    )
    first = vapid_of(kept)
    assert first is not None and (tmp_path / "vapid.pem").stat().st_mode & 0o077 == 0
    from premier.push import vapid

    vapid._load.cache_clear()
    again = vapid_of(kept)
    assert again is not None and again.public_key == first.public_key
    production = kept.model_copy(update={"environment": "production"})
    assert vapid_of(production) is None
    ours = settings.push_vapid_private_key
    configured = kept.model_copy(update={"push_vapid_private_key": ours})
    given, expected = vapid_of(configured), vapid_of(settings)
    assert given is not None and expected is not None
    assert given.public_key == expected.public_key, "a configured key wins over the file"
