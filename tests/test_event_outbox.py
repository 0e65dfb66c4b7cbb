"""Deferred subscribers run from the event outbox: after the change commits, exactly once,
and a subscriber that fails is retried later without holding back the others."""

import asyncio
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.db import Database
from premier.events.dispatcher import EventDispatcher, OutboxInflow
from premier.events.models import OutboxEvent, QueueStatus
from premier.kit.time import as_utc, utcnow
from premier.notifications.models import Notification
from tests.helpers import commit_events, make_user


def booking_created(guest_id: int, booking_id: int = 7) -> events.BookingCreated:
    return events.BookingCreated(
        booking_id=booking_id, reference=f"PH-{booking_id:04d}", guest_id=guest_id, room_id=1,
        room_number="204", room_type_id=1, check_in=date(2026, 12, 20),
        check_out=date(2026, 12, 23), status="confirmed",
    )  # fmt: skip


async def all_rows(database: Database, model: Any) -> list[Any]:
    async with database.reading() as session:
        return list(await session.scalars(select(model).order_by(model.id)))


async def test_a_committed_event_waits_in_the_outbox_until_dispatched_once(
    app: Any, database: Database
) -> None:
    guest = await make_user(database)
    await commit_events(database, booking_created(guest))
    assert await all_rows(database, Notification) == []
    [row] = await all_rows(database, OutboxEvent)
    assert (row.event_type, row.status) == ("booking.created", QueueStatus.PENDING)

    assert await app.state.dispatcher.drain() == 1
    assert await app.state.dispatcher.drain() == 0
    [notification] = await all_rows(database, Notification)
    assert notification.user_id == guest and "PH-0007" in notification.title
    [row] = await all_rows(database, OutboxEvent)
    assert row.status == QueueStatus.DISPATCHED and row.dispatched_at is not None


async def test_dispatchers_side_by_side_fan_each_event_out_once(
    app: Any, database: Database
) -> None:
    guest = await make_user(database)
    await commit_events(database, *(booking_created(guest, n) for n in range(1, 41)))
    bus = app.state.bus
    dispatchers = [EventDispatcher(database=database, bus=bus, batch_size=3) for _ in range(4)]
    taken = await asyncio.gather(*(d.drain() for d in dispatchers))
    assert sum(taken) == 40
    titles = [n.title for n in await all_rows(database, Notification)]
    assert len(titles) == len(set(titles)) == 40


async def test_a_failing_subscriber_is_retried_later_and_spares_the_others(
    app: Any, database: Database
) -> None:
    guest = await make_user(database)
    heard: list[events.DomainEvent] = []

    async def fails_for_booking_13(session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.BookingCreated)
        if event.booking_id == 13:
            raise RuntimeError("template store unreachable")

    async def listen(event: events.DomainEvent) -> None:
        heard.append(event)

    app.state.bus.subscribe_deferred("booking.created", fails_for_booking_13)
    app.state.bus.subscribe("notification.created", listen)
    await commit_events(database, booking_created(guest, 12), booking_created(guest, 13))
    before = utcnow()
    assert await app.state.dispatcher.drain() == 2

    # Booking 12's notification stands; booking 13's rolled back and was never announced.
    [notification] = await all_rows(database, Notification)
    assert "PH-0012" in notification.title
    assert [e.notification_id for e in heard] == [notification.id]  # type: ignore[attr-defined]
    failed = (await all_rows(database, OutboxEvent))[1]
    assert failed.status == QueueStatus.PENDING and failed.attempts == 1
    assert failed.last_error == "RuntimeError: template store unreachable"
    assert as_utc(failed.available_at) > before, "retried after a back-off, not at once"
    assert await app.state.dispatcher.drain() == 0, "not due yet"


def note_three_events(app: Any) -> tuple[list[AsyncSession], asyncio.Event]:
    """Subscribes a fan-out that notes the session each booking event runs in; the event is
    set once three have run."""
    sessions: list[AsyncSession] = []  # kept, so no two share an id()
    done = asyncio.Event()

    async def note_batch(session: AsyncSession, event: events.DomainEvent) -> None:
        sessions.append(session)
        if len(sessions) == 3:
            done.set()

    app.state.bus.subscribe_deferred("booking.created", note_batch)
    return sessions, done


async def test_while_requests_are_served_the_fan_out_takes_one_event_at_a_time(
    app: Any, database: Database
) -> None:
    guest = await make_user(database)
    sessions, done = note_three_events(app)
    await commit_events(database, *(booking_created(guest, n) for n in (1, 2, 3)))
    rushed = EventDispatcher(database=database, bus=app.state.bus, busy=lambda: True)
    await rushed.run(done)
    assert len({id(s) for s in sessions}) == 3, "one transaction an event while the API is busy"

    sessions.clear()
    done.clear()
    await commit_events(database, *(booking_created(guest, n) for n in (4, 5, 6)))
    await EventDispatcher(database=database, bus=app.state.bus).run(done)
    assert len({id(s) for s in sessions}) == 1, "one batch when it is not"


async def test_events_dispatched_a_week_ago_are_pruned_and_pending_ones_never(
    app: Any, database: Database
) -> None:
    guest = await make_user(database)
    await commit_events(database, *(booking_created(guest, n) for n in (1, 2, 3)))
    await app.state.dispatcher.drain()
    await commit_events(database, booking_created(guest, 4))  # still pending
    async with database.writing() as session:
        rows = list(await session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)))
        rows[0].dispatched_at = utcnow() - timedelta(days=8)
        rows[3].created_at = utcnow() - timedelta(days=30)
        await session.commit()
    await app.state.dispatcher.prune()
    left = [row.status for row in await all_rows(database, OutboxEvent)]
    assert left == [
        QueueStatus.DISPATCHED,
        QueueStatus.DISPATCHED,
        QueueStatus.PENDING,
    ]


def test_a_worker_yields_while_events_arrive_faster_than_it_fans_them_out() -> None:
    """`premier worker` cannot see the API's requests; it sees their events arrive."""
    inflow = OutboxInflow()
    inflow.arrived(newest_id=100, now=0.0)
    inflow.arrived(newest_id=900, now=1.0)
    assert not inflow.rush, "no rush declared before it knows its own pace"

    inflow.dispatched(taken=64, seconds=0.64)  # 100 events a second at full speed
    inflow.arrived(newest_id=1_200, now=2.0)  # 300 arrived in the second
    assert inflow.rush
    inflow.arrived(newest_id=1_280, now=3.0)  # 80: it can keep up again
    assert not inflow.rush


async def test_a_worker_in_a_rush_takes_one_event_at_a_time(app: Any, database: Database) -> None:
    guest = await make_user(database)
    sessions, done = note_three_events(app)
    await commit_events(database, *(booking_created(guest, n) for n in (1, 2, 3)))
    worker = EventDispatcher(database=database, bus=app.state.bus)
    assert worker.inflow is not None
    worker.inflow.rush = True  # as OutboxInflow finds it in a rush (above)
    worker.inflow_window = 3600.0  # and keeps that verdict for the test
    await worker.run(done)
    assert len({id(s) for s in sessions}) == 3
