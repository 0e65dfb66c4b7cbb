"""Verifying and parsing each provider's tracking webhook into `TrackingEvent`s.

- SendGrid Event Webhook: ECDSA (P-256, SHA-256) signature over timestamp + raw body, with
  the public key SendGrid shows for the signed webhook.
- Mailgun: HMAC-SHA256 of timestamp + token with the webhook signing key (body unsigned).
- Amazon SES through SNS: RSA signature over SNS's canonical string, with the certificate
  fetched only from SNS's own certificate URL in the topic's region, and only for topics on
  the configured allow-list (anyone can create an SNS topic and sign with it).
"""

import base64
import hashlib
import hmac
import json
import re
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from premier.email.models import WebhookToken
from premier.email.tracking import TrackingEvent, TrackingKind
from premier.kit.errors import InvalidInput, PermissionDenied
from premier.kit.time import utcnow

MAX_SKEW_SECONDS = 60 * 60  # loose: providers retry for hours; ids make replays harmless


def _fresh(timestamp: str, max_age_seconds: int = MAX_SKEW_SECONDS) -> None:
    try:
        skew = abs(utcnow().timestamp() - float(timestamp))
    except ValueError as exc:
        raise PermissionDenied("bad webhook timestamp", code="bad_signature") from exc
    if not skew <= max_age_seconds:  # not `>`: a NaN timestamp fails this way too
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


def verify_mailgun(
    *, signing_key: str, signature: dict[str, Any], max_age_seconds: int = MAX_SKEW_SECONDS
) -> str:
    """Check the signature and its age; returns the token, which must then be `spent`."""
    timestamp = str(signature.get("timestamp", ""))
    token = str(signature.get("token", ""))
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise PermissionDenied("webhook token missing or too long", code="bad_signature")
    expected = hmac.new(signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), str(signature.get("signature", ""))):
        raise PermissionDenied("webhook signature does not verify", code="bad_signature")
    _fresh(timestamp, max_age_seconds)
    return token


MAX_TOKEN_LENGTH = 128


async def spend_token(
    *, session: AsyncSession, provider: str, token: str, max_age_seconds: int
) -> None:
    """Accept a signature's token once. Tokens older than the accepted age are forgotten:
    their timestamps are refused anyway. Kept in the database, so every instance agrees."""
    now = utcnow()
    await session.execute(
        delete(WebhookToken).where(
            WebhookToken.seen_at < now - timedelta(seconds=max_age_seconds * 2)
        )
    )
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    added = await session.execute(
        insert(WebhookToken)
        .values(provider=provider, token=token, seen_at=now)
        .on_conflict_do_nothing()
        .returning(WebhookToken.token)
    )
    if added.scalar_one_or_none() is None:
        raise PermissionDenied("this webhook signature was already used", code="replayed")


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
MAX_CERTIFICATES = 32
MAX_CERTIFICATE_BYTES = 16_384
# SNS rotates its signing certificate rarely; a few URLs are ever in use at once.
_certificates: "OrderedDict[str, bytes]" = OrderedDict()
_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:(?P<region>[a-z0-9-]+):[0-9]{12}:[A-Za-z0-9_.-]+$")


async def _certificate(url: str) -> bytes:
    cached = _certificates.get(url)
    if cached is not None:
        _certificates.move_to_end(url)
        return cached
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as answer:
        if answer.status != 200:
            raise PermissionDenied("cannot fetch the SNS certificate", code="bad_signature")
        pem = await answer.content.read(MAX_CERTIFICATE_BYTES + 1)
    if len(pem) > MAX_CERTIFICATE_BYTES:
        raise PermissionDenied("the SNS certificate is too large", code="bad_signature")
    _certificates[url] = pem
    while len(_certificates) > MAX_CERTIFICATES:
        _certificates.popitem(last=False)
    return pem


def check_topic(message: dict[str, Any], *, allowed_topics: list[str]) -> str:
    """The message's TopicArn, if it is one of ours; checked before anything is fetched."""
    topic = str(message.get("TopicArn", ""))
    if topic not in allowed_topics or not _TOPIC_ARN.match(topic):
        raise PermissionDenied("SNS topic is not on the allow-list", code="unknown_topic")
    return topic


def certificate_url_allowed(url: str, *, topic_arn: str, cert_url_pattern: str) -> bool:
    """The whole URL matches the pattern (by default SNS's own certificate path), and when
    the pattern names a region it is the topic's region."""
    match = re.fullmatch(cert_url_pattern, url)
    if match is None:
        return False
    region = match.groupdict().get("region")
    topic = _TOPIC_ARN.match(topic_arn)
    return region is None or (topic is not None and region == topic["region"])


async def verify_sns(
    message: dict[str, Any], *, cert_url_pattern: str, allowed_topics: list[str]
) -> None:
    kind = message.get("Type")
    fields = _SNS_FIELDS.get(str(kind))
    topic = check_topic(message, allowed_topics=allowed_topics)
    url = str(message.get("SigningCertURL", ""))
    if fields is None or not certificate_url_allowed(
        url, topic_arn=topic, cert_url_pattern=cert_url_pattern
    ):
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


def subscribe_url_allowed(message: dict[str, Any]) -> bool:
    """SubscribeURL confirms this message's own topic, on the host that signed the message
    (whose certificate URL was checked by `verify_sns`)."""
    url = urlsplit(str(message.get("SubscribeURL", "")))
    signer = urlsplit(str(message.get("SigningCertURL", "")))
    query = parse_qs(url.query)
    return (
        (url.scheme, url.netloc) == (signer.scheme, signer.netloc)
        and query.get("Action") == ["ConfirmSubscription"]
        and query.get("TopicArn") == [str(message.get("TopicArn", ""))]
    )


async def confirm_subscription(message: dict[str, Any]) -> None:
    """Visit SubscribeURL of a verified message from an allow-listed topic."""
    if not subscribe_url_allowed(message):
        raise PermissionDenied("unexpected SubscribeURL", code="bad_signature")
    url = str(message["SubscribeURL"])
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
