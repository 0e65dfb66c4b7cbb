"""Twilio Programmable Messaging, REST API 2010-04-01 (`Messages.json`, form-encoded, basic
auth with the account SID and auth token), and its callbacks: status reports and incoming
messages.

Twilio signs its callbacks (`X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the auth
token, of the full URL followed by every POST parameter's name and value sorted by name).
"""

import base64
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from premier.delivery.http import Answer, call
from premier.delivery.tracking import TrackingEvent, TrackingKind
from premier.kit.time import utcnow
from premier.sms.keywords import Intent, intent_of
from premier.sms.pricing import parse_provider_price
from premier.sms.providers.base import (
    Accepted,
    InboundSms,
    OutboundSms,
    PermanentFailure,
    TransientFailure,
    retry_after_seconds,
)

# Twilio error codes that are about our account or setup, not the message: another provider
# may still send it (https://www.twilio.com/docs/api/errors).
ACCOUNT_ERRORS = {20003, 20005, 20429, 21606, 21608, 21611, 30001, 30002}
# Recipient unsubscribed (replied STOP to this sender).
UNSUBSCRIBED = 21610


class TwilioProvider:
    name = "twilio"

    def __init__(
        self,
        *,
        http: aiohttp.ClientSession,
        timeout_seconds: float,
        base_url: str,
        account_sid: str,
        auth_token: str,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
    ) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError(
                "twilio needs PREMIER_SMS_TWILIO_FROM_NUMBER or _MESSAGING_SERVICE_SID"
            )
        self._http = http
        self._timeout = timeout_seconds
        self._messages = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages"
        self._url = f"{self._messages}.json"
        self._auth = aiohttp.BasicAuth(account_sid, auth_token)
        self._from = from_number
        self._service = messaging_service_sid

    def form(self, message: OutboundSms) -> dict[str, str]:
        data = {"To": message.to, "Body": message.body}
        if self._service:
            data["MessagingServiceSid"] = self._service
        else:
            data["From"] = message.sender or self._from or ""
        if message.status_callback_url:
            data["StatusCallback"] = message.status_callback_url
        return data

    async def send(self, message: OutboundSms) -> Accepted:
        response = await call(
            self._http,
            "POST",
            self._url,
            provider=self.name,
            timeout_seconds=self._timeout,
            data=self.form(message),
            auth=self._auth,
        )
        body = _json(response)
        if response.status == 201:
            price = parse_provider_price(body.get("price"), body.get("price_unit"))
            return Accepted(
                provider=self.name,
                provider_message_id=str(body["sid"]),
                status="queued" if body.get("status") in {"queued", "accepted"} else "sent",
                segments=_int(body.get("num_segments")),
                price=price[0] if price else None,
                price_currency=price[1] if price else None,
            )
        code = _int(body.get("code"))
        reason = str(body.get("message") or response.text[:200] or response.reason)
        code_text = str(code) if code is not None else str(response.status)
        if response.status == 429 or response.status >= 500 or code in ACCOUNT_ERRORS:
            raise TransientFailure(
                self.name, reason, code=code_text,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )  # fmt: skip
        if response.status in (401, 403):
            raise TransientFailure(self.name, f"credentials refused: {reason}", code=code_text)
        raise PermanentFailure(self.name, reason, code=code_text)

    async def fetch_price(self, message_sid: str) -> tuple[int, str] | None:
        """Twilio prices a message only after it is sent, and callbacks do not carry the
        price: fetch the Message resource. None while Twilio has not priced it yet."""
        try:
            response = await call(
                self._http,
                "GET",
                f"{self._messages}/{message_sid}.json",
                provider=self.name,
                timeout_seconds=self._timeout,
                auth=self._auth,
            )
        except TransientFailure:
            return None
        if response.status != 200:
            return None
        body = _json(response)
        return parse_provider_price(body.get("price"), body.get("price_unit"))


# --- callbacks --------------------------------------------------------------------------

KINDS = {
    "accepted": TrackingKind.ACCEPTED,
    "scheduled": TrackingKind.ACCEPTED,
    "queued": TrackingKind.ACCEPTED,
    "sending": TrackingKind.SENDING,
    "sent": TrackingKind.SENT,
    "delivered": TrackingKind.DELIVERED,
    "read": TrackingKind.DELIVERED,
    "undelivered": TrackingKind.BOUNCED,
    "failed": TrackingKind.FAILED,
    "canceled": TrackingKind.CANCELLED,
}


def signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    data = url + "".join(k + v for k, v in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _port_variants(url: str) -> list[str]:
    """Twilio may sign the URL with or without the scheme's default port."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    host = parts.hostname or ""
    bare = urlunsplit(parts._replace(netloc=host))
    variants = [url, bare]
    if default is not None:
        variants.append(urlunsplit(parts._replace(netloc=f"{host}:{default}")))
    return variants


def signature_valid(
    auth_token: str, url: str, params: list[tuple[str, str]], given: str | None
) -> bool:
    if not given or not auth_token:
        return False
    return any(
        hmac.compare_digest(signature(auth_token, candidate, params), given)
        for candidate in _port_variants(url)
    )


def parse_status(form: dict[str, str]) -> TrackingEvent | None:
    sid = form.get("MessageSid") or form.get("SmsSid")
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    kind = KINDS.get(status)
    if not sid or kind is None:
        return None
    return TrackingEvent(
        provider="twilio",
        event_id=f"{sid}:{status}",
        kind=kind,
        occurred_at=utcnow(),
        recipient=form.get("To"),
        provider_message_id=sid,
        code=form.get("ErrorCode") or None,
        detail=form.get("ErrorMessage") or None,
        raw=dict(form),
    )


def parse_inbound(form: dict[str, str]) -> InboundSms | None:
    sender, body = form.get("From"), form.get("Body")
    if not sender or body is None:
        return None
    # With Advanced Opt-Out, Twilio tells us what it understood; otherwise read the body.
    opt = (form.get("OptOutType") or "").upper()
    intent = {"STOP": Intent.OPT_OUT, "START": Intent.OPT_IN}.get(opt) or intent_of(body)
    return InboundSms("twilio", sender, form.get("To", ""), body, intent)


def _json(response: Answer) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None
