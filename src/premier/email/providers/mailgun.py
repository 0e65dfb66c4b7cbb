"""Mailgun: `POST /v3/{domain}/messages` (multipart form, Basic auth `api:KEY`, 200 {id}) and
its webhooks (HMAC-SHA256 of timestamp + token with the webhook signing key; the body itself
is unsigned, so each token is accepted once), parsed into `TrackingEvent`s."""

import hashlib
import hmac
from typing import Any

import aiohttp

from premier.config import Settings
from premier.delivery.tracking import TrackingEvent, TrackingKind, from_unix, int_or_none
from premier.delivery.webhooks import MAX_SKEW_SECONDS, check_fresh
from premier.email.providers.base import OutgoingEmail, SendResult
from premier.email.providers.http import request, unreadable
from premier.kit.errors import InvalidInput, PermissionDenied

SKIP_HEADERS = {"message-id", "from", "to", "subject", "date"}

Form = dict[str, str]
Files = list[tuple[str, tuple[str, bytes, str]]]


def form(email: OutgoingEmail) -> tuple[Form, Files]:
    """The form fields and the attached files (multipart only when there are files)."""
    sender = f"{email.from_name} <{email.from_address}>" if email.from_name else email.from_address
    data: Form = {
        "from": sender,
        "to": email.to_address,
        "subject": email.subject,
        "text": email.text,
    }
    if email.html:
        data["html"] = email.html
    data["o:tag"] = email.category
    # Our own id travels as a header and a variable: Mailgun has no idempotency key, and the
    # variable comes back in webhooks as user-variables.
    data["h:X-Request-Id"] = email.message_id
    data["v:outbox_id"] = str(email.queue_id or "")
    for name, value in email.headers.items():
        if name.lower() not in SKIP_HEADERS:
            data[f"h:{name}"] = value
    files: Files = [
        ("attachment", (a.filename, a.content, a.content_type)) for a in email.attachments
    ]
    return data, files


def body(data: Form, files: Files) -> Form | aiohttp.FormData:
    """Form-encoded without attachments, else multipart with the fields before the files."""
    if not files:
        return data
    multipart = aiohttp.FormData(data)
    for field, (filename, content, content_type) in files:
        multipart.add_field(field, content, filename=filename, content_type=content_type)
    return multipart


class MailgunProvider:
    name = "mailgun"

    def __init__(self, *, settings: Settings, http: aiohttp.ClientSession) -> None:
        domain = settings.mailgun_domain or "example.com"
        self.url = f"{settings.mailgun_base_url.rstrip('/')}/v3/{domain}/messages"
        self.auth = aiohttp.BasicAuth("api", settings.mailgun_api_key or "")
        self.http = http
        self.timeout = settings.email_provider_timeout_seconds

    async def send(self, email: OutgoingEmail) -> SendResult:
        data, files = form(email)
        response = await request(
            self.http,
            "POST",
            self.url,
            provider=self.name,
            timeout_seconds=self.timeout,
            data=body(data, files),
            auth=self.auth,
        )
        try:
            message_id = str(response.json()["id"]).strip("<>")
        except (ValueError, KeyError, TypeError) as exc:
            raise unreadable(self.name, response.body) from exc
        return SendResult(provider_message_id=message_id)

    async def aclose(self) -> None:
        """Nothing of its own to close: the HTTP session belongs to whoever built it."""


# --- webhooks ---------------------------------------------------------------------------

KINDS = {
    "accepted": TrackingKind.ACCEPTED,
    "delivered": TrackingKind.DELIVERED,
    "opened": TrackingKind.OPENED,
    "clicked": TrackingKind.CLICKED,
    "complained": TrackingKind.COMPLAINED,
    "unsubscribed": TrackingKind.UNSUBSCRIBED,
    "rejected": TrackingKind.FAILED,
}
MAX_TOKEN_LENGTH = 128


def verify_webhook(
    *, signing_key: str, signature: dict[str, Any], max_age_seconds: int = MAX_SKEW_SECONDS
) -> str:
    """Check the signature and its age; returns the token, which must then be spent once
    (`premier.email.webhooks.spend_token`)."""
    timestamp = str(signature.get("timestamp", ""))
    token = str(signature.get("token", ""))
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise PermissionDenied("webhook token missing or too long", code="bad_signature")
    expected = hmac.new(signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), str(signature.get("signature", ""))):
        raise PermissionDenied("webhook signature does not verify", code="bad_signature")
    check_fresh(timestamp, max_age_seconds)
    return token


def parse_event(payload: dict[str, Any]) -> TrackingEvent:
    data = payload.get("event-data")
    if not isinstance(data, dict):
        raise InvalidInput("event-data is missing")
    name = str(data.get("event"))
    if name == "failed":
        # Branch on severity: temporary failures are retried by Mailgun.
        permanent = data.get("severity") == "permanent"
        kind = TrackingKind.BOUNCED if permanent else TrackingKind.DEFERRED
    else:
        permanent, kind = True, KINDS.get(name, TrackingKind.UNKNOWN)
    headers = (data.get("message") or {}).get("headers") or {}
    status = data.get("delivery-status") or {}
    variables = data.get("user-variables") or {}
    message_id = str(headers.get("message-id") or "").strip("<>") or None
    token = str((payload.get("signature") or {}).get("token", ""))
    return TrackingEvent(
        provider="mailgun",
        event_id=str(data.get("id") or token),
        kind=kind,
        occurred_at=from_unix(data.get("timestamp")),
        recipient=data.get("recipient"),
        provider_message_id=message_id,
        queue_id=int_or_none(variables.get("outbox_id")),
        permanent=permanent,
        detail=status.get("message") or data.get("reason"),
        raw=data,
    )
