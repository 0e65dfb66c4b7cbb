from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import Booking
from premier.kit.errors import InvalidInput, NotFound
from premier.kit.pagination import Page, PageParams, paginate
from premier.orders.models import Order
from premier.payments import status as machine
from premier.payments.apply import emit_status
from premier.payments.initiate import new_reference
from premier.payments.models import Payment, PaymentMethod, PaymentStatus
from premier.payments.schemas import CashPayment, PaymentOut


async def record_cash(*, session: AsyncSession, actor: Actor, data: CashPayment) -> Payment:
    """Cash has changed hands already, so the payment is born pending and succeeds at once."""
    access.check(actor, "payment", "record_cash")
    target: Booking | Order | None = (
        await session.get(Booking, data.booking_id)
        if data.booking_id is not None
        else await session.get(Order, data.order_id)
    )
    if target is None:
        kind = "booking" if data.booking_id is not None else "order"
        raise NotFound(f"{kind} {data.booking_id or data.order_id} not found")
    if data.currency != target.currency:
        raise InvalidInput(
            f"this is billed in {target.currency}", details={"currency": data.currency}
        )
    payment = Payment(
        reference=new_reference(),
        payer_id=target.guest_id,
        booking_id=data.booking_id,
        order_id=data.order_id,
        amount=data.amount,
        currency=data.currency,
        method=PaymentMethod.CASH,
        provider="cash",
        recorded_by_id=actor.id,
    )
    session.add(payment)
    await session.flush()
    previous = machine.move(payment, PaymentStatus.SUCCEEDED)
    await emit_status(session, payment, previous)
    await events.commit(session)
    return payment


async def get_payment(*, session: AsyncSession, actor: Actor, payment_id: int) -> Payment:
    payment = await session.get(Payment, payment_id)
    if payment is None or not access.reaches(actor, "payment", "read", owner_id=payment.payer_id):
        raise NotFound(f"payment {payment_id} not found")
    return payment


async def list_payments(
    *,
    session: AsyncSession,
    actor: Actor,
    page: PageParams,
    status: PaymentStatus | None,
    booking_id: int | None,
    order_id: int | None = None,
    method: PaymentMethod | None = None,
    flagged: bool | None = None,
) -> Page[PaymentOut]:
    query = select(Payment)
    if access.scope_of(actor, "payment", "read") is access.OWN:
        query = query.where(Payment.payer_id == actor.id)
    if status is not None:
        query = query.where(Payment.status == status)
    if booking_id is not None:
        query = query.where(Payment.booking_id == booking_id)
    if order_id is not None:
        query = query.where(Payment.order_id == order_id)
    if method is not None:
        query = query.where(Payment.method == method)
    if flagged is not None:
        query = query.where(
            Payment.flagged_reason.is_not(None) if flagged else Payment.flagged_reason.is_(None)
        )
    return await paginate(
        session,
        query.order_by(Payment.created_at.desc(), Payment.id.desc()),
        page,
        PaymentOut.model_validate,
    )


async def payer_of_payment(session: AsyncSession, payment_id: int) -> int | None:
    """Who made payment `payment_id` (its realtime channel's owner), if it exists."""
    return await session.scalar(select(Payment.payer_id).where(Payment.id == payment_id))
