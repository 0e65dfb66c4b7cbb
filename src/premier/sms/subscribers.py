"""SMS that follow from domain events, beyond what `notify()` sends: the check-in reminder,
scheduled for the day before arrival at `checkin_reminder_hour` in the hotel's time zone,
and cancelled if the booking is."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.config import Settings
from premier.kit.errors import InvalidInput
from premier.kit.time import utcnow
from premier.notifications import preferences
from premier.notifications.models import NotificationPreference
from premier.sms import service
from premier.sms.models import SmsQueue
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


async def schedule_checkin_reminder(
    session: AsyncSession, settings: Settings, event: events.BookingEvent
) -> SmsQueue | None:
    when = reminder_time(settings=settings, check_in=event.check_in)
    if when <= utcnow():
        return None  # arriving today or tomorrow morning: the confirmation is enough
    # The confirmation's notify() (subscribed before this, see hotel_bus) loaded this guest
    # moments ago and holds it in the session: no query.
    user = await session.get(User, event.guest_id)
    if user is None or not user.is_active or not user.phone:
        return None
    reference = reference_for(event.booking_id)
    existing = await session.scalar(
        select(SmsQueue.id).where(SmsQueue.reference == reference, SmsQueue.status == "queued")
    )
    if existing is not None:
        return None
    row = await session.scalar(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )
    prefs = preferences.resolve(row)
    if not prefs.allows("bookings", "sms"):
        return None
    locale = prefs.locale or user.locale or "en"
    text = REMINDER.get(locale, REMINDER["en"]).format(
        hotel=settings.hotel_name,
        reference=event.reference,
        room=event.room_number,
        day=event.check_in.strftime("%a %d %b"),
    )
    try:
        return await service.queue_sms(
            session=session,
            settings=settings,
            to=user.phone,
            body=text,
            category="bookings",
            template="booking.checkin_reminder",
            locale=locale,
            user_id=user.id,
            not_before=when,
            reference=reference,
        )
    except InvalidInput:
        return None  # a number on file that is not valid gets no SMS; the booking stands


def register(bus: events.EventBus, *, settings: Settings) -> None:
    async def booking_created(session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.BookingCreated)
        if event.status in ACTIVE:
            await schedule_checkin_reminder(session, settings, event)

    async def booking_changed(session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.BookingStatusChanged)
        if event.status in ACTIVE:
            await schedule_checkin_reminder(session, settings, event)
        elif event.status == "cancelled":
            await service.cancel_by_reference(
                session=session, reference=reference_for(event.booking_id)
            )

    bus.subscribe_deferred(events.BookingCreated.type, booking_created)
    bus.subscribe_deferred(events.BookingStatusChanged.type, booking_changed)
