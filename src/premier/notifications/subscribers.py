"""Domain events that notify people. Deferred subscribers: the event commits (or rolls back)
with the change, and the dispatcher writes the notification and its email and SMS rows in a
transaction of its own, away from the request (see premier.events)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.bookings.calendar import booking_calendar
from premier.config import Settings
from premier.kit.money import format_amount
from premier.notifications.models import Priority
from premier.notifications.service import notify
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
    }


def _order(event: events.OrderEvent) -> dict[str, Any]:
    return {
        "id": event.order_id,
        "status": event.status,
        "room_number": event.room_number,
        "total": format_amount(event.total_amount, event.currency),
    }


class Subscribers:
    """One handler per event that tells someone something; each builds the template's
    variables from the event and calls notify()."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def confirm_booking(self, session: AsyncSession, event: events.BookingEvent) -> None:
        calendar = booking_calendar(
            uid=f"booking-{event.booking_id}@{self.settings.public_base_url.split('//')[-1]}",
            summary=f"Stay at {self.settings.hotel_name} ({event.reference})",
            start=event.check_in,
            end=event.check_out,
            location=self.settings.hotel_address,
            description=f"Room {event.room_number}, booking {event.reference}",
        )
        await notify(
            session=session,
            settings=self.settings,
            recipients=[event.guest_id],
            event_type="booking.created",
            context={"booking": _booking(event)},
            attachments=[calendar],
            data={"booking_id": event.booking_id},
        )

    async def booking_created(self, session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.BookingCreated)
        if event.status == "confirmed":
            await self.confirm_booking(session, event)
            return
        await notify(
            session=session,
            settings=self.settings,
            recipients=[event.guest_id],
            event_type="booking.received",
            context={"booking": _booking(event)},
            data={"booking_id": event.booking_id},
        )

    async def booking_status_changed(
        self, session: AsyncSession, event: events.DomainEvent
    ) -> None:
        assert isinstance(event, events.BookingStatusChanged)
        if event.status == "confirmed" and event.previous_status in ("pending", "held"):
            # The confirmation (with its calendar file) goes out when a pending booking
            # is confirmed, e.g. once its payment arrives.
            await self.confirm_booking(session, event)
            return
        await notify(
            session=session,
            settings=self.settings,
            recipients=[event.guest_id],
            event_type="booking.status_changed",
            context={"booking": _booking(event), "previous_status": event.previous_status},
            data={"booking_id": event.booking_id},
        )

    async def order_created(self, session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.OrderCreated)
        await notify(
            session=session,
            settings=self.settings,
            recipients=[event.guest_id],
            event_type="order.created",
            context={"order": _order(event)},
            data={"order_id": event.order_id},
        )

    async def order_status_changed(self, session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.OrderStatusChanged)
        priority = Priority.HIGH if event.status == "ready" else Priority.NORMAL
        await notify(
            session=session,
            settings=self.settings,
            recipients=[event.guest_id],
            event_type="order.status_changed",
            priority=priority,
            context={"order": _order(event), "previous_status": event.previous_status},
            data={"order_id": event.order_id},
        )

    async def payment_status_changed(
        self, session: AsyncSession, event: events.DomainEvent
    ) -> None:
        assert isinstance(event, events.PaymentStatusChanged)
        if event.status == event.previous_status:
            return
        if event.status in SUCCEEDED:
            event_type = "payment.receipt"
        elif event.status in FAILED:
            event_type = "payment.failed"
        else:
            return
        payment = {
            "id": event.payment_id,
            "amount": format_amount(event.amount, event.currency),
            "method": event.method,
            "status": event.status,
            "reference": f"booking {event.booking_id}"
            if event.booking_id
            else (f"order #{event.order_id}" if event.order_id else None),
        }
        await notify(
            session=session,
            settings=self.settings,
            recipients=[event.payer_id],
            event_type=event_type,
            context={"payment": payment},
            data={"payment_id": event.payment_id},
        )

    async def review_created(self, session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.ReviewCreated)
        managers = await _management(session)
        guest = await session.get(User, event.guest_id)
        review = {
            "id": event.review_id,
            "rating": event.rating,
            "comment": event.comment,
            "booking_id": event.booking_id,
            "guest_name": guest.full_name if guest else "A guest",
        }
        await notify(
            session=session,
            settings=self.settings,
            recipients=managers,
            event_type="review.created",
            context={"review": review},
            data={"review_id": event.review_id},
        )

    async def service_request_assigned(
        self, session: AsyncSession, event: events.DomainEvent
    ) -> None:
        assert isinstance(event, events.ServiceRequestAssigned)
        if event.assignee_id is None:
            return
        request = {
            "id": event.request_id,
            "kind": event.kind,
            "room_number": event.room_number,
            "status": event.status,
        }
        await notify(
            session=session,
            settings=self.settings,
            recipients=[event.assignee_id],
            event_type="service_request.assigned",
            priority=Priority.HIGH,
            context={"request": request},
            data={"request_id": event.request_id},
        )

    async def sms_budget_exceeded(self, session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.SmsBudgetExceeded)
        await notify(
            session=session,
            settings=self.settings,
            recipients=await _management(session),
            event_type="sms.budget_exceeded",
            priority=Priority.HIGH,
            context={"budget": event.budget},
            data={"budget": event.budget},
        )


async def _management(session: AsyncSession) -> list[int]:
    return list(
        await session.scalars(
            select(User.id).where(User.role.in_([Role.MANAGER, Role.ADMIN]), User.is_active)
        )
    )


def register(bus: events.EventBus, *, settings: Settings) -> None:
    on = Subscribers(settings)
    for event_type, handler in [
        ("booking.created", on.booking_created),
        ("booking.status_changed", on.booking_status_changed),
        ("order.created", on.order_created),
        ("order.status_changed", on.order_status_changed),
        ("payment.status_changed", on.payment_status_changed),
        ("review.created", on.review_created),
        ("service_request.assigned", on.service_request_assigned),
        ("sms.budget_exceeded", on.sms_budget_exceeded),
    ]:
        bus.subscribe_deferred(event_type, handler)
