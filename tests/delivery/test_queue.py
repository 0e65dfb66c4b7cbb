"""The shared queue mechanics: leases, concurrent claimers, backoff, breakers."""

import asyncio
from datetime import timedelta

from sqlalchemy import select

from premier.db import Database
from premier.delivery.breaker import BreakerState, CircuitBreaker, Failover
from premier.delivery.queue import Backoff, Outcome, claim_due_rows, settle
from premier.email.models import EmailQueue
from premier.kit.time import as_utc, utcnow


async def queue(database: Database, n: int) -> None:
    async with database.writing() as session:
        for i in range(n):
            session.add(
                EmailQueue(
                    message_id=f"<{i}@t>",
                    to_address=f"g{i}@example.com",
                    from_address="h@t",
                    subject="s",
                    body_text="t",
                    body_html="h",
                    category="general",
                    max_attempts=3,
                )
            )
        await session.commit()


async def test_concurrent_claimers_never_share_a_row(database: Database) -> None:
    await queue(database, 60)

    async def claimer(name: str) -> list[int]:
        taken: list[int] = []
        while batch := await claim_due_rows(
            database=database, model=EmailQueue, worker_id=name, limit=7, lease_seconds=60
        ):
            taken += [row.id for row in batch]
        return taken

    results = await asyncio.gather(*(claimer(f"w{i}") for i in range(4)))
    every = [row_id for taken in results for row_id in taken]
    assert sorted(every) == list(range(1, 61)), "each row claimed exactly once"


async def test_an_expired_lease_is_taken_over_and_the_old_owner_cannot_settle(
    database: Database,
) -> None:
    await queue(database, 1)
    [row] = await claim_due_rows(
        database=database, model=EmailQueue, worker_id="dead", limit=10, lease_seconds=30
    )
    later = utcnow() + timedelta(seconds=31)
    assert (
        await claim_due_rows(
            database=database, model=EmailQueue, worker_id="w2", limit=10, lease_seconds=30
        )
        == []
    )
    [again] = await claim_due_rows(
        database=database, model=EmailQueue, worker_id="w2", limit=10, lease_seconds=30, now=later
    )
    assert again.id == row.id and again.attempts == 2
    async with database.writing() as session:
        stale = await settle(
            session=session,
            model=EmailQueue,
            worker_id="dead",
            outcomes=[Outcome(row.id, ok=True, provider="smtp")],
            backoff=Backoff(),
        )
        fresh = await settle(
            session=session,
            model=EmailQueue,
            worker_id="w2",
            outcomes=[Outcome(row.id, ok=True, provider="sendgrid")],
            backoff=Backoff(),
        )
        await session.commit()
    assert stale == {} and fresh == {row.id: "sent"}
    async with database.reading() as session:
        stored = await session.get(EmailQueue, row.id)
        assert stored is not None and stored.provider == "sendgrid"


async def test_transient_failures_back_off_then_fail_after_max_attempts(
    database: Database,
) -> None:
    await queue(database, 1)
    backoff = Backoff(base_seconds=10, max_seconds=600)
    now = utcnow()
    for attempt in (1, 2, 3):
        [row] = await claim_due_rows(
            database=database, model=EmailQueue, worker_id="w", limit=1, lease_seconds=30, now=now
        )
        async with database.writing() as session:
            result = await settle(
                session=session,
                model=EmailQueue,
                worker_id="w",
                now=now,
                backoff=backoff,
                outcomes=[
                    Outcome(
                        row.id,
                        ok=False,
                        error="HTTP 429",
                        retry_after=120,
                        attempts=row.attempts,
                        max_attempts=row.max_attempts,
                    )
                ],
            )
            await session.commit()
        async with database.reading() as session:
            stored = await session.scalar(select(EmailQueue))
        assert stored is not None
        if attempt < 3:
            assert result == {row.id: "queued"}
            assert as_utc(stored.next_attempt_at) - now >= timedelta(seconds=120)
            now = as_utc(stored.next_attempt_at)
        else:
            assert result == {row.id: "failed"} and stored.last_error == "HTTP 429"


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    backoff = Backoff(base_seconds=10, max_seconds=100)
    delays = [backoff.delay(n) for n in range(1, 8)]
    assert 5 <= delays[0] <= 10 and 10 <= delays[1] <= 20
    assert all(d <= 100 for d in delays)
    assert backoff.delay(1, retry_after=50) >= 50
    assert len({backoff.delay(3) for _ in range(20)}) > 1, "jittered"


def test_breaker_opens_half_opens_and_closes() -> None:
    clock = [0.0]
    breaker = CircuitBreaker("a", threshold=2, open_seconds=10, clock=lambda: clock[0])
    breaker.record_failure()
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state == BreakerState.OPEN and not breaker.allow()
    clock[0] = 11
    assert breaker.allow() and not breaker.allow(), "one probe at a time"
    breaker.record_failure()
    assert breaker.state == BreakerState.OPEN
    clock[0] = 22
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state == BreakerState.CLOSED


def test_failover_skips_open_providers_in_order() -> None:
    failover = Failover([("sendgrid", 1), ("mailgun", 2), ("smtp", 3)], threshold=1)
    assert [n for n, _ in failover.candidates()] == ["sendgrid", "mailgun", "smtp"]
    failover.breakers["sendgrid"].record_failure()
    assert [n for n, _ in failover.candidates()] == ["mailgun", "smtp"]
    assert failover.states()["sendgrid"] == "open"


async def test_a_row_whose_lease_keeps_expiring_is_given_up_at_its_maximum_attempts(
    database: Database,
) -> None:
    await queue(database, 1)  # three attempts at most
    now = utcnow()
    for attempt in (1, 2, 3):
        [row] = await claim_due_rows(
            database=database, model=EmailQueue, worker_id="w", limit=1, lease_seconds=30, now=now
        )
        assert row.attempts == attempt
        now += timedelta(seconds=31)  # the batch died: nothing settled, the lease runs out
    taken = await claim_due_rows(
        database=database, model=EmailQueue, worker_id="w", limit=1, lease_seconds=30, now=now
    )
    assert taken == [], "not sent a fourth time"
    async with database.reading() as session:
        stored = await session.scalar(select(EmailQueue))
    assert stored is not None and (stored.status, stored.attempts) == ("failed", 3)
    assert stored.lease_owner is None
    assert (stored.last_error or "").startswith("gave up after 3 attempts")
