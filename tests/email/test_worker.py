"""The email queue worker under outages: nothing lost, nothing sent twice, failover in order."""

import asyncio
from typing import Any

from premier.config import Settings
from premier.db import Database
from premier.delivery.worker import QueueWorker
from premier.email.sending import EmailSending, email_worker
from tests.email.conftest import free_port, queue, statuses, with_settings
from tests.fakes import mailgun as mg
from tests.fakes import sendgrid as sg


def sendgrid_settings(settings: Settings, url: str, **changes: object) -> Settings:
    return with_settings(
        settings,
        email_providers=["sendgrid"],
        sendgrid_base_url=url,
        sendgrid_api_key=sg.API_KEY,
        email_retry_base_seconds=0.001,
        email_retry_max_seconds=0.001,
        **changes,
    )


async def drain_until_settled(
    worker: QueueWorker[Any, Any], database: Database, rounds: int = 50
) -> None:
    """Drain repeatedly: retries are due again at once with the tiny backoff of these tests."""
    for _ in range(rounds):
        await worker.drain()
        if all(s != "queued" for s, _ in (await statuses(database)).values()):
            return
        await asyncio.sleep(0.002)  # let the (1 ms) backoff of retried rows pass


async def test_500s_and_429s_are_retried_until_delivered_once(
    database: Database, settings: Settings
) -> None:
    with sg.running_sendgrid() as fake:
        fake.behaviour.outages += [
            (500, {}, "oops"),
            (429, {"Retry-After": "0"}, "slow down"),
            (503, {}, "busy"),
        ]
        ids = await queue(database, settings, 5)
        worker = email_worker(database=database, settings=sendgrid_settings(settings, fake.url))
        try:
            await drain_until_settled(worker, database)
        finally:
            await worker.aclose()
    assert sorted(a["body"]["personalizations"][0]["to"][0]["email"] for a in fake.accepted) == [
        f"guest{i}@example.com" for i in range(5)
    ]
    assert {s for s, _ in (await statuses(database)).values()} == {"sent"}
    assert len(ids) == 5


async def test_retry_after_is_honoured(database: Database, settings: Settings) -> None:
    from sqlalchemy import select

    from premier.email.models import EmailQueue
    from premier.kit.time import as_utc, utcnow

    with sg.running_sendgrid() as fake:
        fake.behaviour.outages.append((429, {"Retry-After": "120"}, "slow down"))
        await queue(database, settings, 1)
        worker = email_worker(
            database=database,
            settings=with_settings(
                sendgrid_settings(settings, fake.url),
                email_retry_base_seconds=1,
                email_retry_max_seconds=3600,
            ),
        )
        try:
            stats = await worker.drain()
        finally:
            await worker.aclose()
    assert stats.retrying == 1
    async with database.reading() as session:
        row = await session.scalar(select(EmailQueue))
    assert row is not None and row.status == "queued" and "429" in (row.last_error or "")
    assert (as_utc(row.next_attempt_at) - utcnow()).total_seconds() > 110


async def test_permanent_rejection_fails_at_once_and_max_attempts_give_up(
    database: Database, settings: Settings
) -> None:
    with sg.running_sendgrid() as fake:
        [bad] = await queue(database, settings, 1, to="not-an-address")
        worker = email_worker(
            database=database,
            settings=sendgrid_settings(settings, fake.url, breaker_failure_threshold=1000),
        )
        try:
            first = await worker.drain_once()
            fake.behaviour.down = True
            [unlucky] = await queue(database, settings, 1, to="someone@example.com")
            await drain_until_settled(worker, database)
        finally:
            await worker.aclose()
    result = await statuses(database)
    assert result[bad][0] == "failed" and first.failed == 1
    assert result[unlucky][0] == "failed", "gave up after the maximum attempts"


async def test_timeouts_and_refused_connections_lose_nothing(
    database: Database, settings: Settings
) -> None:
    await queue(database, settings, 3)
    nowhere = f"http://127.0.0.1:{free_port()}"
    refused = email_worker(database=database, settings=sendgrid_settings(settings, nowhere))
    try:
        stats = await refused.drain_once()
    finally:
        await refused.aclose()
    assert stats.retrying == 3
    with sg.running_sendgrid() as fake:
        fake.behaviour.delay_seconds = 0.5
        slow = email_worker(
            database=database,
            settings=sendgrid_settings(settings, fake.url, email_provider_timeout_seconds=0.1),
        )
        try:
            await asyncio.sleep(0.01)
            assert (await slow.drain_once()).retrying == 3
        finally:
            await slow.aclose()
        fake.behaviour.delay_seconds = 0
        fake.behaviour.accepted.clear()  # what the timed-out requests delivered late
        worker = email_worker(database=database, settings=sendgrid_settings(settings, fake.url))
        try:
            await asyncio.sleep(0.01)
            await drain_until_settled(worker, database)
        finally:
            await worker.aclose()
    assert len(fake.accepted) == 3
    assert {s for s, _ in (await statuses(database)).values()} == {"sent"}


async def test_two_workers_never_send_the_same_row(database: Database, settings: Settings) -> None:
    with sg.running_sendgrid() as fake:
        await queue(database, settings, 120)
        cfg = sendgrid_settings(settings, fake.url, email_batch_size=10)
        workers = [
            email_worker(database=database, settings=cfg, worker_id=f"w{i}") for i in range(2)
        ]
        try:
            results = await asyncio.gather(*(w.drain() for w in workers))
        finally:
            for w in workers:
                await w.aclose()
    recipients = [a["body"]["personalizations"][0]["to"][0]["email"] for a in fake.accepted]
    assert len(recipients) == 120 and len(set(recipients)) == 120
    assert sum(r.sent for r in results) == 120


async def test_failover_when_the_first_provider_goes_down_mid_drain(
    database: Database, settings: Settings
) -> None:
    with sg.running_sendgrid() as sendgrid, mg.running_mailgun() as mailgun:
        sendgrid.behaviour.fail_after = 15  # goes down after 15 messages
        await queue(database, settings, 60)
        cfg = with_settings(
            sendgrid_settings(
                settings,
                sendgrid.url,
                email_batch_size=10,
                breaker_failure_threshold=3,
                breaker_open_seconds=60,
            ),
            email_providers=["sendgrid", "mailgun"],
            mailgun_base_url=mailgun.url,
            mailgun_api_key=mg.API_KEY,
            mailgun_domain=mg.DOMAIN,
        )
        worker = email_worker(database=database, settings=cfg)
        try:
            await drain_until_settled(worker, database)
            assert isinstance(worker.sending, EmailSending)
            assert worker.sending.failover.states()["sendgrid"] == "open"
        finally:
            await worker.aclose()
    via_sendgrid = [a["body"]["personalizations"][0]["to"][0]["email"] for a in sendgrid.accepted]
    via_mailgun = [a["fields"]["to"][0] for a in mailgun.accepted]
    delivered = via_sendgrid + via_mailgun
    assert len(via_sendgrid) == 15
    assert sorted(delivered) == sorted(f"guest{i}@example.com" for i in range(60)), "once each"
    providers = [p for _, p in (await statuses(database)).values()]
    assert providers.count("sendgrid") == 15 and providers.count("mailgun") == 45


async def test_suppressed_addresses_are_not_sent(database: Database, settings: Settings) -> None:
    from premier.notifications.models import Channel
    from premier.notifications.suppressions import suppress

    [kept, blocked] = await queue(database, settings, 2)
    async with database.writing() as session:
        await suppress(
            session=session,
            channel=Channel.EMAIL,
            address="GUEST1@example.com",
            category="*",
            reason="bounce",
            source="test",
        )
        await session.commit()
    worker = email_worker(database=database, settings=settings)
    stats = await worker.drain()
    result = await statuses(database)
    assert result[kept][0] == "sent" and result[blocked][0] == "suppressed"
    assert stats.suppressed == 1


async def test_a_malformed_success_fails_only_its_own_row_at_its_maximum_attempts(
    database: Database, settings: Settings
) -> None:
    with mg.running_mailgun() as fake:
        fake.behaviour.malformed_to.add("guest2@example.com")
        cfg = with_settings(
            settings,
            email_providers=["mailgun"],
            mailgun_base_url=fake.url,
            mailgun_api_key=mg.API_KEY,
            mailgun_domain=mg.DOMAIN,
            email_retry_base_seconds=0.001,
            email_retry_max_seconds=0.001,
            email_max_attempts=3,
            breaker_failure_threshold=1000,
        )
        ids = await queue(database, cfg, 4)
        worker = email_worker(database=database, settings=cfg)
        try:
            await drain_until_settled(worker, database)
        finally:
            await worker.aclose()
    sent_to = [a["fields"]["to"][0] for a in fake.accepted]
    for i in (0, 1, 3):
        assert sent_to.count(f"guest{i}@example.com") == 1, "healthy rows go out once"
    assert sent_to.count("guest2@example.com") == 3, "retried, then given up"
    result = await statuses(database)
    assert [result[i][0] for i in ids] == ["sent", "sent", "failed", "sent"]
    from premier.email.models import EmailQueue

    async with database.reading() as session:
        failed = await session.get(EmailQueue, ids[2])
    assert failed is not None and failed.attempts == 3
    assert "unexpected answer" in (failed.last_error or "")


async def test_an_answer_the_first_provider_cannot_explain_is_not_sent_again_by_the_next(
    database: Database, settings: Settings
) -> None:
    """A 200 without a message id may mean the mail went out: the next provider does not
    send it too in the same pass; the row waits for its retry."""
    with mg.running_mailgun() as mailgun, sg.running_sendgrid() as sendgrid:
        mailgun.behaviour.malformed_to.add("guest0@example.com")
        cfg = with_settings(
            settings,
            email_providers=["mailgun", "sendgrid"],
            mailgun_base_url=mailgun.url,
            mailgun_api_key=mg.API_KEY,
            mailgun_domain=mg.DOMAIN,
            sendgrid_base_url=sendgrid.url,
            sendgrid_api_key=sg.API_KEY,
            breaker_failure_threshold=1000,
        )
        [email_id] = await queue(database, cfg, 1)
        worker = email_worker(database=database, settings=cfg)
        try:
            await worker.drain_once()
        finally:
            await worker.aclose()
    assert [a["fields"]["to"][0] for a in mailgun.accepted] == ["guest0@example.com"]
    assert sendgrid.accepted == [], "not handed to the next provider at once"
    status, _ = (await statuses(database))[email_id]
    assert status == "queued", "waits for its retry"


async def test_each_sent_email_is_logged_against_its_queue_row(
    database: Database, settings: Settings
) -> None:
    from sqlalchemy import select

    from premier.notifications.models import DeliveryLog

    ids = await queue(database, settings, 2)
    worker = email_worker(
        database=database, settings=with_settings(settings, email_providers=["capture"])
    )
    try:
        await worker.drain()
    finally:
        await worker.aclose()
    async with database.reading() as session:
        logged = {
            (line.queue_id, line.status)
            for line in await session.scalars(
                select(DeliveryLog).where(DeliveryLog.channel == "email")
            )
        }
    assert logged == {(ids[0], "sent"), (ids[1], "sent")}
