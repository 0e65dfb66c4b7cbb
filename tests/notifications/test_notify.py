"""notify() through the domain events that trigger it: channels, preferences, languages,
quiet hours, and the transactional outbox."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from premier import events
from premier.db import Database
from premier.email.models import EmailQueue
from premier.events.models import OutboxEvent
from premier.kit.time import as_utc, utcnow
from premier.notifications import preferences
from premier.notifications.builtin import BUILTIN, LOCALES
from premier.notifications.catalog import EVENTS
from premier.notifications.models import Channel, DeliveryLog, Notification
from premier.notifications.render import builtin_parts, render_parts
from premier.sms.models import SmsQueue
from premier.users.models import Role
from tests.helpers import emit_and_fan_out, make_user, signed_in


def booking_created(guest_id: int, **overrides: Any) -> events.BookingCreated:
    fields: dict[str, Any] = dict(
        booking_id=7,
        reference="PH-7Q2K",
        guest_id=guest_id,
        room_id=1,
        room_number="204",
        room_type_id=1,
        check_in=date(2026, 12, 20),
        check_out=date(2026, 12, 23),
        status="confirmed",
    )
    return events.BookingCreated(**(fields | overrides))


async def emit(database: Database, *domain_events: events.DomainEvent) -> None:
    await emit_and_fan_out(database, *domain_events)


async def rows(database: Database, model: Any, **where: Any) -> list[Any]:
    async with database.reading() as session:
        query = select(model).filter_by(**where).order_by(model.id)
        return list(await session.scalars(query))


async def test_booking_confirmation_reaches_every_enabled_channel(database: Database) -> None:
    guest = await make_user(database)
    await emit(database, booking_created(guest))

    [notification] = await rows(database, Notification, user_id=guest)
    assert notification.category == "bookings"
    assert "PH-7Q2K" in notification.title
    [email] = await rows(database, EmailQueue, user_id=guest)
    assert email.status == "queued"
    assert email.subject == "Your booking PH-7Q2K is confirmed"
    assert "room 204" not in email.subject
    assert "Check-in: Sun 20 Dec 2026" in email.body_text
    assert "<td style=" in email.body_html or "204" in email.body_html
    assert 'style="' in email.body_html, "CSS is inlined for mail clients"
    assert email.attachments[0]["filename"] == "booking.ics"
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [sms] = await rows(database, SmsQueue, user_id=guest, template="booking.created")
    assert sms.to_phone == "+254712345678" and "PH-7Q2K" in sms.body
    logged = {(log.channel, log.status) for log in await rows(database, DeliveryLog)}
    assert logged == {
        ("in_app", "delivered"),
        ("email", "queued"),
        ("sms", "queued"),
        ("push", "not_configured"),  # no VAPID key in these tests
    }


async def test_a_rolled_back_change_notifies_nobody(database: Database) -> None:
    guest = await make_user(database)
    async with database.writing() as session:
        await events.emit(session, booking_created(guest))
        await session.rollback()
    await emit(database)  # the dispatcher finds nothing to fan out
    assert await rows(database, OutboxEvent) == []
    assert await rows(database, Notification) == []
    assert await rows(database, EmailQueue) == []
    assert await rows(database, SmsQueue) == []


async def test_notification_created_event_is_published_after_commit(
    app: Any, database: Database
) -> None:
    heard: list[events.DomainEvent] = []

    async def listen(event: events.DomainEvent) -> None:
        heard.append(event)

    app.state.bus.subscribe("notification.created", listen)
    guest = await make_user(database)
    await emit(database, booking_created(guest))
    assert [type(e) for e in heard] == [events.NotificationCreated]
    assert heard[0].channels() == [f"user:{guest}"]


async def test_switched_off_channels_are_respected(database: Database) -> None:
    guest = await make_user(database)
    async with database.writing() as session:
        await preferences.update(
            session=session,
            user_id=guest,
            channels={"bookings": {"email": False, "sms": False}},
            quiet_hours=None,
            locale=None,
            set_locale=False,
        )
    await emit(database, booking_created(guest))
    assert len(await rows(database, Notification, user_id=guest)) == 1
    assert await rows(database, EmailQueue) == []
    assert await rows(database, SmsQueue) == []


async def test_swahili_speakers_get_swahili(database: Database) -> None:
    guest = await make_user(database)
    async with database.writing() as session:
        await preferences.update(
            session=session,
            user_id=guest,
            channels=None,
            quiet_hours=None,
            locale="sw",
            set_locale=True,
        )
    await emit(database, booking_created(guest))
    [email] = await rows(database, EmailQueue)
    assert email.subject == "Uhifadhi wako PH-7Q2K umethibitishwa"
    assert email.locale == "sw"
    assert "Jiondoe" in email.body_html


async def test_quiet_hours_defer_email_and_sms_until_they_end(
    database: Database, settings: Any
) -> None:
    guest = await make_user(database)
    now = datetime.now(ZoneInfo(settings.hotel_timezone))
    start = (now - timedelta(hours=1)).strftime("%H:%M")
    end = (now + timedelta(hours=2)).strftime("%H:%M")
    async with database.writing() as session:
        await preferences.update(
            session=session,
            user_id=guest,
            channels=None,
            quiet_hours=(start, end),
            locale=None,
            set_locale=False,
        )
    await emit(database, booking_created(guest))
    [email] = await rows(database, EmailQueue)
    [sms] = await rows(database, SmsQueue, template="booking.created")
    for row in (email, sms):
        wait = as_utc(row.next_attempt_at) - utcnow()
        assert timedelta(hours=1, minutes=58) < wait <= timedelta(hours=2)
    assert len(await rows(database, Notification)) == 1, "in-app is never held back"


async def test_promotions_go_only_to_guests_who_opted_in(database: Database, settings: Any) -> None:
    from premier.notifications.service import notify

    keen = await make_user(database)
    other = await make_user(database)
    async with database.writing() as session:
        await preferences.update(
            session=session,
            user_id=keen,
            channels={"promotions": {"email": True}},
            quiet_hours=None,
            locale=None,
            set_locale=False,
        )
    async with database.writing() as session:
        await notify(
            session=session,
            settings=settings,
            recipients=[keen, other],
            event_type="promotion",
            context={"title": "Spa week", "message": "20% off", "cta_url": None},
        )
        await events.commit(session)
    [email] = await rows(database, EmailQueue)
    assert email.user_id == keen
    assert "unsubscribe" in email.body_html.lower()


async def test_a_new_review_notifies_every_manager(database: Database) -> None:
    managers = [await make_user(database, role=Role.MANAGER) for _ in range(2)]
    guest = await make_user(database)
    await emit(
        database,
        events.ReviewCreated(
            review_id=1, booking_id=2, guest_id=guest, rating=2, comment="<script>x</script> cold"
        ),
    )
    emails = await rows(database, EmailQueue)
    assert sorted(e.user_id for e in emails) == sorted(managers)
    assert "<script>" not in emails[0].body_html, "guest text is escaped in HTML"
    assert "&lt;script&gt;" in emails[0].body_html


async def test_payment_success_sends_a_receipt_and_failure_a_notice(database: Database) -> None:
    guest = await make_user(database)
    common = dict(
        payment_id=5,
        payer_id=guest,
        booking_id=None,
        order_id=9,
        amount=185000,
        currency="KES",
        method="mpesa",
    )
    await emit(
        database,
        events.PaymentStatusChanged(**common, status="succeeded", previous_status="pending"),
    )
    await emit(
        database, events.PaymentStatusChanged(**common, status="failed", previous_status="pending")
    )
    subjects = [e.subject for e in await rows(database, EmailQueue)]
    assert subjects == [
        "Receipt for your payment of KES 1,850.00",
        "Your payment of KES 1,850.00 did not go through",
    ]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("event_type", sorted(EVENTS))
def test_every_builtin_template_exists_and_renders_in_both_languages(
    event_type: str, locale: str
) -> None:
    assert (event_type, locale) in BUILTIN
    spec = EVENTS[event_type]
    context = {
        **spec.sample,
        "hotel": {"name": "H", "address": "A"},
        "recipient": {"name": "Grace", "email": "g@example.com"},
        "unsubscribe_url": None,
    }
    for channel in spec.channels:
        parts = builtin_parts(event_type, Channel(channel), locale)
        assert parts is not None
        rendered = render_parts(parts, context)
        assert rendered.text.strip()


async def test_unread_counts_move_with_new_notifications(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, headers = await signed_in(client, database)
    await emit(database, booking_created(guest), booking_created(guest, booking_id=8))
    response = await client.get("/api/v1/notifications/unread-count", headers=headers)
    assert response.json() == {"unread": 2}
    async with database.reading() as session:
        assert await session.scalar(select(func.count()).select_from(Notification)) == 2


async def test_messages_speak_in_words_not_status_codes(database: Database) -> None:
    """ "checked in", not "checked_in"; dates with their year; the stay's price; in Swahili too."""
    guest = await make_user(database)
    mwenyeji = await make_user(database)
    async with database.writing() as session:
        await preferences.update(session=session, user_id=mwenyeji, channels=None,
                                 quiet_hours=None, locale="sw", set_locale=True)  # fmt: skip
    checked_in = events.BookingStatusChanged(
        **booking_created(guest).model_dump(), previous_status="confirmed"
    )
    checked_in.status = "checked_in"
    await emit(database, checked_in, booking_created(guest, total_amount=3_600_000, currency="KES"))
    change, confirmation = await rows(database, EmailQueue, user_id=guest)
    assert change.subject == "Booking PH-7Q2K is now checked in"
    assert "from confirmed to checked in" in change.body_text
    assert "checked_in" not in change.body_html
    assert "Check-out: Wed 23 Dec 2026" in confirmation.body_text
    assert "Total: KES 36,000.00" in confirmation.body_text

    sw = events.BookingStatusChanged(
        **booking_created(mwenyeji).model_dump(), previous_status="confirmed"
    )
    sw.status = "cancelled"
    await emit(database, sw)
    [email] = await rows(database, EmailQueue, user_id=mwenyeji)
    assert email.subject == "Uhifadhi PH-7Q2K: imeghairiwa"
    assert "kutoka imethibitishwa kuwa imeghairiwa" in email.body_text


async def test_a_receipt_names_the_booking_by_its_reference(database: Database) -> None:
    guest = await make_user(database)
    await emit(database, booking_created(guest))
    paid = events.PaymentStatusChanged(payment_id=5, payer_id=guest, booking_id=None, order_id=9,
                                       amount=120_000, currency="KES", method="mpesa",
                                       status="succeeded", previous_status="pending")  # fmt: skip
    await emit(database, paid)
    receipt = (await rows(database, EmailQueue, user_id=guest))[-1]
    assert "Method: M-Pesa" in receipt.body_text
    assert "For: room-service order #9" in receipt.body_text


async def test_a_notice_to_many_greets_each_by_name_in_their_language(
    database: Database, settings: Any
) -> None:
    """One notice to several people: the parts they share are rendered once per language,
    yet each email still names its own reader and carries its own unsubscribe link."""
    from premier.notifications.service import notify

    english = [await make_user(database, email=f"{n}@example.com") for n in ("amina", "brian")]
    swahili = await make_user(database, email="chausiku@example.com")
    async with database.writing() as session:
        await preferences.update(
            session=session, user_id=swahili, channels=None, quiet_hours=None,
            locale="sw", set_locale=True,
        )  # fmt: skip
        await notify(
            session=session,
            settings=settings,
            recipients=[*english, swahili],
            event_type="announcement",
            context={
                "title": "Pool closed",
                "message": "Closed on Friday.",
                "sw": {"title": "Bwawa limefungwa", "message": "Limefungwa Ijumaa."},
            },
        )
        await session.commit()
    emails = {e.to_address: e for e in await rows(database, EmailQueue)}
    assert emails["amina@example.com"].subject == "Pool closed"
    assert "Dear amina" in emails["amina@example.com"].body_text
    assert "Dear brian" in emails["brian@example.com"].body_text
    assert "amina" not in emails["brian@example.com"].body_html
    assert emails["chausiku@example.com"].subject == "Bwawa limefungwa"
    assert "Mpendwa chausiku" in emails["chausiku@example.com"].body_text
    links = {e.headers["List-Unsubscribe"] for e in emails.values()}
    assert len(links) == 3, "each reader's unsubscribe link is their own"
    titles = {n.user_id: n.title for n in await rows(database, Notification)}
    assert titles == {english[0]: "Pool closed", english[1]: "Pool closed",
                      swahili: "Bwawa limefungwa"}  # fmt: skip
