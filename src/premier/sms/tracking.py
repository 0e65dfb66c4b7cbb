"""Provider callbacks translated into one normalized type; nothing else reads their formats.

Twilio signs its callbacks (`X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the auth
token, of the full URL followed by every POST parameter's name and value sorted by name).
Africa's Talking signs nothing; its callbacks are gated by a secret path segment and by
matching the message id we stored.
"""

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from premier.sms.keywords import Intent, intent_of


class SmsStatus(StrEnum):
    HELD = "held"  # over budget, waiting for an admin
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL = frozenset({SmsStatus.DELIVERED, SmsStatus.UNDELIVERED, SmsStatus.FAILED,
                   SmsStatus.CANCELLED})  # fmt: skip


def may_follow(current: str, new: SmsStatus) -> bool:
    """A late or repeated report never moves a message backwards or out of a final state."""
    order = [SmsStatus.QUEUED, SmsStatus.SENDING, SmsStatus.SENT]
    if current in FINAL:
        return False
    if new in FINAL:
        return True
    if current in order and new in order:
        return order.index(new) > order.index(SmsStatus(current))
    return True


@dataclass(frozen=True, slots=True)
class SmsTrackingEvent:
    provider: str
    provider_message_id: str
    status: SmsStatus
    to: str | None = None
    error_code: str | None = None
    error_message: str | None = None


@dataclass(frozen=True, slots=True)
class InboundSms:
    provider: str
    sender: str  # the guest's number
    to: str  # our number, short code or sender id
    text: str
    intent: Intent


# --- Twilio -----------------------------------------------------------------------------

TWILIO_STATUS = {
    "accepted": SmsStatus.QUEUED,
    "scheduled": SmsStatus.QUEUED,
    "queued": SmsStatus.QUEUED,
    "sending": SmsStatus.SENDING,
    "sent": SmsStatus.SENT,
    "delivered": SmsStatus.DELIVERED,
    "read": SmsStatus.DELIVERED,
    "undelivered": SmsStatus.UNDELIVERED,
    "failed": SmsStatus.FAILED,
    "canceled": SmsStatus.CANCELLED,
}


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
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


def twilio_signature_valid(
    auth_token: str, url: str, params: list[tuple[str, str]], signature: str | None
) -> bool:
    if not signature or not auth_token:
        return False
    return any(
        hmac.compare_digest(twilio_signature(auth_token, candidate, params), signature)
        for candidate in _port_variants(url)
    )


def parse_twilio_status(form: dict[str, str]) -> SmsTrackingEvent | None:
    sid = form.get("MessageSid") or form.get("SmsSid")
    status = TWILIO_STATUS.get((form.get("MessageStatus") or form.get("SmsStatus") or "").lower())
    if not sid or status is None:
        return None
    return SmsTrackingEvent(
        provider="twilio",
        provider_message_id=sid,
        status=status,
        to=form.get("To"),
        error_code=form.get("ErrorCode") or None,
        error_message=form.get("ErrorMessage") or None,
    )


def parse_twilio_inbound(form: dict[str, str]) -> InboundSms | None:
    sender, body = form.get("From"), form.get("Body")
    if not sender or body is None:
        return None
    # With Advanced Opt-Out, Twilio tells us what it understood; otherwise read the body.
    opt = (form.get("OptOutType") or "").upper()
    intent = {"STOP": Intent.OPT_OUT, "START": Intent.OPT_IN}.get(opt) or intent_of(body)
    return InboundSms("twilio", sender, form.get("To", ""), body, intent)


# --- Africa's Talking -------------------------------------------------------------------

AT_STATUS = {
    "Sent": SmsStatus.SENT,
    "Submitted": SmsStatus.SENT,
    "Buffered": SmsStatus.SENT,
    "Success": SmsStatus.DELIVERED,
    "Failed": SmsStatus.UNDELIVERED,
    "AbsentSubscriber": SmsStatus.UNDELIVERED,
    "Expired": SmsStatus.UNDELIVERED,
    "Rejected": SmsStatus.FAILED,
}


def parse_africastalking_report(form: dict[str, str]) -> SmsTrackingEvent | None:
    message_id, status = form.get("id"), AT_STATUS.get(form.get("status", ""))
    if not message_id or status is None:
        return None
    reason = form.get("failureReason") or None
    return SmsTrackingEvent(
        provider="africastalking",
        provider_message_id=message_id,
        status=status,
        to=form.get("phoneNumber"),
        error_code=reason,
        error_message=reason,
    )


def parse_africastalking_inbound(form: dict[str, str]) -> InboundSms | None:
    sender, text = form.get("from"), form.get("text")
    if not sender or text is None:
        return None
    return InboundSms("africastalking", sender, form.get("to", ""), text, intent_of(text))


def parse_africastalking_optout(form: dict[str, str]) -> InboundSms | None:
    number = form.get("phoneNumber")
    if not number:
        return None
    return InboundSms("africastalking", number, form.get("senderId", ""), "", Intent.OPT_OUT)
