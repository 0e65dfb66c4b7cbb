"""Stripe, through the official `stripe` package: Checkout Sessions for `stripe` and `card`.

The guest types their card on Stripe's own page, so no card number ever reaches us: we
create a Checkout Session (our reference as client_reference_id, in the metadata of the
session and its PaymentIntent, and as Stripe's idempotency key, so a retried create is the
same session), send the guest to its URL, and learn the result from signed webhooks,
`Stripe-Signature` checked by the package's `WebhookSignature.verify_header` within the
tolerance (older ones are replays). Refunds name the PaymentIntent and carry an
idempotency key of their own. The package calls Stripe through its aiohttp client; the base
URL comes from settings.
"""

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import stripe

from premier.payments.providers.base import (
    Attempt,
    Charge,
    Incoming,
    InvalidWebhook,
    NextAction,
    Outcome,
    PaymentEvent,
    ProviderDeclined,
    ProviderDown,
    Refunded,
    Started,
)

T = TypeVar("T")

SESSION_OUTCOMES = {
    "checkout.session.completed": None,  # paid at once, or an asynchronous method pending
    "checkout.session.async_payment_succeeded": Outcome.SUCCEEDED,
    "checkout.session.async_payment_failed": Outcome.FAILED,
    "checkout.session.expired": Outcome.CANCELLED,
}
CURRENCIES = frozenset({"KES", "USD", "EUR", "GBP"})


class StripeProvider:
    name = "stripe"
    methods = frozenset({"stripe", "card"})
    currencies = CURRENCIES
    restart_safe = True
    amount_step = 1

    def __init__(
        self,
        *,
        secret_key: str,
        webhook_secret: str,
        base_url: str,
        timeout_seconds: float,
        tolerance_seconds: int,
    ) -> None:
        self.webhook_secret = webhook_secret
        self.tolerance = tolerance_seconds
        self._http = stripe.AIOHTTPClient(timeout=timeout_seconds)
        self.client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": base_url.rstrip("/")},
            http_client=self._http,
            max_network_retries=0,  # a retry is ours to make, with the same idempotency key
        )

    async def _call(self, make: Callable[[], Awaitable[T]]) -> T:
        try:
            return await make()
        except stripe.APIConnectionError as exc:
            raise ProviderDown("Stripe did not answer", sent=None) from exc
        except (stripe.RateLimitError, stripe.APIError) as exc:
            if isinstance(exc, stripe.APIError) and (exc.http_status or 500) < 500:
                raise ProviderDeclined(
                    "Stripe refused the request", details={"error": exc.user_message}
                ) from exc
            raise ProviderDown(f"Stripe answered {exc.http_status}", sent=True) from exc
        except stripe.StripeError as exc:
            raise ProviderDeclined(
                "Stripe refused the request", details={"error": exc.user_message}
            ) from exc

    async def start(self, charge: Charge) -> Started:
        metadata = {"reference": charge.reference}
        session = await self._call(
            lambda: self.client.v1.checkout.sessions.create_async(
                params={
                    "mode": "payment",
                    "client_reference_id": charge.reference,
                    "customer_email": charge.payer_email,
                    "line_items": [
                        {
                            "quantity": 1,
                            "price_data": {
                                "currency": charge.currency.lower(),
                                "unit_amount": charge.amount,
                                "product_data": {"name": charge.description},
                            },
                        }
                    ],
                    "metadata": metadata,
                    "payment_intent_data": {"metadata": metadata},
                    "success_url": charge.return_url,
                    "cancel_url": charge.return_url,
                },
                options={"idempotency_key": f"checkout-{charge.reference}"},
            )
        )
        return Started(
            provider_reference=session.id,
            next_action=NextAction.REDIRECT,
            redirect_url=session.url,
            message="Pay on Stripe's secure page.",
        )

    async def parse(self, incoming: Incoming) -> list[PaymentEvent]:
        header = incoming.headers.get("stripe-signature")
        try:
            # The package's own check of Stripe-Signature and its age; the event is then
            # read as plain JSON (building the package's objects costs far more than this).
            stripe.WebhookSignature.verify_header(
                incoming.body, header, self.webhook_secret, self.tolerance
            )
            event = json.loads(incoming.body)
            kind, obj = str(event["type"]), dict(event["data"]["object"])
        except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError) as exc:
            raise InvalidWebhook("Stripe-Signature does not verify (or is too old)") from exc
        parsed = _event_of(str(event.get("id")), kind, obj, event.get("created"))
        return [parsed] if parsed is not None else []

    async def query(self, attempt: Attempt) -> PaymentEvent | None:
        if not attempt.provider_reference:
            return None
        session_id = attempt.provider_reference
        session = await self._call(
            lambda: self.client.v1.checkout.sessions.retrieve_async(session_id)
        )
        data = session.to_dict()
        event = _session_event(f"{session_id}:query", data, None)
        if event is None:
            return None
        return PaymentEvent(**{**_fields(event), "event_id": f"{session_id}:{event.outcome}"})

    async def refund(self, attempt: Attempt, *, amount: int, reason: str, key: str) -> Refunded:
        if not attempt.charge_id:
            raise ProviderDeclined("this Stripe payment has no captured charge to refund")
        intent = attempt.charge_id
        refund = await self._call(
            lambda: self.client.v1.refunds.create_async(
                params={
                    "payment_intent": intent,
                    "amount": amount,
                    "reason": "requested_by_customer",
                    "metadata": {"reason": reason[:500]},
                },
                options={"idempotency_key": key},
            )
        )
        return Refunded(
            refund_id=refund.id, amount=refund.amount, done=refund.status == "succeeded"
        )

    async def aclose(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]


def _fields(event: PaymentEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in PaymentEvent.__slots__}


def _when(created: int | None) -> datetime | None:
    return datetime.fromtimestamp(created, UTC) if created else None


def _session_event(
    event_id: str, session: dict[str, Any], created: int | None, said: Outcome | None = None
) -> PaymentEvent | None:
    outcome = said
    if outcome is None:
        if session.get("payment_status") in ("paid", "no_payment_required"):
            outcome = Outcome.SUCCEEDED
        elif session.get("status") == "expired":
            outcome = Outcome.CANCELLED
        elif session.get("status") == "complete":
            outcome = Outcome.PROCESSING  # an asynchronous method still settling
        else:
            outcome = Outcome.PENDING
    currency = session.get("currency")
    reference = session.get("client_reference_id") or (session.get("metadata") or {}).get(
        "reference"
    )
    intent = session.get("payment_intent")
    return PaymentEvent(
        provider="stripe",
        event_id=event_id,
        outcome=outcome,
        reference=reference,
        provider_reference=session.get("id"),
        charge_id=intent if isinstance(intent, str) else None,
        amount=session.get("amount_total"),
        currency=currency.upper() if currency else None,
        message="The checkout expired before it was paid."
        if outcome is Outcome.CANCELLED
        else ("The payment did not go through." if outcome is Outcome.FAILED else None),
        occurred_at=_when(created),
    )


def _event_of(
    event_id: str, kind: str, obj: dict[str, Any], created: int | None
) -> PaymentEvent | None:
    """Our event for a Stripe event; None for kinds that do not move a payment."""
    if kind in SESSION_OUTCOMES:
        return _session_event(event_id, obj, created, SESSION_OUTCOMES[kind])
    currency = obj.get("currency")
    reference = (obj.get("metadata") or {}).get("reference")
    if kind in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        failed = kind.endswith("failed")
        error = obj.get("last_payment_error") or {}
        return PaymentEvent(
            provider="stripe",
            event_id=event_id,
            outcome=Outcome.FAILED if failed else Outcome.SUCCEEDED,
            reference=reference,
            charge_id=obj.get("id"),
            amount=None if failed else obj.get("amount_received"),
            currency=currency.upper() if currency else None,
            message=(error.get("message") or "Your card was declined.") if failed else None,
            occurred_at=_when(created),
        )
    if kind == "charge.refunded":
        intent = obj.get("payment_intent")
        return PaymentEvent(
            provider="stripe",
            event_id=event_id,
            outcome=Outcome.REFUNDED,
            reference=reference,
            charge_id=intent if isinstance(intent, str) else None,
            refunded_amount=obj.get("amount_refunded"),
            currency=currency.upper() if currency else None,
            occurred_at=_when(created),
        )
    return None
