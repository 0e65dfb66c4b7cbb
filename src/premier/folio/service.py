"""The folio: a stay's running bill, read from the rows that hold what it is made of.

    balance due = the room (the booking's total)
                + charges the desk posted (not voided)
                + room-service orders charged to the room (not cancelled)
                - payments that count towards the bill (premier.payments.status.CREDITED)
                + what refunds gave back of them

Everything is in the booking's currency: a payment taken in another currency counts with
the bill's amount it was converted from, and its refunds in proportion, exactly as
premier.payments.initiate.bill_for has always counted them. Nothing is stored twice, so
the balance cannot drift from what was posted and paid; paying "the booking" pays this
balance, and check-out (premier.bookings.service) waits until it is zero.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import Booking, BookingStatus
from premier.folio.models import CheckoutOverride, FolioCharge
from premier.folio.schemas import (
    ChargeCreate,
    ChargeVoid,
    CheckoutOverrideOut,
    FolioLine,
    FolioOut,
)
from premier.kit.errors import Conflict, NotFound
from premier.kit.money import format_amount
from premier.kit.time import utcnow
from premier.orders.models import Order, OrderStatus
from premier.payments.models import (
    Payment,
    PaymentMethod,
    PaymentRefund,
    PaymentStatus,
    RefundStatus,
)
from premier.payments.status import CREDITED

# A charge is posted to a stay that is booked or under way, never to one that is over.
OPEN_FOR_CHARGES = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


@dataclass
class _Line:
    """A line before the running balance is worked out; `order` keeps the room first."""

    kind: str
    at: datetime
    description: str
    amount: int
    order: int = 1
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Folio:
    booking: Booking
    lines: list[FolioLine]
    charges_total: int
    payments_total: int
    refunds_total: int

    @property
    def balance_due(self) -> int:
        return self.charges_total - self.payments_total + self.refunds_total


async def folio_of(session: AsyncSession, booking: Booking) -> Folio:
    """The booking's folio as it stands (no access check: callers have made theirs)."""
    lines = [
        _Line("room", booking.created_at, _room_line(booking), booking.total_amount, order=0),
        *_charge_lines(
            await session.scalars(
                select(FolioCharge)
                .where(FolioCharge.booking_id == booking.id)
                .order_by(FolioCharge.id)
            )
        ),
        *_order_lines(
            await session.scalars(
                select(Order)
                .where(
                    Order.booking_id == booking.id,
                    Order.charge_to_room.is_(True),
                    Order.status != OrderStatus.CANCELLED,
                )
                .order_by(Order.id)
            )
        ),
    ]
    payments = list(
        await session.scalars(
            select(Payment)
            .where(
                Payment.booking_id == booking.id,
                Payment.status.in_([*CREDITED, PaymentStatus.VOIDED]),
            )
            .order_by(Payment.id)
        )
    )
    refunds = list(
        await session.scalars(
            select(PaymentRefund)
            .where(
                PaymentRefund.payment_id.in_([p.id for p in payments]),
                PaymentRefund.status == RefundStatus.SUCCEEDED,
            )
            .order_by(PaymentRefund.id)
        )
    )
    for payment in payments:
        lines.extend(_payment_lines(payment, [r for r in refunds if r.payment_id == payment.id]))
    lines.sort(key=lambda line: (line.order, line.at))
    shown: list[FolioLine] = []
    running = charged = paid = refunded = 0
    for line in lines:
        running += line.amount
        if line.kind == "payment":
            paid -= line.amount
        elif line.kind == "refund":
            refunded += line.amount
        else:
            charged += line.amount
        shown.append(
            FolioLine(
                kind=line.kind,
                at=line.at,
                description=line.description,
                amount=line.amount,
                balance=running,
                **line.extra,
            )
        )
    return Folio(booking, shown, charged, paid, refunded)


async def balance_due(session: AsyncSession, booking: Booking) -> int:
    return (await folio_of(session, booking)).balance_due


def _room_line(booking: Booking) -> str:
    nights = booking.nights
    return f"Room {booking.room.number}, {nights} night{'s' if nights != 1 else ''}"


def _charge_lines(charges: Iterable[FolioCharge]) -> list[_Line]:
    lines = []
    for charge in charges:
        each = (
            ""
            if charge.quantity == 1
            else f" ({charge.quantity} x {format_amount(charge.unit_amount, charge.currency)})"
        )
        lines.append(
            _Line(
                "charge",
                charge.posted_at,
                charge.description + each,
                0 if charge.voided_at else charge.amount,
                extra={
                    "charge_id": charge.id,
                    "category": charge.category,
                    "quantity": charge.quantity,
                    "unit_amount": charge.unit_amount,
                    "voided": charge.voided_at is not None,
                    "voided_at": charge.voided_at,
                    "void_reason": charge.void_reason,
                },
            )
        )
    return lines


def _order_lines(orders: Iterable[Order]) -> list[_Line]:
    return [
        _Line(
            "order",
            order.created_at,
            f"Room service #{order.id}: "
            + ", ".join(f"{i.quantity} x {i.name}" for i in order.items),
            order.total_amount,
            extra={"order_id": order.id},
        )
        for order in orders
    ]


def _payment_lines(payment: Payment, refunds: list[PaymentRefund]) -> list[_Line]:
    """The payment, and what its refunds gave back, in the bill's currency."""
    bill = payment.bill_amount if payment.bill_amount is not None else payment.amount
    name = PaymentMethod(payment.method).label
    voided = payment.status == PaymentStatus.VOIDED
    lines = [
        _Line(
            "payment",
            payment.settled_at or payment.created_at,
            f"{name} payment {payment.reference}",
            0 if voided else -bill,
            extra={
                "payment_id": payment.id,
                "method": payment.method,
                "reference": payment.reference,
                "voided": voided,
                "voided_at": payment.voided_at,
                "void_reason": payment.void_reason,
            },
        )
    ]
    if voided or payment.refunded_amount <= 0:
        return lines
    # As bill_for counts it: what is kept of the payment, in the bill's currency.
    kept = bill * (payment.amount - payment.refunded_amount) // payment.amount
    given_back = bill - kept
    shown = 0
    for refund in refunds:
        part = min(bill * refund.amount // payment.amount, given_back - shown)
        shown += part
        lines.append(
            _Line(
                "refund",
                refund.created_at,
                f"Refund of {payment.reference}: {refund.reason}",
                part,
                extra={"payment_id": payment.id, "reference": payment.reference},
            )
        )
    if given_back > shown:
        if refunds and sum(r.amount for r in refunds) >= payment.refunded_amount:
            lines[-1].amount += given_back - shown  # the rounding of the conversion
        else:
            lines.append(  # a refund made at the provider (from its dashboard)
                _Line(
                    "refund",
                    payment.updated_at,
                    f"Refund of {payment.reference} made at the provider",
                    given_back - shown,
                    extra={"payment_id": payment.id, "reference": payment.reference},
                )
            )
    return lines


async def _booking_for(
    session: AsyncSession, *, actor: Actor, booking_id: int, action: str, lock: bool = False
) -> Booking:
    """The booking, if the actor's grant reaches it; another guest's is 'not found'."""
    booking = await session.get(
        Booking, booking_id, with_for_update={"of": Booking.__table__} if lock else None
    )
    if booking is None or not access.reaches(actor, "folio", action, owner_id=booking.guest_id):
        raise NotFound(f"booking {booking_id} not found")
    return booking


async def read_folio(*, session: AsyncSession, actor: Actor, booking_id: int) -> FolioOut:
    booking = await _booking_for(session, actor=actor, booking_id=booking_id, action="read")
    folio = await folio_of(session, booking)
    # Why a manager let a guest go owing is the hotel's note, not the guest's to read.
    overrides: list[CheckoutOverride] = []
    if access.scope_of(actor, "folio", "read") is access.ALL:
        overrides = list(
            await session.scalars(
                select(CheckoutOverride)
                .where(CheckoutOverride.booking_id == booking.id)
                .order_by(CheckoutOverride.id)
            )
        )
    return FolioOut(
        booking_id=booking.id,
        reference=booking.reference,
        guest_id=booking.guest_id,
        guest_name=booking.guest.full_name,
        room_number=booking.room.number,
        status=booking.status,
        currency=booking.currency,
        lines=folio.lines,
        charges_total=folio.charges_total,
        payments_total=folio.payments_total,
        refunds_total=folio.refunds_total,
        balance_due=folio.balance_due,
        open_for_charges=booking.status in OPEN_FOR_CHARGES,
        checkout_overrides=[CheckoutOverrideOut.model_validate(o) for o in overrides],
    )


async def post_charge(
    *, session: AsyncSession, actor: Actor, booking_id: int, data: ChargeCreate
) -> FolioCharge:
    """Post a charge to a stay that is confirmed or under way, in the booking's currency."""
    booking = await _booking_for(
        session, actor=actor, booking_id=booking_id, action="post_charge", lock=True
    )
    if booking.status not in OPEN_FOR_CHARGES:
        raise Conflict(
            f"charges are posted to a confirmed or checked-in stay; this booking is "
            f"{booking.status.replace('_', ' ')}",
            code="folio_closed",
            details={"status": booking.status},
        )
    charge = FolioCharge(
        booking_id=booking.id,
        category=data.category,
        description=data.description,
        unit_amount=data.unit_amount,
        quantity=data.quantity,
        currency=booking.currency,
        posted_by_id=actor.id,
        posted_at=utcnow(),
    )
    session.add(charge)
    await session.flush()
    await _announce(session, booking, change="charge_posted", charge=charge)
    await events.commit(session)
    return charge


async def void_charge(
    *, session: AsyncSession, actor: Actor, booking_id: int, charge_id: int, data: ChargeVoid
) -> FolioCharge:
    """A manager strikes out a charge: it stays on the folio, voided, with the reason."""
    booking = await _booking_for(
        session, actor=actor, booking_id=booking_id, action="void_charge", lock=True
    )
    charge = await session.get(FolioCharge, charge_id, with_for_update=True)
    if charge is None or charge.booking_id != booking.id:
        raise NotFound(f"charge {charge_id} not found on this folio")
    if charge.voided_at is not None:
        raise Conflict("this charge is voided already", code="already_voided")
    charge.voided_at = utcnow()
    charge.voided_by_id = actor.id
    charge.void_reason = data.reason
    await _announce(session, booking, change="charge_voided", charge=charge)
    await events.commit(session)
    return charge


async def _announce(
    session: AsyncSession, booking: Booking, *, change: str, charge: FolioCharge | None = None
) -> None:
    await session.flush()
    await events.emit(
        session,
        events.FolioChanged(
            booking_id=booking.id,
            guest_id=booking.guest_id,
            change=change,
            charge_id=charge.id if charge else None,
            balance_due=await balance_due(session, booking),
            currency=booking.currency,
        ),
    )


async def settle_before_check_out(
    session: AsyncSession, *, actor: Actor, booking: Booking, override_reason: str | None
) -> None:
    """Refuse a check-out while money is owed, unless a manager lets the guest go with a
    reason; that is recorded (who, why, how much was left open) and announced."""
    due = await balance_due(session, booking)
    if due <= 0:
        return
    owed = format_amount(due, booking.currency)
    if not override_reason:
        raise Conflict(
            f"{owed} is still due on this stay: take the payment before check-out"
            + (
                ", or check out with a reason to leave it open"
                if access.allows(actor, "folio", "override_checkout")
                else "; a manager can check the guest out with it open"
            ),
            code="balance_due",
            details={"balance_due": due, "currency": booking.currency},
        )
    access.check(actor, "folio", "override_checkout")
    session.add(
        CheckoutOverride(
            booking_id=booking.id,
            manager_id=actor.id,
            reason=override_reason,
            balance_due=due,
            currency=booking.currency,
        )
    )
    await _announce(session, booking, change="checked_out_with_balance")


async def guest_of_folio(session: AsyncSession, booking_id: int) -> int | None:
    """Whose stay's folio `booking_id` is (its realtime channel's owner), if it exists."""
    return await session.scalar(select(Booking.guest_id).where(Booking.id == booking_id))
