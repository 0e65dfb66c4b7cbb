"""Domain events that notify people. Deferred subscribers: the event commits (or rolls back)
with the change, and the dispatcher writes the notification and its email and SMS rows in a
transaction of its own, away from the request (see premier.events)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.config import Settings
from premier.email.compose import booking_calendar
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


def register(bus: events.EventBus, *, settings: Settings) -> None:
    async def confirm_booking(session: AsyncSession, event: events.BookingEvent) -> None:
        calendar = booking_calendar(
            uid=f"booking-{event.booking_id}@{settings.public_base_url.split('//')[-1]}",
            summary=f"Stay at {settings.hotel_name} ({event.reference})",
            start=event.check_in,
            end=event.check_out,
            location=settings.hotel_address,
            description=f"Room {event.room_number}, booking {event.reference}",
        )
        await notify(
            session=session,
            settings=settings,
            recipients=[event.guest_id],
            event_type="booking.created",
            context={"booking": _booking(event)},
            attachments=[calendar],
            data={"booking_id": event.booking_id},
        )

    async def booking_created(session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.BookingCreated)
        if event.status == "confirmed":
            await confirm_booking(session, event)
            return
        await notify(
            session=session,
            settings=settings,
            recipients=[event.guest_id],
            event_type="booking.received",
            context={"booking": _booking(event)},
            data={"booking_id": event.booking_id},
        )

    async def booking_status_changed(session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.BookingStatusChanged)
        if event.status == "confirmed" and event.previous_status in ("pending", "held"):
            # The confirmation (with its calendar file) goes out when a pending booking
            # is confirmed, e.g. once its payment arrives.
            await confirm_booking(session, event)
            return
        await notify(
            session=session,
            settings=settings,
            recipients=[event.guest_id],
            event_type="booking.status_changed",
            context={"booking": _booking(event), "previous_status": event.previous_status},
            data={"booking_id": event.booking_id},
        )

    async def order_created(session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.OrderCreated)
        await notify(
            session=session,
            settings=settings,
            recipients=[event.guest_id],
            event_type="order.created",
            context={"order": _order(event)},
            data={"order_id": event.order_id},
        )

    async def order_status_changed(session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.OrderStatusChanged)
        priority = Priority.HIGH if event.status == "ready" else Priority.NORMAL
        await notify(
            session=session,
            settings=settings,
            recipients=[event.guest_id],
            event_type="order.status_changed",
            priority=priority,
            context={"order": _order(event), "previous_status": event.previous_status},
            data={"order_id": event.order_id},
        )

    async def payment_status_changed(session: AsyncSession, event: events.DomainEvent) -> None:
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
            settings=settings,
            recipients=[event.payer_id],
            event_type=event_type,
            context={"payment": payment},
            data={"payment_id": event.payment_id},
        )

    async def review_created(session: AsyncSession, event: events.DomainEvent) -> None:
        assert isinstance(event, events.ReviewCreated)
        managers = list(
            await session.scalars(
                select(User.id).where(User.role.in_([Role.MANAGER, Role.ADMIN]), User.is_active)
            )
        )
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
            settings=settings,
            recipients=managers,
            event_type="review.created",
            context={"review": review},
            data={"review_id": event.review_id},
        )

    async def service_request_assigned(session: AsyncSession, event: events.DomainEvent) -> None:
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
            settings=settings,
            recipients=[event.assignee_id],
            event_type="service_request.assigned",
            priority=Priority.HIGH,
            context={"request": request},
            data={"request_id": event.request_id},
        )

    for event_type, handler in [
        ("booking.created", booking_created),
        ("booking.status_changed", booking_status_changed),
        ("order.created", order_created),
        ("order.status_changed", order_status_changed),
        ("payment.status_changed", payment_status_changed),
        ("review.created", review_created),
        ("service_request.assigned", service_request_assigned),
    ]:
        bus.subscribe_deferred(event_type, handler)
