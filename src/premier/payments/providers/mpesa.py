"""Safaricom M-Pesa Daraja: STK Push (M-Pesa Express), its callback and its status query.

- OAuth: a client-credentials token, cached until shortly before it expires and shared by
  every call of this process; a call refused with `404.001.03` (invalid token) fetches a
  new one and is tried once more.
- STK Push has no idempotency key: sending it again puts a second prompt on the guest's
  phone. It is never sent again for a payment (`restart_safe = False`); after a timeout
  the payment is asked about with the STK query instead.
- Callbacks are not signed. Each payment has its own secret callback path (the service
  checks it), the callback's CheckoutRequestID must be the payment's, and its outcome is
  confirmed with an STK query before anything is credited: the query is the only check
  that goes back to Safaricom. The query has no amount, so the amount is the callback's.
- Result codes mean the same in callback and query but arrive as a number and a string;
  both are read as strings.
"""

import asyncio
import base64
import json
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

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
    ProviderDown,
    Refunded,
    Started,
    Unsupported,
)
from premier.payments.providers.http import json_of, request

NAIROBI = ZoneInfo("Africa/Nairobi")
TOKEN_MARGIN_SECONDS = 120
INVALID_TOKEN = {"404.001.03", "400.003.01"}
STILL_PROCESSING = "500.001.1001"

# What the guest is told for each result code (PROVIDERS.md 1.6).
RESULTS: dict[str, tuple[Outcome, str]] = {
    "0": (Outcome.SUCCEEDED, "Payment received. Thank you."),
    "1": (Outcome.FAILED, "Your M-Pesa balance is not enough for this payment."),
    "1001": (
        Outcome.FAILED,
        "Another M-Pesa payment is in progress on this phone. Wait a minute and try again.",
    ),
    "1019": (Outcome.FAILED, "The payment request expired. Please start again."),
    "1025": (Outcome.FAILED, "M-Pesa could not send the prompt. Please try again."),
    "9999": (Outcome.FAILED, "M-Pesa could not send the prompt. Please try again."),
    "1032": (Outcome.CANCELLED, "You cancelled the payment on your phone."),
    "1037": (
        Outcome.FAILED,
        "We could not reach your phone, or the prompt timed out. Check your phone is on "
        "and try again.",
    ),
    "2001": (Outcome.FAILED, "The M-Pesa PIN was wrong. Please try again."),
}
UNKNOWN_FAILURE = "M-Pesa did not complete the payment. Please try again."


def outcome_of(code: str) -> tuple[Outcome, str]:
    if code == "4999":
        return Outcome.PROCESSING, "Waiting for you to confirm on your phone."
    return RESULTS.get(code, (Outcome.FAILED, UNKNOWN_FAILURE))


class MpesaProvider:
    name = "mpesa"
    methods = frozenset({"mpesa"})
    currencies = frozenset({"KES"})
    restart_safe = False
    amount_step = 100  # whole shillings

    def __init__(
        self,
        *,
        http: aiohttp.ClientSession,
        base_url: str,
        consumer_key: str,
        consumer_secret: str,
        shortcode: str,
        passkey: str,
        transaction_type: str,
        party_b: str | None,
        timeout_seconds: float,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self._basic = base64.b64encode(f"{consumer_key}:{consumer_secret}".encode()).decode()
        self.shortcode = shortcode
        self.passkey = passkey
        self.transaction_type = transaction_type
        self.party_b = party_b or shortcode
        self.timeout = timeout_seconds
        self._token: str | None = None
        self._token_until = 0.0
        self._token_lock = asyncio.Lock()

    # --- auth -------------------------------------------------------------------------

    async def _access_token(self, *, renew: bool = False) -> str:
        async with self._token_lock:
            if not renew and self._token and time.monotonic() < self._token_until:
                return self._token
            answer = await request(
                self.http,
                "GET",
                f"{self.base_url}/oauth/v1/generate",
                params={"grant_type": "client_credentials"},
                headers={"Authorization": f"Basic {self._basic}"},
                provider=self.name,
                timeout_seconds=self.timeout,
            )
            body = json_of(answer)
            token = body.get("access_token")
            if answer.status != 200 or not isinstance(token, str):
                raise ProviderDeclined(
                    "M-Pesa refused our credentials", details={"status": answer.status}
                )
            lifetime = float(body.get("expires_in") or 3599)
            self._token = token
            self._token_until = time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, 1.0)
            return token

    async def _post(
        self, path: str, payload: dict[str, Any], *, read_5xx: bool = False
    ) -> tuple[int, dict[str, Any]]:
        for attempt in range(2):
            token = await self._access_token(renew=attempt > 0)
            answer = await request(
                self.http,
                "POST",
                f"{self.base_url}{path}",
                json=payload,
                headers={"Authorization": f"Bearer {token}"},
                provider=self.name,
                timeout_seconds=self.timeout,
                read_5xx=read_5xx,
            )
            body = json_of(answer)
            if answer.status == 404 and body.get("errorCode") in INVALID_TOKEN and attempt == 0:
                continue
            return answer.status, body
        return answer.status, body

    def _password(self) -> tuple[str, str]:
        stamp = datetime.now(NAIROBI).strftime("%Y%m%d%H%M%S")
        raw = f"{self.shortcode}{self.passkey}{stamp}".encode()
        return base64.b64encode(raw).decode(), stamp

    # --- the protocol ---------------------------------------------------------------------

    async def start(self, charge: Charge) -> Started:
        if charge.currency != "KES" or charge.amount % 100:
            raise Unsupported("M-Pesa takes whole Kenyan shillings only")
        if not charge.phone:
            raise Unsupported("M-Pesa needs the phone number to send the prompt to")
        password, stamp = self._password()
        payload = {
            "BusinessShortCode": self.shortcode,
            "Password": password,
            "Timestamp": stamp,
            "TransactionType": self.transaction_type,
            "Amount": charge.amount // 100,
            "PartyA": charge.phone,
            "PartyB": self.party_b,
            "PhoneNumber": charge.phone,
            "CallBackURL": charge.callback_url,
            "AccountReference": charge.reference.removeprefix("PAY-")[:12],
            "TransactionDesc": charge.description[:13],
        }
        status, body = await self._post("/mpesa/stkpush/v1/processrequest", payload)
        if status == 200 and str(body.get("ResponseCode")) == "0":
            return Started(
                provider_reference=str(body["CheckoutRequestID"]),
                next_action=NextAction.CHECK_PHONE,
                message="Check your phone and enter your M-Pesa PIN to pay.",
            )
        raise ProviderDeclined(
            "M-Pesa did not accept the payment request",
            details={"error": body.get("errorMessage") or body.get("ResponseDescription")},
        )

    async def query(self, attempt: Attempt) -> PaymentEvent | None:
        if not attempt.provider_reference:
            return None  # the push's answer was lost: there is nothing to ask about
        code = await self._query_code(attempt.provider_reference)
        if code is None:
            return None
        outcome, message = outcome_of(code)
        return PaymentEvent(
            provider=self.name,
            event_id=f"{attempt.provider_reference}:{code}",
            outcome=outcome,
            reference=attempt.reference,
            provider_reference=attempt.provider_reference,
            message=None if outcome is Outcome.SUCCEEDED else message,
            # The query carries no amount; a success it confirms is for what we asked.
            amount=attempt.amount if outcome is Outcome.SUCCEEDED else None,
            currency=attempt.currency if outcome is Outcome.SUCCEEDED else None,
        )

    async def _query_code(self, checkout_id: str) -> str | None:
        """The result code, or None while M-Pesa is still processing or does not know."""
        password, stamp = self._password()
        status, body = await self._post(
            "/mpesa/stkpushquery/v1/query",
            {
                "BusinessShortCode": self.shortcode,
                "Password": password,
                "Timestamp": stamp,
                "CheckoutRequestID": checkout_id,
            },
            read_5xx=True,
        )
        if status == 200 and str(body.get("ResponseCode")) == "0" and "ResultCode" in body:
            code = str(body["ResultCode"])
            return None if code == "4999" else code
        if body.get("errorCode") == STILL_PROCESSING:
            return None
        raise ProviderDown(f"M-Pesa query answered {status}", sent=True)

    async def parse(self, incoming: Incoming) -> list[PaymentEvent]:
        expected = incoming.expected
        if expected is None:
            raise InvalidWebhook("M-Pesa callbacks are taken on a payment's own path only")
        callback = _callback_of(incoming.body)
        checkout_id = str(callback.get("CheckoutRequestID") or "")
        if not checkout_id or (
            expected.provider_reference and checkout_id != expected.provider_reference
        ):
            raise InvalidWebhook("this callback is not about this payment")
        said = str(callback.get("ResultCode"))
        items = {
            item.get("Name"): item.get("Value")
            for item in (callback.get("CallbackMetadata") or {}).get("Item") or []
            if isinstance(item, dict)
        }
        confirmed = await self._query_code(checkout_id)
        if confirmed is None:
            # Not final at Safaricom yet: nothing is applied; reconciliation asks again.
            return [
                PaymentEvent(
                    provider=self.name,
                    event_id=f"{checkout_id}:callback:{said}",
                    outcome=Outcome.PROCESSING,
                    reference=expected.reference,
                    provider_reference=checkout_id,
                    verified=False,
                )
            ]
        outcome, message = outcome_of(confirmed)
        amount = None
        if outcome is Outcome.SUCCEEDED:
            value = items.get("Amount")
            amount = round(float(value) * 100) if value is not None else None
        receipt = items.get("MpesaReceiptNumber")
        return [
            PaymentEvent(
                provider=self.name,
                event_id=f"{checkout_id}:{confirmed}",
                outcome=outcome,
                reference=expected.reference,
                provider_reference=checkout_id,
                charge_id=str(receipt) if receipt else None,
                amount=amount,
                currency="KES" if amount is not None else None,
                message=None if outcome is Outcome.SUCCEEDED else message,
            )
        ]

    async def refund(self, attempt: Attempt, *, amount: int, reason: str, key: str) -> Refunded:
        raise Unsupported(
            "M-Pesa payments are reversed from the M-Pesa business portal, not through "
            "this API; record the reversal there"
        )

    async def aclose(self) -> None:
        return None


def _callback_of(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
        callback = data["Body"]["stkCallback"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidWebhook("not an STK callback") from exc
    if not isinstance(callback, dict):
        raise InvalidWebhook("not an STK callback")
    return callback
