"""Domain events that notify people. Deferred subscribers: the event commits (or rolls back)
with the change, and the dispatcher writes the notification and its email and SMS rows in a
transaction of its own, away from the request (see premier.events).

Each event becomes `Notice`s (whom to tell what); the notices of a dispatched batch of events
go to `notify_many` together, so a burst of bookings is written in a few statements."""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.bookings.calendar import booking_calendar
from premier.bookings.models import Booking
from premier.config import Settings
from premier.kit.money import format_amount
from premier.notifications.models import Priority
from premier.notifications.service import Notice, notify_many
from premier.reviews.models import Review
from premier.users.models import Role, User

SUCCEEDED = {"succeeded", "completed", "paid"}
FAILED = {"failed", "declined", "cancelled", "expired"}


def _booking(event: events.BookingEvent) -> dict[str, Any]:
    return {
        "id": event.booking_id,
        "reference": event.reference,
        "room_number": event.room_number,
        "check_in": event.check_in.isoformat(),
        "check_out": event.check_out.isoformat(),
        "status": event.status,
        "nights": (event.check_out - event.check_in).days,
        "total": format_amount(event.total_amount, event.currency)
        if event.total_amount is not None and event.currency
        else None,
    }


def _order(event: events.OrderEvent) -> dict[str, Any]:
    return {
        "id": event.order_id,
        "status": event.status,
        "room_number": event.room_number,
        "total": format_amount(event.total_amount, event.currency),
    }


Notices = Callable[[AsyncSession, Any], Awaitable[list[Notice]]]


class Subscribers:
    """What each event that tells someone something says, and to whom."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def confirmation(self, event: events.BookingEvent) -> Notice:
        calendar = booking_calendar(
            uid=f"booking-{event.booking_id}@{self.settings.public_base_url.split('//')[-1]}",
            summary=f"Stay at {self.settings.hotel_name} ({event.reference})",
            start=event.check_in,
            end=event.check_out,
            location=self.settings.hotel_address,
            description=f"Room {event.room_number}, booking {event.reference}",
        )
        return Notice(
            recipients=[event.guest_id],
            event_type="booking.created",
            context={"booking": _booking(event)},
            attachments=[calendar],
            data={"booking_id": event.booking_id},
        )

    async def booking_created(
        self, session: AsyncSession, event: events.BookingCreated
    ) -> list[Notice]:
        if event.status == "confirmed":
            return [self.confirmation(event)]
        return [
            Notice(
                recipients=[event.guest_id],
                event_type="booking.received",
                context={"booking": _booking(event)},
                data={"booking_id": event.booking_id},
            )
        ]

    async def booking_status_changed(
        self, session: AsyncSession, event: events.BookingStatusChanged
    ) -> list[Notice]:
        if event.status == "confirmed" and event.previous_status in ("pending", "held"):
            # The confirmation (with its calendar file) goes out when a pending booking
            # is confirmed, e.g. once its payment arrives.
            return [self.confirmation(event)]
        return [
            Notice(
                recipients=[event.guest_id],
                event_type="booking.status_changed",
                context={"booking": _booking(event), "previous_status": event.previous_status},
                data={"booking_id": event.booking_id},
            )
        ]

    async def order_created(
        self, session: AsyncSession, event: events.OrderCreated
    ) -> list[Notice]:
        return [
            Notice(
                recipients=[event.guest_id],
                event_type="order.created",
                context={"order": _order(event)},
                data={"order_id": event.order_id},
            )
        ]

    async def order_status_changed(
        self, session: AsyncSession, event: events.OrderStatusChanged
    ) -> list[Notice]:
        return [
            Notice(
                recipients=[event.guest_id],
                event_type="order.status_changed",
                priority=Priority.HIGH if event.status == "ready" else Priority.NORMAL,
                context={"order": _order(event), "previous_status": event.previous_status},
                data={"order_id": event.order_id},
            )
        ]

    async def payment_status_changed(
        self, session: AsyncSession, event: events.PaymentStatusChanged
    ) -> list[Notice]:
        if event.status == event.previous_status:
            return []
        if event.status in SUCCEEDED:
            event_type = "payment.receipt"
        elif event.status in FAILED:
            event_type = "payment.failed"
        else:
            return []
        payment = {
            "id": event.payment_id,
            "amount": format_amount(event.amount, event.currency),
            "method": event.method,
            "status": event.status,
            "booking": await _booking_reference(session, event.booking_id),
            "order": event.order_id,
            "tendered": _money_or_none(event.tendered_amount, event.currency),
            "change": _money_or_none(event.change_due, event.currency),
        }
        return [
            Notice(
                recipients=[event.payer_id],
                event_type=event_type,
                context={"payment": payment},
                data={"payment_id": event.payment_id},
            )
        ]

    async def payment_flagged(
        self, session: AsyncSession, event: events.PaymentFlagged
    ) -> list[Notice]:
        payment = {"reference": event.reference, "provider": event.provider,
                   "reason": event.reason}  # fmt: skip
        return [
            Notice(
                recipients=await _management(session),
                event_type="payment.flagged",
                priority=Priority.HIGH,
                context={"payment": payment},
                data={"payment_id": event.payment_id},
            )
        ]

    async def review_created(
        self, session: AsyncSession, event: events.ReviewCreated
    ) -> list[Notice]:
        guest = await session.get(User, event.guest_id)
        review = {
            "id": event.review_id,
            "rating": event.rating,
            "comment": event.comment,
            "booking_id": event.booking_id,
            "guest_name": guest.full_name if guest else "A guest",
        }
        return [
            Notice(
                recipients=await _management(session),
                event_type="review.created",
                context={"review": review},
                data={"review_id": event.review_id},
            )
        ]

    async def review_replied(
        self, session: AsyncSession, event: events.ReviewReplied
    ) -> list[Notice]:
        found = await session.get(Review, event.review_id)
        if found is None or not found.reply:
            return []  # taken back before it went out
        review = {
            "id": found.id,
            "rating": found.rating,
            "reply": found.reply,
            "booking": await _booking_reference(session, event.booking_id),
        }
        return [
            Notice(
                recipients=[event.guest_id],
                event_type="review.replied",
                context={"review": review},
                data={"booking_id": event.booking_id},
            )
        ]

    async def service_request_assigned(
        self, session: AsyncSession, event: events.ServiceRequestAssigned
    ) -> list[Notice]:
        if event.assignee_id is None:
            return []
        request = {
            "id": event.request_id,
            "kind": event.kind,
            "room_number": event.room_number,
            "status": event.status,
        }
        return [
            Notice(
                recipients=[event.assignee_id],
                event_type="service_request.assigned",
                priority=Priority.HIGH,
                context={"request": request},
                data={"request_id": event.request_id},
            )
        ]

    async def sms_budget_exceeded(
        self, session: AsyncSession, event: events.SmsBudgetExceeded
    ) -> list[Notice]:
        return [
            Notice(
                recipients=await _management(session),
                event_type="sms.budget_exceeded",
                priority=Priority.HIGH,
                context={"budget": event.budget},
                data={"budget": event.budget},
            )
        ]


def _money_or_none(amount: int | None, currency: str) -> str | None:
    return None if amount is None else format_amount(amount, currency)


async def _booking_reference(session: AsyncSession, booking_id: int | None) -> str | None:
    """What the guest knows a booking by: its reference, not our row id."""
    if booking_id is None:
        return None
    booking = await session.get(Booking, booking_id)
    return booking.reference if booking else None


async def _management(session: AsyncSession) -> list[int]:
    return list(
        await session.scalars(
            select(User.id).where(User.role.in_([Role.MANAGER, Role.ADMIN]), User.is_active)
        )
    )


def register(bus: events.EventBus, *, settings: Settings) -> None:
    on = Subscribers(settings)
    handlers: list[tuple[type[events.DomainEvent], Notices]] = [
        (events.BookingCreated, on.booking_created),
        (events.BookingStatusChanged, on.booking_status_changed),
        (events.OrderCreated, on.order_created),
        (events.OrderStatusChanged, on.order_status_changed),
        (events.PaymentStatusChanged, on.payment_status_changed),
        (events.PaymentFlagged, on.payment_flagged),
        (events.ReviewCreated, on.review_created),
        (events.ReviewReplied, on.review_replied),
        (events.ServiceRequestAssigned, on.service_request_assigned),
        (events.SmsBudgetExceeded, on.sms_budget_exceeded),
    ]
    for event_class, notices in handlers:
        bus.subscribe_deferred_batch(event_class.type, _told(settings, event_class, notices))


def _told(
    settings: Settings, event_class: type[events.DomainEvent], notices: Notices
) -> events.BatchHandler:
    """A batch handler: every event's notices, then one notify_many for all of them."""

    async def handle(session: AsyncSession, batch: Sequence[events.DomainEvent]) -> None:
        found: list[Notice] = []
        for event in batch:
            assert isinstance(event, event_class)
            found += await notices(session, event)
        await notify_many(session=session, settings=settings, notices=found)

    return handle
