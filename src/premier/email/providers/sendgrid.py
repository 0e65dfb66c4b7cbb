"""SendGrid: v3 Mail Send (`POST /v3/mail/send`: JSON, Bearer key, 202 with X-Message-Id)
and the Event Webhook (an ECDSA P-256 / SHA-256 signature over timestamp + raw body, with the
public key SendGrid shows for the signed webhook), parsed into `TrackingEvent`s."""

import base64
import json
from typing import Any

import aiohttp
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from premier.config import Settings
from premier.delivery.tracking import TrackingEvent, TrackingKind, from_unix, int_or_none
from premier.delivery.webhooks import check_fresh
from premier.email.providers.base import OutgoingEmail, SendResult
from premier.email.providers.http import request
from premier.kit.errors import InvalidInput, PermissionDenied

# SendGrid refuses these in `headers`: it sets them itself.
RESERVED = {
    "x-sg-id",
    "x-sg-eid",
    "received",
    "dkim-signature",
    "content-type",
    "content-transfer-encoding",
    "to",
    "from",
    "subject",
    "reply-to",
    "cc",
    "bcc",
    "message-id",
    "date",
}


def payload(email: OutgoingEmail) -> dict[str, Any]:
    to: dict[str, str] = {"email": email.to_address}
    if email.to_name:
        to["name"] = email.to_name
    sender: dict[str, str] = {"email": email.from_address}
    if email.from_name:
        sender["name"] = email.from_name
    content = [{"type": "text/plain", "value": email.text}]
    if email.html:
        content.append({"type": "text/html", "value": email.html})
    body: dict[str, Any] = {
        # custom_args per personalization (the spec types the top-level one as a string);
        # echoed back in every event webhook: how tracking finds the row.
        "personalizations": [
            {
                "to": [to],
                "custom_args": {
                    "outbox_id": str(email.queue_id or ""),
                    "message_id": email.message_id,
                },
            }
        ],
        "from": sender,
        "subject": email.subject,
        "content": content,
        "categories": [email.category],
    }
    headers = {k: v for k, v in email.headers.items() if k.lower() not in RESERVED}
    if headers:
        body["headers"] = headers
    if email.attachments:
        body["attachments"] = [
            {
                "content": base64.b64encode(a.content).decode(),
                "filename": a.filename,
                "type": a.content_type.partition(";")[0],
                "disposition": "attachment",
            }
            for a in email.attachments
        ]
    return body


class SendGridProvider:
    name = "sendgrid"

    def __init__(self, *, settings: Settings, http: aiohttp.ClientSession) -> None:
        self.url = settings.sendgrid_base_url.rstrip("/") + "/v3/mail/send"
        self.api_key = settings.sendgrid_api_key or ""
        self.http = http
        self.timeout = settings.email_provider_timeout_seconds

    async def send(self, email: OutgoingEmail) -> SendResult:
        response = await request(
            self.http,
            "POST",
            self.url,
            provider=self.name,
            timeout_seconds=self.timeout,
            json=payload(email),
            headers={"Authorization": f"Bearer {self.api_key}"},
        )
        return SendResult(provider_message_id=response.headers.get("x-message-id"))

    async def aclose(self) -> None:
        """Nothing of its own to close: the HTTP session belongs to whoever built it."""


# --- Event Webhook ----------------------------------------------------------------------

KINDS = {
    "processed": TrackingKind.ACCEPTED,
    "deferred": TrackingKind.DEFERRED,
    "delivered": TrackingKind.DELIVERED,
    "open": TrackingKind.OPENED,
    "click": TrackingKind.CLICKED,
    "bounce": TrackingKind.BOUNCED,
    "dropped": TrackingKind.FAILED,
    "spamreport": TrackingKind.COMPLAINED,
    "unsubscribe": TrackingKind.UNSUBSCRIBED,
    "group_unsubscribe": TrackingKind.UNSUBSCRIBED,
}


def verify_webhook(*, public_key_b64: str, signature: str, timestamp: str, body: bytes) -> None:
    try:
        key = serialization.load_der_public_key(base64.b64decode(public_key_b64))
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise PermissionDenied("sendgrid key is not an ECDSA key", code="bad_signature")
        key.verify(
            base64.b64decode(signature), timestamp.encode() + body, ec.ECDSA(hashes.SHA256())
        )
    except (InvalidSignature, ValueError) as exc:
        raise PermissionDenied("webhook signature does not verify", code="bad_signature") from exc
    check_fresh(timestamp)


def parse_events(body: bytes) -> list[TrackingEvent]:
    try:
        items = json.loads(body)
    except ValueError as exc:
        raise InvalidInput("expected a JSON array of events") from exc
    if not isinstance(items, list):
        raise InvalidInput("expected a JSON array of events")
    return [_event(item) for item in items if isinstance(item, dict)]


def _event(item: dict[str, Any]) -> TrackingEvent:
    sg_id = str(item.get("sg_message_id") or "")
    kind = KINDS.get(str(item.get("event")), TrackingKind.UNKNOWN)
    return TrackingEvent(
        provider="sendgrid",
        event_id=str(
            item.get("sg_event_id") or f"{sg_id}:{item.get('event')}:{item.get('timestamp')}"
        ),
        kind=kind,
        occurred_at=from_unix(item.get("timestamp")),
        recipient=item.get("email"),
        # sg_message_id is the X-Message-Id we stored, plus ".filter..." suffixes.
        provider_message_id=sg_id.split(".", 1)[0] or None,
        # The custom_args we sent (see `payload`) come back at the top level.
        queue_id=int_or_none(item.get("outbox_id")),
        permanent=item.get("type") != "blocked" if kind == TrackingKind.BOUNCED else True,
        detail=item.get("reason") or item.get("response") or item.get("url"),
        raw=item,
    )
