"""Starting a payment, safe to ask twice: the `Idempotency-Key` contract.

- The first request with a key writes the payment and a `payment_requests` row (key,
  fingerprint of the body, lease) in one transaction, then calls the provider outside any
  transaction, then stores the answer it gives. A unique (caller, key) makes concurrent
  first requests one: the others find the row.
- A repeat with the same body gets the stored answer, and never a second charge. While the
  first still holds the lease, a repeat is told to retry (409). The same key with another
  body is refused (422).
- When the provider did not answer, the answer is not stored and the lease is released:
  the retry calls the provider again for the same payment, under the same reference, which
  the provider deduplicates (Stripe's idempotency key, PayPal-Request-Id, Flutterwave's
  tx_ref). M-Pesa has no such key: an STK Push that may have gone out is never sent again;
  the payment stays pending with its secret callback path, the callback or the query
  settles it, and the stored answer tells the guest to look at their phone.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import Booking, BookingStatus
from premier.db import Database
from premier.folio import service as folio
from premier.kit.errors import Conflict, DomainError, InvalidInput, NotFound
from premier.kit.time import utcnow
from premier.orders.models import Order, OrderStatus
from premier.payments import fx
from premier.payments import status as machine
from premier.payments.apply import emit_status
from premier.payments.models import Payment, PaymentMethod, PaymentRequest, PaymentStatus
from premier.payments.providers.base import Charge, NextAction, PaymentProvider, ProviderDown
from premier.payments.registry import Providers
from premier.payments.schemas import PaymentCreate, PaymentOption, PaymentOut
from premier.payments.settings import PaymentSettings
from premier.users.models import User

log = structlog.get_logger(__name__)

LEASE = timedelta(seconds=60)
CALLBACK_PATH = "/api/v1/payments/callbacks/"
UNKNOWN_PUSH = (
    "We could not confirm that the payment prompt reached your phone. If it arrives, "
    "enter your PIN; otherwise start a new payment in a few minutes."
)


def new_reference() -> str:
    return "PAY-" + secrets.token_hex(6).upper()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Answer:
    status_code: int
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Bill:
    booking_id: int | None
    order_id: int | None
    payer_id: int
    currency: str
    due: int
    description: str


async def bill_for(
    session: AsyncSession, *, actor: Actor, booking_id: int | None, order_id: int | None
) -> Bill:
    """What is still due: on a booking, its folio's balance (the room, charges posted to
    the stay and orders charged to the room, less what payments have credited); on an
    order paid on its own, its total less its payments."""
    if booking_id is not None:
        return await _folio_bill(session, actor=actor, booking_id=booking_id)
    order = await session.get(Order, order_id)
    if order is None or not access.reaches(actor, "payment", "create", owner_id=order.guest_id):
        raise NotFound(f"order {order_id} not found")
    if order.status == OrderStatus.CANCELLED:
        raise Conflict(f"this order is {order.status} and cannot be paid")
    if order.charge_to_room:
        raise Conflict(
            "this order is charged to the room: it is paid with the stay's bill",
            code="charged_to_room",
            details={"booking_id": order.booking_id},
        )
    paid = 0
    for row in await session.scalars(
        select(Payment).where(Payment.order_id == order_id, Payment.status.in_(machine.CREDITED))
    ):
        bill_amount = row.bill_amount if row.bill_amount is not None else row.amount
        kept = row.amount - row.refunded_amount
        paid += bill_amount * kept // row.amount
    return Bill(
        booking_id=None,
        order_id=order.id,
        payer_id=order.guest_id,
        currency=order.currency,
        due=order.total_amount - paid,
        description=f"Room service order {order.id}",
    )


async def _folio_bill(session: AsyncSession, *, actor: Actor, booking_id: int) -> Bill:
    booking = await session.get(Booking, booking_id)
    if booking is None or not access.reaches(actor, "payment", "create", owner_id=booking.guest_id):
        raise NotFound(f"booking {booking_id} not found")
    if booking.status == BookingStatus.CANCELLED:
        raise Conflict(f"this booking is {booking.status} and cannot be paid")
    due = await folio.balance_due(session, booking)
    # A guest who left with money owed (a manager's override) may still settle it.
    if booking.status == BookingStatus.CHECKED_OUT and due <= 0:
        raise Conflict(f"this booking is {booking.status} and cannot be paid")
    return Bill(
        booking_id=booking.id,
        order_id=None,
        payer_id=booking.guest_id,
        currency=booking.currency,
        due=due,
        description=f"Booking {booking.reference}",
    )


def _options_for(
    bill_currency: str,
    amount: int,
    *,
    providers: Providers,
    settings: PaymentSettings,
    hotel_currency: str,
) -> list[tuple[str, PaymentProvider, fx.Converted]]:
    found = []
    for method, provider in sorted(providers.by_method.items()):
        target = bill_currency if bill_currency in provider.currencies else None
        if target is None:
            usable = [
                c
                for c in sorted(provider.currencies)
                if c in settings.fx_rates or c == hotel_currency
            ]
            if not usable:
                continue
            target = "USD" if "USD" in usable else usable[0]
        try:
            converted = fx.convert(
                amount,
                bill_currency,
                target,
                hotel=hotel_currency,
                rates=settings.fx_rates,
                rates_at=settings.fx_rates_as_of or utcnow(),
                step=provider.amount_step,
            )
        except InvalidInput:
            continue
        found.append((method, provider, converted))
    return found


def methods(
    *,
    providers: Providers,
    settings: PaymentSettings,
    hotel_currency: str,
    currency: str,
    amount: int,
) -> list[PaymentOption]:
    """The ways to pay `amount` of `currency` here, each in the currency it would charge."""
    return [
        PaymentOption(
            method=PaymentMethod(method),
            label=PaymentMethod(method).label,
            provider=provider.name,
            amount=converted.amount,
            currency=converted.currency,
            fx_rate=str(converted.rate) if converted.rate is not None else None,
            fx_rate_at=converted.rate_at,
            next_action=(
                NextAction.NONE
                if provider.name == "cash"
                else NextAction.CHECK_PHONE
                if provider.name == "mpesa"
                else NextAction.REDIRECT
            ),
            needs_phone=provider.name == "mpesa",
        )
        for method, provider, converted in _options_for(
            currency, amount, providers=providers, settings=settings, hotel_currency=hotel_currency
        )
    ]


def fingerprint(data: PaymentCreate) -> str:
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class Starter:
    """Starts payments through the enabled providers (one per process)."""

    def __init__(
        self,
        *,
        database: Database,
        providers: Providers,
        settings: PaymentSettings,
        hotel_currency: str,
        public_base_url: str,
    ) -> None:
        self.database = database
        self.providers = providers
        self.settings = settings
        self.hotel_currency = hotel_currency
        self.base_url = public_base_url.rstrip("/")
        self.callback_base_url = (settings.callback_base_url or public_base_url).rstrip("/")

    async def start(self, *, actor: Actor, key: str, data: PaymentCreate) -> Answer:
        if data.method == PaymentMethod.CASH:
            access.check(actor, "payment", "record_cash")
        provider = self.providers.for_method(data.method)
        print_ = fingerprint(data)
        claimed = await self._claim(
            actor=actor, key=key, print_=print_, data=data, provider=provider
        )
        if isinstance(claimed, Answer):
            return claimed
        payment_id, request_id, token = claimed
        return await self._call_provider(provider, payment_id, request_id, token, data)

    async def _claim(
        self,
        *,
        actor: Actor,
        key: str,
        print_: str,
        data: PaymentCreate,
        provider: PaymentProvider,
    ) -> "Answer | tuple[int, int, str | None]":
        """The stored answer for this key, or the payment and request row this call now
        holds the lease of (new, or an earlier try the provider never answered)."""
        now = utcnow()
        async with self.database.writing() as session:
            existing = await session.scalar(
                select(PaymentRequest).where(
                    PaymentRequest.actor_id == actor.id, PaymentRequest.key == key
                )
            )
            if existing is None:
                try:
                    return await self._create(
                        session, actor=actor, key=key, print_=print_, data=data, provider=provider
                    )
                except IntegrityError:
                    await session.rollback()
                    existing = await session.scalar(
                        select(PaymentRequest).where(
                            PaymentRequest.actor_id == actor.id, PaymentRequest.key == key
                        )
                    )
                    if existing is None:  # pragma: no cover - the row that won is gone
                        raise Conflict("retry this request") from None
            if existing.fingerprint != print_:
                raise InvalidInput(
                    "this Idempotency-Key was used with a different request",
                    code="idempotency_key_reused",
                )
            if existing.response_status is not None:
                return Answer(existing.response_status, json.loads(existing.response_body or "{}"))
            taken = await session.execute(
                update(PaymentRequest)
                .where(
                    PaymentRequest.id == existing.id,
                    PaymentRequest.response_status.is_(None),
                    (PaymentRequest.locked_until.is_(None)) | (PaymentRequest.locked_until < now),
                )
                .values(locked_until=now + LEASE)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                raise Conflict(
                    "a request with this Idempotency-Key is still being processed; retry shortly",
                    code="idempotency_key_in_use",
                )
            await session.commit()
            assert existing.payment_id is not None
            # The secret path is shown once, to the provider: a restart mints a new one.
            token = None
            if provider.name == "mpesa":
                token = secrets.token_urlsafe(24)
                async with self.database.writing() as again:
                    payment = await again.get(Payment, existing.payment_id)
                    assert payment is not None
                    payment.callback_token_hash = token_hash(token)
                    await again.commit()
            return existing.payment_id, existing.id, token

    async def _create(
        self,
        session: AsyncSession,
        *,
        actor: Actor,
        key: str,
        print_: str,
        data: PaymentCreate,
        provider: PaymentProvider,
    ) -> tuple[int, int, str | None]:
        bill = await bill_for(
            session, actor=actor, booking_id=data.booking_id, order_id=data.order_id
        )
        if bill.due <= 0:
            raise Conflict("nothing is left to pay", details={"due": bill.due})
        amount = data.amount if data.amount is not None else bill.due
        if amount > bill.due:
            raise InvalidInput(
                "that is more than is due", details={"due": bill.due, "currency": bill.currency}
            )
        options = {
            method: (p, converted)
            for method, p, converted in _options_for(
                bill.currency,
                amount,
                providers=self.providers,
                settings=self.settings,
                hotel_currency=self.hotel_currency,
            )
        }
        if data.method not in options:
            raise InvalidInput(f"{data.method} cannot take {bill.currency} here")
        _, converted = options[data.method]
        token = secrets.token_urlsafe(24) if provider.name == "mpesa" else None
        payment = Payment(
            reference=new_reference(),
            payer_id=bill.payer_id,
            booking_id=bill.booking_id,
            order_id=bill.order_id,
            amount=converted.amount,
            currency=converted.currency,
            method=data.method,
            provider=provider.name,
            recorded_by_id=actor.id,
            bill_amount=amount if converted.rate is not None else None,
            bill_currency=bill.currency if converted.rate is not None else None,
            fx_rate=str(converted.rate) if converted.rate is not None else None,
            fx_rate_at=converted.rate_at,
            callback_token_hash=token_hash(token) if token else None,
        )
        session.add(payment)
        await session.flush()
        request = PaymentRequest(
            actor_id=actor.id,
            key=key,
            fingerprint=print_,
            payment_id=payment.id,
            locked_until=utcnow() + LEASE,
        )
        session.add(request)
        await session.flush()
        await session.commit()
        return payment.id, request.id, token

    async def _call_provider(
        self,
        provider: PaymentProvider,
        payment_id: int,
        request_id: int,
        token: str | None,
        data: PaymentCreate,
    ) -> Answer:
        async with self.database.reading() as session:
            payment = await session.get(Payment, payment_id)
            assert payment is not None
            payer = await session.get(User, payment.payer_id)
            charge = Charge(
                reference=payment.reference,
                amount=payment.amount,
                currency=payment.currency,
                description=(
                    f"Booking {payment.booking_id}"
                    if payment.booking_id
                    else f"Order {payment.order_id}"
                ),
                payer_email=payer.email if payer else "",
                payer_name=payer.full_name if payer else "",
                phone=data.msisdn(),
                return_url=f"{self.base_url}/payments/{payment.id}/result",
                callback_url=f"{self.callback_base_url}{CALLBACK_PATH}{token or ''}",
            )
        try:
            started = await provider.start(charge)
        except ProviderDown as exc:
            if provider.restart_safe or exc.sent is False:
                await self._release(request_id)
                raise
            log.warning("payment_start_unknown", payment_id=payment_id, provider=provider.name)
            return await self._finish(
                request_id, payment_id, message=UNKNOWN_PUSH, status=PaymentStatus.PROCESSING
            )
        except DomainError as exc:
            return await self._finish(
                request_id,
                payment_id,
                message=exc.message,
                status=PaymentStatus.FAILED,
                error=(exc.status_code, exc.code, exc.details),
            )
        return await self._finish(
            request_id,
            payment_id,
            provider_reference=started.provider_reference,
            next_action=started.next_action,
            redirect_url=started.redirect_url,
            status=(
                PaymentStatus.SUCCEEDED
                if started.next_action is NextAction.NONE
                else PaymentStatus.PROCESSING
                if started.next_action is NextAction.CHECK_PHONE
                else PaymentStatus.PENDING
            ),
        )

    async def _release(self, request_id: int) -> None:
        async with self.database.writing() as session:
            await session.execute(
                update(PaymentRequest)
                .where(PaymentRequest.id == request_id)
                .values(locked_until=None)
            )
            await session.commit()

    async def _finish(
        self,
        request_id: int,
        payment_id: int,
        *,
        status: PaymentStatus,
        provider_reference: str | None = None,
        next_action: NextAction | None = None,
        redirect_url: str | None = None,
        message: str | None = None,
        error: tuple[int, str, Any] | None = None,
    ) -> Answer:
        async with self.database.writing() as session:
            payment = await session.get(Payment, payment_id, with_for_update=True)
            request = await session.get(PaymentRequest, request_id)
            assert payment is not None and request is not None
            if provider_reference and not payment.provider_reference:
                payment.provider_reference = provider_reference
            payment.next_action = next_action
            payment.redirect_url = redirect_url
            if status is PaymentStatus.FAILED:
                payment.failure_reason = message
            elif message:
                payment.failure_reason = None
            previous = machine.advance(payment, status)
            if previous is not None:
                if status is PaymentStatus.SUCCEEDED:
                    payment.settled_at = utcnow()
                await emit_status(session, payment, previous)
            await session.flush()
            await session.refresh(payment)
            if error is not None:
                code, name, details = error
                answer = Answer(
                    code, {"error": {"code": name, "message": message, "details": details}}
                )
            else:
                body = PaymentOut.model_validate(payment).model_dump(mode="json")
                if message:
                    body["message"] = message
                answer = Answer(201, body)
            request.response_status = answer.status_code
            request.response_body = json.dumps(answer.body)
            request.locked_until = None
            await events.commit(session)
            return answer
