"""Verifying and parsing each provider's tracking webhook into `TrackingEvent`s.

- SendGrid Event Webhook: ECDSA (P-256, SHA-256) signature over timestamp + raw body, with
  the public key SendGrid shows for the signed webhook.
- Mailgun: HMAC-SHA256 of timestamp + token with the webhook signing key (body unsigned).
- Amazon SES through SNS: RSA signature over SNS's canonical string, with the certificate
  fetched only from an SNS URL.
"""

import base64
import hashlib
import hmac
import json
import re
from datetime import UTC, datetime
from typing import Any

import aiohttp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from premier.email.tracking import TrackingEvent, TrackingKind
from premier.kit.errors import InvalidInput, PermissionDenied
from premier.kit.time import utcnow

MAX_SKEW_SECONDS = 60 * 60  # loose: providers retry for hours; ids make replays harmless


def _fresh(timestamp: str) -> None:
    try:
        skew = abs(utcnow().timestamp() - float(timestamp))
    except ValueError as exc:
        raise PermissionDenied("bad webhook timestamp", code="bad_signature") from exc
    if skew > MAX_SKEW_SECONDS:
        raise PermissionDenied("webhook timestamp too old", code="bad_signature")


def _when(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError):
        return utcnow()


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- SendGrid ---------------------------------------------------------------------------

SENDGRID_KINDS = {
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


def verify_sendgrid(*, public_key_b64: str, signature: str, timestamp: str, body: bytes) -> None:
    try:
        key = serialization.load_der_public_key(base64.b64decode(public_key_b64))
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise PermissionDenied("sendgrid key is not an ECDSA key", code="bad_signature")
        key.verify(
            base64.b64decode(signature), timestamp.encode() + body, ec.ECDSA(hashes.SHA256())
        )
    except (InvalidSignature, ValueError) as exc:
        raise PermissionDenied("webhook signature does not verify", code="bad_signature") from exc
    _fresh(timestamp)


def parse_sendgrid(body: bytes) -> list[TrackingEvent]:
    try:
        items = json.loads(body)
    except ValueError as exc:
        raise InvalidInput("expected a JSON array of events") from exc
    if not isinstance(items, list):
        raise InvalidInput("expected a JSON array of events")
    parsed = []
    for item in items:
        if not isinstance(item, dict):
            continue
        sg_id = str(item.get("sg_message_id") or "")
        kind = SENDGRID_KINDS.get(str(item.get("event")), TrackingKind.UNKNOWN)
        parsed.append(
            TrackingEvent(
                provider="sendgrid",
                event_id=str(
                    item.get("sg_event_id")
                    or f"{sg_id}:{item.get('event')}:{item.get('timestamp')}"
                ),
                kind=kind,
                occurred_at=_when(item.get("timestamp")),
                recipient=item.get("email"),
                # sg_message_id is the X-Message-Id we stored, plus ".filter..." suffixes.
                provider_message_id=sg_id.split(".", 1)[0] or None,
                outbox_id=_int(item.get("outbox_id")),
                permanent=item.get("type") != "blocked" if kind == TrackingKind.BOUNCED else True,
                detail=item.get("reason") or item.get("response") or item.get("url"),
                raw=item,
            )
        )
    return parsed


# --- Mailgun ----------------------------------------------------------------------------

MAILGUN_KINDS = {
    "accepted": TrackingKind.ACCEPTED,
    "delivered": TrackingKind.DELIVERED,
    "opened": TrackingKind.OPENED,
    "clicked": TrackingKind.CLICKED,
    "complained": TrackingKind.COMPLAINED,
    "unsubscribed": TrackingKind.UNSUBSCRIBED,
    "rejected": TrackingKind.FAILED,
}


def verify_mailgun(*, signing_key: str, signature: dict[str, Any]) -> None:
    timestamp = str(signature.get("timestamp", ""))
    token = str(signature.get("token", ""))
    expected = hmac.new(signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), str(signature.get("signature", ""))):
        raise PermissionDenied("webhook signature does not verify", code="bad_signature")
    _fresh(timestamp)


def parse_mailgun(payload: dict[str, Any]) -> TrackingEvent:
    data = payload.get("event-data")
    if not isinstance(data, dict):
        raise InvalidInput("event-data is missing")
    name = str(data.get("event"))
    if name == "failed":
        # Branch on severity: temporary failures are retried by Mailgun.
        permanent = data.get("severity") == "permanent"
        kind = TrackingKind.BOUNCED if permanent else TrackingKind.DEFERRED
    else:
        permanent, kind = True, MAILGUN_KINDS.get(name, TrackingKind.UNKNOWN)
    headers = (data.get("message") or {}).get("headers") or {}
    status = data.get("delivery-status") or {}
    variables = data.get("user-variables") or {}
    message_id = str(headers.get("message-id") or "").strip("<>") or None
    token = str((payload.get("signature") or {}).get("token", ""))
    return TrackingEvent(
        provider="mailgun",
        event_id=str(data.get("id") or token),
        kind=kind,
        occurred_at=_when(data.get("timestamp")),
        recipient=data.get("recipient"),
        provider_message_id=message_id,
        outbox_id=_int(variables.get("outbox_id")),
        permanent=permanent,
        detail=status.get("message") or data.get("reason"),
        raw=data,
    )


# --- Amazon SES through SNS -------------------------------------------------------------

_SNS_FIELDS = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": (
        "Message",
        "MessageId",
        "SubscribeURL",
        "Timestamp",
        "Token",
        "TopicArn",
        "Type",
    ),
}
_certificates: dict[str, bytes] = {}


async def _certificate(url: str) -> bytes:
    if url not in _certificates:
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as answer:
            if answer.status != 200:
                raise PermissionDenied("cannot fetch the SNS certificate", code="bad_signature")
            _certificates[url] = await answer.read()
    return _certificates[url]


async def verify_sns(message: dict[str, Any], *, cert_url_pattern: str) -> None:
    kind = message.get("Type")
    fields = _SNS_FIELDS.get(str(kind))
    url = str(message.get("SigningCertURL", ""))
    if fields is None or not re.match(cert_url_pattern, url):
        raise PermissionDenied("not a verifiable SNS message", code="bad_signature")
    canonical = "".join(f"{k}\n{message[k]}\n" for k in fields if k in message)
    algorithm = hashes.SHA256() if str(message.get("SignatureVersion")) == "2" else hashes.SHA1()  # noqa: S303
    try:
        cert = x509.load_pem_x509_certificate(await _certificate(url))
        key = cert.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise PermissionDenied("SNS certificate is not RSA", code="bad_signature")
        key.verify(
            base64.b64decode(str(message.get("Signature", ""))),
            canonical.encode(),
            padding.PKCS1v15(),
            algorithm,
        )
    except (InvalidSignature, ValueError) as exc:
        raise PermissionDenied("SNS signature does not verify", code="bad_signature") from exc


async def confirm_subscription(message: dict[str, Any], *, cert_url_pattern: str) -> None:
    """Visit SubscribeURL, which must be on SNS itself (the same hosts as certificates)."""
    url = str(message.get("SubscribeURL", ""))
    if not re.match(cert_url_pattern, url):
        raise PermissionDenied("unexpected SubscribeURL", code="bad_signature")
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as answer:
        await answer.read()


SES_KINDS = {
    "Send": TrackingKind.ACCEPTED,
    "Delivery": TrackingKind.DELIVERED,
    "Open": TrackingKind.OPENED,
    "Click": TrackingKind.CLICKED,
    "Bounce": TrackingKind.BOUNCED,
    "Complaint": TrackingKind.COMPLAINED,
    "Reject": TrackingKind.FAILED,
    "DeliveryDelay": TrackingKind.DEFERRED,
    "Subscription": TrackingKind.UNSUBSCRIBED,
}


def parse_ses(message: dict[str, Any]) -> list[TrackingEvent]:
    try:
        event = json.loads(str(message.get("Message", "")))
    except ValueError as exc:
        raise InvalidInput("SNS Message is not SES JSON") from exc
    name = str(event.get("eventType") or event.get("notificationType"))
    kind = SES_KINDS.get(name, TrackingKind.UNKNOWN)
    mail = event.get("mail") or {}
    tags = mail.get("tags") or {}
    outbox = (tags.get("outbox_id") or [None])[0]
    bounce = event.get("bounce") or {}
    permanent = bounce.get("bounceType", "Permanent") == "Permanent"
    recipients = (
        [r.get("emailAddress") for r in bounce.get("bouncedRecipients", [])]
        or [
            r.get("emailAddress")
            for r in (event.get("complaint") or {}).get("complainedRecipients", [])
        ]
        or list(mail.get("destination") or [None])
    )
    return [
        TrackingEvent(
            provider="ses",
            event_id=f"{message.get('MessageId')}:{i}",
            kind=kind,
            occurred_at=utcnow(),
            recipient=recipient,
            provider_message_id=mail.get("messageId"),
            outbox_id=_int(outbox),
            permanent=permanent,
            detail=bounce.get("bounceSubType") or name,
            raw=event,
        )
        for i, recipient in enumerate(recipients)
    ]
