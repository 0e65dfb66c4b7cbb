"""PayPal Orders v2: create → the guest approves on PayPal → we capture; refunds through
Payments v2; webhooks checked with PayPal's `verify-webhook-signature`.

- OAuth client-credentials token, cached until shortly before it expires.
- Create and capture carry `PayPal-Request-Id` (our reference, and `capture-` + it), so a
  retried call is the same order and the same capture: never a second charge.
- An approved order is captured when we first hear of it: the CHECKOUT.ORDER.APPROVED
  webhook, the guest coming back to the result page, or the reconciliation's query.
- A webhook is believed only when PayPal itself says its signature verifies, and only
  within the tolerance of its transmission time (older ones are replays).
"""

import asyncio
import base64
import json
import time
from datetime import UTC, datetime
from typing import Any

import aiohttp

from premier.payments.providers.base import (
    Attempt,
    Charge,
    Incoming,
    InvalidWebhook,
    NextAction,
    Outcome,
    PaymentEvent,
    ProviderDeclined,
    Refunded,
    Started,
    to_major,
    to_minor,
)
from premier.payments.providers.http import json_of, request

TOKEN_MARGIN_SECONDS = 120
CURRENCIES = frozenset({"USD", "EUR", "GBP"})  # PayPal does not settle in KES
SIGNATURE_HEADERS = {
    "auth_algo": "paypal-auth-algo",
    "cert_url": "paypal-cert-url",
    "transmission_id": "paypal-transmission-id",
    "transmission_sig": "paypal-transmission-sig",
    "transmission_time": "paypal-transmission-time",
}
DECLINED = "PayPal declined the payment. Please try another way to pay."


class PayPalProvider:
    name = "paypal"
    methods = frozenset({"paypal"})
    currencies = CURRENCIES
    restart_safe = True
    amount_step = 1

    def __init__(
        self,
        *,
        http: aiohttp.ClientSession,
        base_url: str,
        client_id: str,
        client_secret: str,
        webhook_id: str,
        timeout_seconds: float,
        tolerance_seconds: int,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self._basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        self.webhook_id = webhook_id
        self.timeout = timeout_seconds
        self.tolerance = tolerance_seconds
        self._token: str | None = None
        self._token_until = 0.0
        self._token_lock = asyncio.Lock()

    async def _access_token(self) -> str:
        async with self._token_lock:
            if self._token and time.monotonic() < self._token_until:
                return self._token
            answer = await request(
                self.http,
                "POST",
                f"{self.base_url}/v1/oauth2/token",
                data={"grant_type": "client_credentials"},
                headers={"Authorization": f"Basic {self._basic}"},
                provider=self.name,
                timeout_seconds=self.timeout,
            )
            body = json_of(answer)
            if answer.status != 200 or not isinstance(body.get("access_token"), str):
                raise ProviderDeclined("PayPal refused our credentials")
            self._token = str(body["access_token"])
            lifetime = float(body.get("expires_in") or 3600)
            self._token_until = time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, 1.0)
            return self._token

    async def _call(
        self, method: str, path: str, *, payload: Any = None, request_id: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {await self._access_token()}"}
        if request_id:
            headers["PayPal-Request-Id"] = request_id
        if payload is not None:
            headers["Prefer"] = "return=representation"
        answer = await request(
            self.http,
            method,
            f"{self.base_url}{path}",
            json=payload,
            headers=headers,
            provider=self.name,
            timeout_seconds=self.timeout,
        )
        return answer.status, json_of(answer)

    async def start(self, charge: Charge) -> Started:
        amount = {
            "currency_code": charge.currency,
            "value": to_major(charge.amount, charge.currency),
        }
        payload = {
            "intent": "CAPTURE",
            "purchase_units": [
                {
                    "reference_id": charge.reference,
                    "custom_id": charge.reference,
                    "invoice_id": charge.reference,
                    "description": charge.description[:127],
                    "amount": amount,
                }
            ],
            "payment_source": {
                "paypal": {
                    "experience_context": {
                        "return_url": charge.return_url,
                        "cancel_url": charge.return_url,
                        "user_action": "PAY_NOW",
                        "shipping_preference": "NO_SHIPPING",
                    }
                }
            },
        }
        status, body = await self._call(
            "POST", "/v2/checkout/orders", payload=payload, request_id=charge.reference
        )
        if status not in (200, 201) or "id" not in body:
            raise ProviderDeclined(
                "PayPal did not accept the order", details={"error": body.get("message")}
            )
        link = next(
            (
                item.get("href")
                for item in body.get("links") or []
                if item.get("rel") in ("payer-action", "approve")
            ),
            None,
        )
        return Started(
            provider_reference=str(body["id"]),
            next_action=NextAction.REDIRECT,
            redirect_url=link,
            message="Approve the payment on PayPal.",
        )

    async def _capture(self, order_id: str, reference: str) -> PaymentEvent:
        status, body = await self._call(
            "POST",
            f"/v2/checkout/orders/{order_id}/capture",
            payload={},
            request_id=f"capture-{reference}",
        )
        if status in (200, 201):
            return _order_event(body, reference)
        issues = {d.get("issue") for d in body.get("details") or [] if isinstance(d, dict)}
        if "ORDER_ALREADY_CAPTURED" in issues:
            _, order = await self._call("GET", f"/v2/checkout/orders/{order_id}")
            return _order_event(order, reference)
        if status == 422:
            return PaymentEvent(
                provider=self.name,
                event_id=f"{order_id}:declined",
                outcome=Outcome.FAILED,
                reference=reference,
                provider_reference=order_id,
                message=DECLINED,
            )
        raise ProviderDeclined("PayPal refused the capture", details={"issues": sorted(issues)})

    async def query(self, attempt: Attempt) -> PaymentEvent | None:
        if not attempt.provider_reference:
            return None
        status, order = await self._call("GET", f"/v2/checkout/orders/{attempt.provider_reference}")
        if status == 404:
            return None
        if order.get("status") == "APPROVED":
            return await self._capture(attempt.provider_reference, attempt.reference)
        return _order_event(order, attempt.reference)

    async def parse(self, incoming: Incoming) -> list[PaymentEvent]:
        fields = {key: incoming.headers.get(header) for key, header in SIGNATURE_HEADERS.items()}
        if not all(fields.values()):
            raise InvalidWebhook("PayPal transmission headers are missing")
        try:
            sent_at = datetime.fromisoformat(
                str(fields["transmission_time"]).replace("Z", "+00:00")
            )
            event = json.loads(incoming.body)
        except ValueError as exc:
            raise InvalidWebhook("not a PayPal webhook") from exc
        age = abs((datetime.now(UTC) - sent_at).total_seconds())
        if age > self.tolerance:
            raise InvalidWebhook("PayPal webhook is too old (a replay?)")
        status, verdict = await self._call(
            "POST",
            "/v1/notifications/verify-webhook-signature",
            payload={**fields, "webhook_id": self.webhook_id, "webhook_event": event},
        )
        if status != 200 or verdict.get("verification_status") != "SUCCESS":
            raise InvalidWebhook("PayPal says this webhook's signature does not verify")
        return await self._events_of(event)

    async def _events_of(self, event: dict[str, Any]) -> list[PaymentEvent]:
        kind = event.get("event_type")
        resource = event.get("resource") or {}
        event_id = str(event.get("id"))
        if kind == "CHECKOUT.ORDER.APPROVED":
            units = resource.get("purchase_units") or [{}]
            reference = units[0].get("custom_id") or units[0].get("reference_id")
            captured = await self._capture(str(resource.get("id")), str(reference))
            return [captured]
        if kind in (
            "PAYMENT.CAPTURE.COMPLETED",
            "PAYMENT.CAPTURE.DENIED",
            "PAYMENT.CAPTURE.DECLINED",
        ):
            amount = resource.get("amount") or {}
            currency = amount.get("currency_code")
            order_id = ((resource.get("supplementary_data") or {}).get("related_ids") or {}).get(
                "order_id"
            )
            completed = kind.endswith("COMPLETED") and resource.get("status") == "COMPLETED"
            return [
                PaymentEvent(
                    provider=self.name,
                    event_id=event_id,
                    outcome=Outcome.SUCCEEDED
                    if completed
                    else (Outcome.PROCESSING if kind.endswith("COMPLETED") else Outcome.FAILED),
                    reference=resource.get("custom_id"),
                    provider_reference=order_id,
                    charge_id=resource.get("id"),
                    amount=to_minor(amount["value"], currency)
                    if currency and "value" in amount
                    else None,
                    currency=currency,
                    message=None if completed else DECLINED,
                )
            ]
        return []

    async def refund(self, attempt: Attempt, *, amount: int, reason: str, key: str) -> Refunded:
        if not attempt.charge_id:
            raise ProviderDeclined("this PayPal payment has no capture to refund")
        status, body = await self._call(
            "POST",
            f"/v2/payments/captures/{attempt.charge_id}/refund",
            payload={
                "amount": {
                    "value": to_major(amount, attempt.currency),
                    "currency_code": attempt.currency,
                },
                "note_to_payer": reason[:255],
            },
            request_id=key,
        )
        if status not in (200, 201) or "id" not in body:
            raise ProviderDeclined(
                "PayPal refused the refund", details={"error": body.get("message")}
            )
        return Refunded(
            refund_id=str(body["id"]), amount=amount, done=body.get("status") == "COMPLETED"
        )

    async def aclose(self) -> None:
        return None


def _order_event(order: dict[str, Any], reference: str) -> PaymentEvent:
    """An order's state as our event; a completed one names its capture and amount."""
    order_id = str(order.get("id"))
    status = order.get("status")
    captures = [
        capture
        for unit in order.get("purchase_units") or []
        for capture in ((unit.get("payments") or {}).get("captures") or [])
    ]
    if status == "COMPLETED" and captures:
        capture = captures[0]
        amount = capture.get("amount") or {}
        currency = amount.get("currency_code")
        done = capture.get("status") == "COMPLETED"
        outcome = (
            Outcome.SUCCEEDED
            if done
            else (
                Outcome.FAILED
                if capture.get("status") in ("DECLINED", "FAILED")
                else Outcome.PROCESSING
            )
        )
        return PaymentEvent(
            provider="paypal",
            event_id=f"{order_id}:{outcome}",
            outcome=outcome,
            reference=reference,
            provider_reference=order_id,
            charge_id=capture.get("id"),
            amount=to_minor(amount["value"], currency) if currency else None,
            currency=currency,
            message=None if done else DECLINED,
        )
    outcome = Outcome.CANCELLED if status == "VOIDED" else Outcome.PENDING
    return PaymentEvent(
        provider="paypal",
        event_id=f"{order_id}:{outcome}",
        outcome=outcome,
        reference=reference,
        provider_reference=order_id,
        message="The PayPal order was voided." if outcome is Outcome.CANCELLED else None,
    )
