"""One booking as its page shows it: the stay, its guest, and what hangs off it (payments,
service requests, conversations, history), in one answer instead of six requests.

Each part is read through its own domain's service with the reader's own grant, so the page
shows nothing its reader could not list anyway: a part the reader may not read at all is
null (the concierge sees no payments), and a part they reach only in part is cut to what
they reach (the kitchen's conversations about the stay, not the front desk's).
"""

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.audit import service as audit
from premier.audit.schemas import AuditEntryOut
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings import service
from premier.bookings.schemas import BookingOut
from premier.guests.schemas import GuestContact
from premier.kit.pagination import Page, PageParams
from premier.messaging import service as messaging
from premier.messaging.schemas import ConversationOut
from premier.payments import service as payments
from premier.payments.models import Payment
from premier.payments.schemas import PaymentOut
from premier.service_requests import service as service_requests
from premier.service_requests.models import ServiceRequest
from premier.service_requests.schemas import ServiceRequestOut

# A stay has a handful of each; the page links to the full lists past these.
SHOWN = PageParams(limit=50, offset=0)
HISTORY_SHOWN = 100


class BookingOverview(BaseModel):
    booking: BookingOut
    guest: GuestContact
    payments: Page[PaymentOut] | None = Field(description="null: you may not read payments")
    service_requests: Page[ServiceRequestOut] | None = Field(
        description="null: you may not read service requests"
    )
    conversations: Page[ConversationOut] | None = Field(
        description="null: you may not read conversations"
    )
    history: list[AuditEntryOut] | None = Field(
        description="who changed the booking, its payments and requests, newest first; "
        "null: you may not read it"
    )


async def overview(*, session: AsyncSession, actor: Actor, booking_id: int) -> BookingOverview:
    """The booking with its parts; another guest's booking is 'not found'."""
    booking = await service.get_booking(session=session, actor=actor, booking_id=booking_id)
    shown = BookingOverview(
        booking=BookingOut.of(booking),
        guest=GuestContact.model_validate(booking.guest),
        payments=None,
        service_requests=None,
        conversations=None,
        history=None,
    )
    if access.allows(actor, "payment", "read"):
        shown.payments = await payments.list_payments(
            session=session, actor=actor, page=SHOWN, status=None, booking_id=booking.id
        )
    if access.allows(actor, "service_request", "read"):
        shown.service_requests = await service_requests.list_requests(
            session=session, actor=actor, page=SHOWN, status=None, kind=None,
            assignee_id=None, booking_id=booking.id,
        )  # fmt: skip
    if access.allows(actor, "conversation", "read"):
        shown.conversations = await messaging.list_conversations(
            session=session, actor=actor, page=SHOWN, view="all", department=None,
            status=None, type=None, booking_id=booking.id,
        )  # fmt: skip
    if access.allows(actor, "booking_history", "read"):
        shown.history = await history(session=session, booking_id=booking.id)
    return shown


async def history(*, session: AsyncSession, booking_id: int) -> list[AuditEntryOut]:
    """The audit entries of the booking, of its payments and of its service requests."""
    payment_ids = await session.scalars(select(Payment.id).where(Payment.booking_id == booking_id))
    request_ids = await session.scalars(
        select(ServiceRequest.id).where(ServiceRequest.booking_id == booking_id)
    )
    return await audit.entries_about(
        session=session,
        targets={
            "bookings": [booking_id],
            "payments": list(payment_ids),
            "service-requests": list(request_ids),
        },
        limit=HISTORY_SHOWN,
    )
