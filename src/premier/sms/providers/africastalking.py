"""Africa's Talking SMS (`POST /version1/messaging`, form-encoded, `apiKey` header), and its
callbacks: delivery reports, incoming messages and opt-outs.

Success is HTTP 201 and the verdict is per recipient (`Recipients[].statusCode`): 100-102
accepted; 500/501 retry later; everything else is a rejection that says why.

Africa's Talking signs nothing; its callbacks are gated by a secret path segment and by
matching the message id we stored (`premier.sms.webhooks`).
"""

from typing import Any

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

ACCEPTED = {100: "Processed", 101: "Sent", 102: "Queued"}
RETRYABLE = {500: "InternalServerError", 501: "GatewayError"}
# Every other code rejects the message for good, with a reason an admin can act on (top up,
# fix the sender id). Failing over would hide a broken account behind another one's bill.
REJECTED = {
    401: "RiskHold",
    402: "InvalidSenderId",
    403: "InvalidPhoneNumber",
    404: "UnsupportedNumberType",
    405: "InsufficientBalance",
    406: "UserInBlacklist",
    407: "CouldNotRoute",
    409: "DoNotDisturbRejection",
    502: "RejectedByGateway",
}
REASONS = {
    401: "held by the provider's fraud check",
    402: "sender id is not approved for this app or network",
    403: "the provider rejected the phone number as invalid",
    404: "this kind of number cannot receive SMS",
    405: "the provider account has insufficient balance",
    406: "the recipient opted out or is blacklisted",
    407: "the provider could not route the message",
    409: "rejected by do-not-disturb rules",
    502: "rejected by the gateway",
}


class AfricasTalkingProvider:
    name = "africastalking"

    def __init__(
        self,
        *,
        http: aiohttp.ClientSession,
        timeout_seconds: float,
        base_url: str,
        username: str,
        api_key: str,
        sender_id: str | None = None,
    ) -> None:
        self._http = http
        self._timeout = timeout_seconds
        self._url = f"{base_url.rstrip('/')}/messaging"
        self._username = username
        self._headers = {"apiKey": api_key, "Accept": "application/json"}
        self._sender = sender_id

    def form(self, message: OutboundSms) -> dict[str, str]:
        data = {"username": self._username, "to": message.to, "message": message.body,
                "enqueue": "1"}  # fmt: skip
        sender = message.sender or self._sender
        if sender:
            data["from"] = sender
        return data

    async def send(self, message: OutboundSms) -> Accepted:
        response = await call(
            self._http,
            "POST",
            self._url,
            provider=self.name,
            timeout_seconds=self._timeout,
            data=self.form(message),
            headers=self._headers,
        )
        if response.status not in (201, 409):
            self._raise_for_http(response)
        recipients, summary = _recipients(response)
        if not recipients:
            # No valid recipient at all: AT answers 201 with e.g. Message="InvalidPhoneNumber".
            raise PermanentFailure(self.name, summary or "no recipient accepted", code=summary)
        recipient = recipients[0]
        code = _int(recipient.get("statusCode"))
        status_name = str(recipient.get("status") or "")
        if code in ACCEPTED:
            price = parse_provider_price(str(recipient.get("cost") or ""))
            return Accepted(
                provider=self.name,
                provider_message_id=str(recipient.get("messageId")),
                status="sent" if code == 101 else "queued",
                price=price[0] if price else None,
                price_currency=price[1] if price else None,
            )
        name = status_name or REJECTED.get(code or 0, "Rejected")
        reason = f"{name}: {REASONS.get(code or 0, 'rejected by the provider')}"
        if code in RETRYABLE:
            raise TransientFailure(self.name, status_name or RETRYABLE[code], code=str(code))
        raise PermanentFailure(self.name, reason, code=str(code))

    def _raise_for_http(self, response: Answer) -> None:
        # Error bodies are plain text, not JSON.
        text = response.text.strip()[:200] or response.reason
        status = response.status
        if status == 429 or status >= 500:
            raise TransientFailure(
                self.name, f"HTTP {status}: {text}", code=str(status),
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )  # fmt: skip
        if status == 401:
            raise TransientFailure(self.name, f"credentials refused: {text}", code="401")
        raise PermanentFailure(self.name, f"HTTP {status}: {text}", code=str(status))


# --- callbacks --------------------------------------------------------------------------

KINDS = {
    "Sent": TrackingKind.SENT,
    "Submitted": TrackingKind.SENT,
    "Buffered": TrackingKind.SENT,
    "Success": TrackingKind.DELIVERED,
    "Failed": TrackingKind.BOUNCED,
    "AbsentSubscriber": TrackingKind.BOUNCED,
    "Expired": TrackingKind.BOUNCED,
    "Rejected": TrackingKind.FAILED,
}


def parse_report(form: dict[str, str]) -> TrackingEvent | None:
    message_id, status = form.get("id"), form.get("status", "")
    kind = KINDS.get(status)
    if not message_id or kind is None:
        return None
    reason = form.get("failureReason") or None
    return TrackingEvent(
        provider="africastalking",
        event_id=f"{message_id}:{status}",
        kind=kind,
        occurred_at=utcnow(),
        recipient=form.get("phoneNumber"),
        provider_message_id=message_id,
        code=reason,
        detail=reason,
        raw=dict(form),
    )


def parse_inbound(form: dict[str, str]) -> InboundSms | None:
    sender, text = form.get("from"), form.get("text")
    if not sender or text is None:
        return None
    return InboundSms("africastalking", sender, form.get("to", ""), text, intent_of(text))


def parse_optout(form: dict[str, str]) -> InboundSms | None:
    number = form.get("phoneNumber")
    if not number:
        return None
    return InboundSms("africastalking", number, form.get("senderId", ""), "", Intent.OPT_OUT)


def _recipients(response: Answer) -> tuple[list[dict[str, Any]], str]:
    try:
        data = response.json()
    except ValueError:
        return [], response.text.strip()[:200]
    payload = data.get("SMSMessageData", {}) if isinstance(data, dict) else {}
    recipients = payload.get("Recipients") or []
    return [r for r in recipients if isinstance(r, dict)], str(payload.get("Message") or "")


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None
