"""SMS that follow from domain events, beyond what `notify()` sends: the check-in reminder,
scheduled for the day before arrival at `checkin_reminder_hour` in the hotel's time zone,
and cancelled if the booking is."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.config import Settings
from premier.kit.time import utcnow
from premier.notifications import preferences
from premier.notifications.models import NotificationPreference
from premier.sms import service
from premier.sms.models import SmsQueue
from premier.sms.queueing import SmsRequest, queue_many
from premier.users.models import User

REMINDER = {
    "en": "Reminder: your stay at {hotel} (booking {reference}, room {room}) starts tomorrow, "
    "{day}. Check-in from 14:00. Safe travels!",
    "sw": "Kumbusho: kukaa kwako {hotel} (nafasi {reference}, chumba {room}) kunaanza kesho, "
    "{day}. Kuingia kuanzia saa 8 mchana. Safari njema!",
}
ACTIVE = ("pending", "confirmed")


def reminder_time(*, settings: Settings, check_in: date) -> datetime:
    """The day before arrival at the configured hour, hotel time, as an aware UTC instant."""
    zone = ZoneInfo(settings.hotel_timezone)
    local = datetime.combine(
        check_in - timedelta(days=1), time(settings.sms.checkin_reminder_hour), zone
    )
    return local.astimezone(ZoneInfo("UTC"))


def reference_for(booking_id: int) -> str:
    return f"booking:{booking_id}:checkin_reminder"


async def schedule_checkin_reminders(
    session: AsyncSession, settings: Settings, batch: Sequence[events.BookingEvent]
) -> None:
    """Queue the reminder of each active booking in the batch that has none queued yet, to
    guests who allow booking SMS; a few queries for the whole batch."""
    now = utcnow()
    due = [(event, reminder_time(settings=settings, check_in=event.check_in)) for event in batch]
    # Arriving today or tomorrow morning: the confirmation is enough.
    due = [(event, when) for event, when in due if when > now]
    if not due:
        return
    references = {reference_for(event.booking_id) for event, _ in due}
    queued = set(
        await session.scalars(
            select(SmsQueue.reference).where(
                SmsQueue.reference.in_(references), SmsQueue.status == "queued"
            )
        )
    )
    guests = {event.guest_id for event, _ in due}
    users = {
        user.id: user for user in await session.scalars(select(User).where(User.id.in_(guests)))
    }
    prefs = {
        row.user_id: row
        for row in await session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id.in_(guests))
        )
    }
    requests = []
    for event, when in due:
        user = users.get(event.guest_id)
        reference = reference_for(event.booking_id)
        if user is None or not user.is_active or not user.phone or reference in queued:
            continue
        resolved = preferences.resolve(prefs.get(user.id))
        if not resolved.allows("bookings", "sms"):
            continue
        queued.add(reference)
        locale = resolved.locale or user.locale or "en"
        text = REMINDER.get(locale, REMINDER["en"]).format(
            hotel=settings.hotel_name,
            reference=event.reference,
            room=event.room_number,
            day=event.check_in.strftime("%a %d %b"),
        )
        requests.append(
            SmsRequest(
                to=user.phone,
                body=text,
                category="bookings",
                template="booking.checkin_reminder",
                locale=locale,
                user_id=user.id,
                not_before=when,
                reference=reference,
            )
        )
    # A number on file that is not valid gets no SMS (queue_many says so); the booking stands.
    await queue_many(session=session, settings=settings, requests=requests)


def register(bus: events.EventBus, *, settings: Settings) -> None:
    async def booking_created(session: AsyncSession, batch: Sequence[events.DomainEvent]) -> None:
        active = [e for e in batch if isinstance(e, events.BookingCreated) and e.status in ACTIVE]
        await schedule_checkin_reminders(session, settings, active)

    async def booking_changed(session: AsyncSession, batch: Sequence[events.DomainEvent]) -> None:
        changed = [e for e in batch if isinstance(e, events.BookingStatusChanged)]
        await schedule_checkin_reminders(
            session, settings, [e for e in changed if e.status in ACTIVE]
        )
        for event in changed:
            if event.status == "cancelled":
                await service.cancel_by_reference(
                    session=session, reference=reference_for(event.booking_id)
                )

    bus.subscribe_deferred_batch(events.BookingCreated.type, booking_created)
    bus.subscribe_deferred_batch(events.BookingStatusChanged.type, booking_changed)
