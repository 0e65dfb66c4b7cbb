"""Flutterwave v3 Standard: a hosted payment link, the `verif-hash` webhook, and the verify
endpoint that every webhook is confirmed with before anything is credited.

`verif-hash` only proves the sender knows our shared secret; the body is not signed, so a
captured webhook could be replayed with a changed body. The webhook is therefore only a
nudge: the transaction is fetched again by its id from Flutterwave, and only what that
answer says (status, our tx_ref, amount and currency) is believed. Our reference is the
tx_ref, new for every payment; creating the link again for the same tx_ref charges nothing
(the guest pays on the hosted page), so a retried start is safe.
"""

import hmac
import json
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

CURRENCIES = frozenset({"KES", "USD", "EUR", "GBP"})


class FlutterwaveProvider:
    name = "flutterwave"
    methods = frozenset({"flutterwave"})
    currencies = CURRENCIES
    restart_safe = True
    amount_step = 1

    def __init__(
        self,
        *,
        http: aiohttp.ClientSession,
        base_url: str,
        secret_key: str,
        secret_hash: str,
        timeout_seconds: float,
        hotel_name: str,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self._auth = {"Authorization": f"Bearer {secret_key}"}
        self.secret_hash = secret_hash
        self.timeout = timeout_seconds
        self.hotel_name = hotel_name

    async def _call(self, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        answer = await request(
            self.http,
            method,
            f"{self.base_url}/v3{path}",
            headers=self._auth,
            provider=self.name,
            timeout_seconds=self.timeout,
            **kwargs,
        )
        return answer.status, json_of(answer)

    async def start(self, charge: Charge) -> Started:
        customer = {"email": charge.payer_email, "name": charge.payer_name}
        if charge.phone:
            customer["phonenumber"] = charge.phone
        status, body = await self._call(
            "POST",
            "/payments",
            json={
                "tx_ref": charge.reference,
                "amount": to_major(charge.amount, charge.currency),
                "currency": charge.currency,
                "redirect_url": charge.return_url,
                "customer": customer,
                "customizations": {"title": self.hotel_name, "description": charge.description},
                "meta": {"reference": charge.reference},
            },
        )
        link = (body.get("data") or {}).get("link")
        if status != 200 or body.get("status") != "success" or not link:
            raise ProviderDeclined(
                "Flutterwave did not create the payment link",
                details={"error": body.get("message")},
            )
        return Started(
            provider_reference=charge.reference,
            next_action=NextAction.REDIRECT,
            redirect_url=str(link),
            message="Pay on Flutterwave's secure page.",
        )

    async def parse(self, incoming: Incoming) -> list[PaymentEvent]:
        given = incoming.headers.get("verif-hash") or ""
        if not hmac.compare_digest(given.encode(), self.secret_hash.encode()):
            raise InvalidWebhook("verif-hash does not match")
        try:
            data = json.loads(incoming.body).get("data") or {}
            transaction_id = int(data["id"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidWebhook("not a Flutterwave transaction webhook") from exc
        status, body = await self._call("GET", f"/transactions/{transaction_id}/verify")
        if status != 200 or body.get("status") != "success":
            return []  # Flutterwave does not know it: nothing to act on
        return [_transaction_event(body.get("data") or {})]

    async def query(self, attempt: Attempt) -> PaymentEvent | None:
        status, body = await self._call(
            "GET", "/transactions/verify_by_reference", params={"tx_ref": attempt.reference}
        )
        if status != 200 or body.get("status") != "success":
            return None  # no transaction yet: the guest has not paid on the page
        return _transaction_event(body.get("data") or {})

    async def refund(self, attempt: Attempt, *, amount: int, reason: str, key: str) -> Refunded:
        if not attempt.charge_id:
            raise ProviderDeclined("this Flutterwave payment has no transaction to refund")
        status, body = await self._call(
            "POST",
            f"/transactions/{attempt.charge_id}/refund",
            json={"amount": to_major(amount, attempt.currency), "comments": reason[:250]},
        )
        data = body.get("data") or {}
        if status != 200 or body.get("status") != "success":
            raise ProviderDeclined(
                "Flutterwave refused the refund", details={"error": body.get("message")}
            )
        return Refunded(
            refund_id=str(data.get("id")), amount=amount, done=data.get("status") == "completed"
        )

    async def aclose(self) -> None:
        return None


def _transaction_event(data: dict[str, Any]) -> PaymentEvent:
    status = data.get("status")
    outcome = {"successful": Outcome.SUCCEEDED, "failed": Outcome.FAILED}.get(
        str(status), Outcome.PENDING
    )
    currency = data.get("currency")
    amount = data.get("amount")
    return PaymentEvent(
        provider="flutterwave",
        event_id=f"{data.get('id')}:{status}",
        outcome=outcome,
        reference=data.get("tx_ref"),
        provider_reference=data.get("tx_ref"),
        charge_id=str(data["id"]) if data.get("id") is not None else None,
        amount=to_minor(amount, currency) if amount is not None and currency else None,
        currency=currency,
        message=None
        if outcome is not Outcome.FAILED
        else f"The payment did not go through ({data.get('processor_response') or 'declined'}).",
    )
