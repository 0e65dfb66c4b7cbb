"""Payments the front desk records by hand (cash), their voids, and reading payments."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import Booking
from premier.kit.errors import Conflict, InvalidInput, NotFound
from premier.kit.money import format_amount
from premier.kit.pagination import Page, PageParams, paginate
from premier.kit.time import utcnow
from premier.orders.models import Order
from premier.payments import status as machine
from premier.payments.apply import emit_status
from premier.payments.initiate import bill_for, new_reference
from premier.payments.models import (
    Payment,
    PaymentMethod,
    PaymentRefund,
    PaymentStatus,
    RefundStatus,
)
from premier.payments.schemas import CashPayment, PaymentHistoryEntry, PaymentOut, PaymentVoid


async def record_cash(*, session: AsyncSession, actor: Actor, data: CashPayment) -> Payment:
    """Cash has changed hands already, so the payment is born pending and succeeds at once.

    It is never more than is due: a clerk's typo would otherwise 'settle' the bill with a
    sum nobody paid and send the guest a receipt for it. More cash than is due is taken
    only when the request says how much was tendered, and the change given is recorded."""
    access.check(actor, "payment", "record_cash")
    await _lock_bill(session, booking_id=data.booking_id, order_id=data.order_id)
    bill = await bill_for(session, actor=actor, booking_id=data.booking_id, order_id=data.order_id)
    if data.currency != bill.currency:
        raise InvalidInput(
            f"this is billed in {bill.currency}", details={"currency": data.currency}
        )
    if bill.due <= 0:
        raise Conflict("nothing is left to pay", details={"due": bill.due})
    amount, change = _cash_split(data, due=bill.due, currency=bill.currency)
    payment = Payment(
        reference=new_reference(),
        payer_id=bill.payer_id,
        booking_id=data.booking_id,
        order_id=data.order_id,
        amount=amount,
        currency=data.currency,
        method=PaymentMethod.CASH,
        provider="cash",
        recorded_by_id=actor.id,
        tendered_amount=data.tendered,
        change_due=change,
    )
    session.add(payment)
    await session.flush()
    previous = machine.move(payment, PaymentStatus.SUCCEEDED)
    payment.settled_at = utcnow()
    await emit_status(session, payment, previous)
    await events.commit(session)
    return payment


async def _lock_bill(
    session: AsyncSession, *, booking_id: int | None, order_id: int | None
) -> None:
    """Hold the bill's row, so two clerks taking cash at once cannot both pay what is due."""
    if booking_id is not None:
        await session.get(Booking, booking_id, with_for_update={"of": Booking.__table__})
    else:
        await session.get(Order, order_id, with_for_update={"of": Order.__table__})


def _cash_split(data: CashPayment, *, due: int, currency: str) -> tuple[int, int | None]:
    """What goes towards the bill, and the change handed back (None: no tender given)."""
    if data.tendered is None:
        assert data.amount is not None  # the schema asks for one of the two
        if data.amount > due:
            raise InvalidInput(
                f"that is more than the {format_amount(due, currency)} due; "
                "to take a larger note, record the cash tendered and give change",
                code="more_than_due",
                details={"amount": data.amount, "due": due, "currency": currency},
            )
        return data.amount, None
    amount = data.amount if data.amount is not None else min(data.tendered, due)
    if amount > due:
        raise InvalidInput(
            f"that is more than the {format_amount(due, currency)} due",
            code="more_than_due",
            details={"amount": amount, "due": due, "currency": currency},
        )
    if data.tendered < amount:
        raise InvalidInput(
            "the cash tendered is less than the amount paid",
            details={"tendered": data.tendered, "amount": amount},
        )
    return amount, data.tendered - amount


async def void_cash(
    *, session: AsyncSession, actor: Actor, payment_id: int, data: PaymentVoid
) -> Payment:
    """Strike out a cash payment recorded by mistake: it stops counting towards the bill,
    so what it paid is due again. Only cash: money a provider moved goes back by refund."""
    payment = await session.get(Payment, payment_id, with_for_update=True)
    if payment is None or not access.reaches(actor, "payment", "void", owner_id=payment.payer_id):
        raise NotFound(f"payment {payment_id} not found")
    if payment.method != PaymentMethod.CASH:
        raise Conflict(
            "only a cash payment can be voided; refund a payment taken by a provider",
            code="not_cash",
        )
    previous = machine.move(payment, PaymentStatus.VOIDED)
    payment.voided_at = utcnow()
    payment.voided_by_id = actor.id
    payment.void_reason = data.reason
    await emit_status(session, payment, previous)
    await events.commit(session)
    return payment


async def history(
    *, session: AsyncSession, actor: Actor, payment_id: int
) -> list[PaymentHistoryEntry]:
    """What happened to a payment, oldest first, read from the payment and its refunds."""
    payment = await get_payment(session=session, actor=actor, payment_id=payment_id)
    entries = [
        PaymentHistoryEntry(
            at=payment.created_at, what="recorded", by_id=payment.recorded_by_id,
            amount=payment.amount, note=_tender_note(payment),
        )
    ]  # fmt: skip
    if payment.settled_at is not None:
        entries.append(PaymentHistoryEntry(at=payment.settled_at, what="settled"))
    if payment.status == PaymentStatus.FAILED:
        entries.append(
            PaymentHistoryEntry(at=payment.updated_at, what="failed", note=payment.failure_reason)
        )
    refunds = await session.scalars(
        select(PaymentRefund).where(
            PaymentRefund.payment_id == payment.id,
            PaymentRefund.status == RefundStatus.SUCCEEDED,
        )
    )
    entries.extend(
        PaymentHistoryEntry(
            at=r.created_at, what="refunded", by_id=r.created_by_id, amount=r.amount, note=r.reason
        )
        for r in refunds
    )
    if payment.voided_at is not None:
        entries.append(
            PaymentHistoryEntry(
                at=payment.voided_at, what="voided", by_id=payment.voided_by_id,
                amount=payment.amount, note=payment.void_reason,
            )
        )  # fmt: skip
    return sorted(entries, key=lambda e: e.at)


def _tender_note(payment: Payment) -> str | None:
    if payment.tendered_amount is None or payment.change_due is None:
        return None
    return (
        f"{format_amount(payment.tendered_amount, payment.currency)} tendered, "
        f"{format_amount(payment.change_due, payment.currency)} change given"
    )


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
