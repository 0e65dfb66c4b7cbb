"""Refunds: written down before the provider is asked, so nothing is refunded twice.

The refund row reserves its amount (pending refunds count against what is left), and its
id is the provider's idempotency key: a retry with the caller's same `Idempotency-Key`
finds the row and asks the provider again under the same key. Never more than was
captured: the check runs under the payment's lock against the captured amount less what
is refunded or being refunded."""

import uuid

from sqlalchemy import func, select

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.db import Database
from premier.kit.errors import Conflict, DomainError, InvalidInput, NotFound
from premier.payments import status as machine
from premier.payments.apply import attempt_of, emit_status
from premier.payments.models import Payment, PaymentRefund, RefundStatus
from premier.payments.providers.base import ProviderDown
from premier.payments.registry import Providers
from premier.payments.schemas import Refund


async def refund(
    *,
    database: Database,
    providers: Providers,
    actor: Actor,
    payment_id: int,
    data: Refund,
    key: str | None,
) -> Payment:
    access.check(actor, "payment", "refund")
    key = key or uuid.uuid4().hex
    async with database.writing() as session:
        payment = await session.get(Payment, payment_id, with_for_update=True)
        if payment is None:
            raise NotFound(f"payment {payment_id} not found")
        row = await session.scalar(
            select(PaymentRefund).where(
                PaymentRefund.payment_id == payment_id, PaymentRefund.key == key
            )
        )
        if row is not None:
            if (row.amount, row.reason) != (data.amount, data.reason):
                raise InvalidInput(
                    "this Idempotency-Key was used for a different refund",
                    code="idempotency_key_reused",
                )
            if row.status != RefundStatus.PENDING:
                return payment
        else:
            if payment.status not in machine.CREDITED:
                raise Conflict(f"a {payment.status} payment has nothing to refund")
            reserved = await session.scalar(
                select(func.coalesce(func.sum(PaymentRefund.amount), 0)).where(
                    PaymentRefund.payment_id == payment_id,
                    PaymentRefund.status == RefundStatus.PENDING,
                )
            )
            refundable = payment.amount - payment.refunded_amount - int(reserved or 0)
            if data.amount > refundable:
                raise Conflict(
                    "refund is larger than what is left to refund",
                    details={"refundable": refundable, "requested": data.amount},
                )
            row = PaymentRefund(
                payment_id=payment_id,
                key=key,
                amount=data.amount,
                reason=data.reason,
                created_by_id=actor.id,
            )
            session.add(row)
        await session.flush()
        refund_id, attempt = row.id, attempt_of(payment)
        provider = providers.named(payment.provider or "cash")
        await session.commit()

    try:
        done = await provider.refund(
            attempt, amount=data.amount, reason=data.reason, key=f"refund-{refund_id}"
        )
    except ProviderDown:
        raise  # the row stays pending: a retry with the same key asks again, same key
    except DomainError as exc:
        async with database.writing() as session:
            failed = await session.get(PaymentRefund, refund_id)
            assert failed is not None
            failed.status = RefundStatus.FAILED
            failed.failure_reason = exc.message
            await session.commit()
        raise

    async with database.writing() as session:
        payment = await session.get(Payment, payment_id, with_for_update=True)
        settled = await session.get(PaymentRefund, refund_id)
        assert payment is not None and settled is not None
        settled.status = RefundStatus.SUCCEEDED
        settled.provider_refund_id = done.refund_id
        payment.refunded_amount = min(payment.refunded_amount + data.amount, payment.amount)
        previous = machine.advance(payment, machine.refunded_status(payment))
        payment.failure_reason = None
        await emit_status(session, payment, previous or payment.status)
        await events.commit(session)
        await session.refresh(payment)
        return payment
