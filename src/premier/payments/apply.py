"""Provider news applied to payments: once each, in any order, and never a wrong credit.

1. Each `PaymentEvent` is stored in `payment_events`, unique on (provider, event_id), in
   the transaction that applies it: a repeat (a webhook redelivered, a callback and the
   query that confirmed it) inserts nothing and is acknowledged without doing anything.
   Webhooks and callbacks are taken in by the inbox (premier.payments.inbox) and applied
   behind their answer (`apply_received`); what the workers learn by asking a provider
   is applied at once (`apply`).
2. The payment is found by our reference, else the provider's id of the attempt, else the
   charge id, and locked for the change.
3. A success is credited only if the provider's amount and currency are exactly what the
   payment asked for; otherwise the payment is flagged for the managers (`PaymentFlagged`)
   and left as it was.
4. Status only moves forward (premier.payments.status.advance), so news applied out of
   order ends where it would have in order.
"""

from dataclasses import dataclass

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.db import Database, core_table
from premier.db.bulk import insert_new
from premier.kit.money import format_amount
from premier.kit.time import utcnow
from premier.payments import status as machine
from premier.payments.inbox import PaymentNewsReceived
from premier.payments.models import Payment, PaymentEventRecord, PaymentStatus
from premier.payments.providers.base import Attempt, Outcome, PaymentEvent

log = structlog.get_logger(__name__)
EVENTS = core_table(PaymentEventRecord)

TARGET = {
    Outcome.PENDING: PaymentStatus.PENDING,
    Outcome.PROCESSING: PaymentStatus.PROCESSING,
    Outcome.SUCCEEDED: PaymentStatus.SUCCEEDED,
    Outcome.FAILED: PaymentStatus.FAILED,
    Outcome.CANCELLED: PaymentStatus.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class Applied:
    result: str  # applied | ignored | flagged | unmatched | duplicate
    payment_id: int | None = None


def attempt_of(payment: Payment) -> Attempt:
    return Attempt(
        reference=payment.reference,
        provider_reference=payment.provider_reference,
        charge_id=payment.provider_charge_id,
        amount=payment.amount,
        currency=payment.currency,
    )


async def emit_status(session: AsyncSession, payment: Payment, previous: str | None) -> None:
    await events.emit(
        session,
        events.PaymentStatusChanged(
            payment_id=payment.id,
            payer_id=payment.payer_id,
            booking_id=payment.booking_id,
            order_id=payment.order_id,
            amount=payment.amount,
            currency=payment.currency,
            method=payment.method,
            status=payment.status,
            previous_status=previous,
            tendered_amount=payment.tendered_amount,
            change_due=payment.change_due,
        ),
    )


async def _find(session: AsyncSession, event: PaymentEvent) -> Payment | None:
    if event.reference:
        # Our own reference names one payment (a unique index); the others are fallbacks.
        found = await session.scalar(
            select(Payment)
            .where(Payment.reference == event.reference, Payment.provider == event.provider)
            .with_for_update()
        )
        if found is not None:
            return found
    keys = []
    if event.reference:
        keys.append(Payment.reference == event.reference)
    if event.provider_reference:
        keys.append(Payment.provider_reference == event.provider_reference)
    if event.charge_id:
        keys.append(Payment.provider_charge_id == event.charge_id)
    if not keys:
        return None
    query = (
        select(Payment)
        .where(Payment.provider == event.provider, or_(*keys))
        .limit(1)
        .with_for_update()
    )
    return (await session.scalars(query)).first()


def _mismatch(payment: Payment, event: PaymentEvent) -> str | None:
    if event.amount == payment.amount and event.currency == payment.currency:
        return None
    if event.amount is None or event.currency is None:
        return "the provider did not say how much was paid"
    return (
        f"paid {format_amount(event.amount, event.currency)}, "
        f"expected {format_amount(payment.amount, payment.currency)}"
    )


async def apply(session: AsyncSession, event: PaymentEvent) -> Applied:
    """Store and apply one event in the session's (fresh) transaction, then commit it."""
    applied = await _store_and_apply(session, event)
    await events.commit(session)
    return applied


async def apply_received(session: AsyncSession, received: events.DomainEvent) -> None:
    """News the inbox took in (`PaymentNewsReceived`), stored and applied in the
    dispatcher's transaction."""
    assert isinstance(received, PaymentNewsReceived)
    await _store_and_apply(session, received.news)


def register(bus: events.EventBus) -> None:
    bus.subscribe_deferred(PaymentNewsReceived.type, apply_received)


async def _store_and_apply(session: AsyncSession, event: PaymentEvent) -> Applied:
    """The event's row is written first: when (provider, event_id) is stored already,
    nothing is inserted and nothing is done."""
    stored = await insert_new(
        session,
        EVENTS,
        [
            {
                "provider": event.provider,
                "event_id": event.event_id[:160],
                "outcome": event.outcome,
                "amount": event.amount,
                "currency": event.currency,
                "result": "applied",
                "received_at": utcnow(),
            }
        ],
        returning=("id",),
    )
    if not stored:
        return Applied("duplicate")
    applied = await _apply_found(session, event)
    await session.execute(
        update(EVENTS)
        .where(EVENTS.c.id == stored[0].id)
        .values(result=applied.result, payment_id=applied.payment_id)
    )
    return applied


async def _apply_found(session: AsyncSession, event: PaymentEvent) -> Applied:
    """Apply the event to the payment it names, if any, in the session's transaction."""
    payment = await _find(session, event)
    if payment is None:
        log.warning("payment_event_unmatched", provider=event.provider, event_id=event.event_id)
        return Applied("unmatched")
    return Applied(await _apply_to(session, payment, event), payment.id)


async def _apply_to(session: AsyncSession, payment: Payment, event: PaymentEvent) -> str:
    if event.charge_id and not payment.provider_charge_id:
        payment.provider_charge_id = event.charge_id
    if event.provider_reference and not payment.provider_reference:
        payment.provider_reference = event.provider_reference
    if event.outcome is Outcome.REFUNDED:
        return await _refunded(session, payment, event)
    target = TARGET[event.outcome]
    if target is PaymentStatus.SUCCEEDED:
        if not event.verified:
            return "ignored"
        reason = _mismatch(payment, event)
        if reason is not None:
            if payment.status not in machine.CREDITED:
                payment.flagged_reason = reason
                await events.emit(
                    session,
                    events.PaymentFlagged(
                        payment_id=payment.id,
                        reference=payment.reference,
                        provider=event.provider,
                        reason=reason,
                    ),
                )
            log.warning("payment_amount_mismatch", payment_id=payment.id, reason=reason)
            return "flagged"
    previous = machine.advance(payment, target)
    if previous is None:
        return "ignored"
    if target in (PaymentStatus.FAILED, PaymentStatus.CANCELLED):
        payment.failure_reason = event.message
    elif target is PaymentStatus.SUCCEEDED:
        payment.failure_reason = None
        payment.settled_at = utcnow()
    payment.next_action = None if machine.RANK[target] >= 2 else payment.next_action
    await emit_status(session, payment, previous)
    return "applied"


async def _refunded(session: AsyncSession, payment: Payment, event: PaymentEvent) -> str:
    """A refund the provider reports (made from its dashboard, or ours echoed back)."""
    total = event.refunded_amount
    if (
        total is None
        or payment.status not in machine.CREDITED
        or (event.currency is not None and event.currency != payment.currency)
        or total <= payment.refunded_amount
    ):
        return "ignored"
    payment.refunded_amount = min(total, payment.amount)
    previous = machine.advance(payment, machine.refunded_status(payment))
    await emit_status(session, payment, previous or payment.status)
    return "applied"


async def seen(database: Database, event: PaymentEvent) -> bool:
    """Whether this event is stored already: a repeat is answered from a read, without
    waiting for the writer (the insert in `apply` still decides a race)."""
    async with database.reading() as session:
        found = await session.scalar(
            select(PaymentEventRecord.id).where(
                PaymentEventRecord.provider == event.provider,
                PaymentEventRecord.event_id == event.event_id[:160],
            )
        )
        return found is not None


async def apply_all(database: Database, found: list[PaymentEvent]) -> list[Applied]:
    """Each event in a transaction of its own."""
    results = []
    for event in found:
        if await seen(database, event):
            results.append(Applied("duplicate"))
            continue
        async with database.writing() as session:
            results.append(await apply(session, event))
    return results
