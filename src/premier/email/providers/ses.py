"""Amazon SES: v2 `SendEmail` with a raw MIME message, signed with AWS Signature Version 4,
and its events delivered through SNS, parsed into `TrackingEvent`s.

SNS messages carry an RSA signature over SNS's canonical string; the certificate is fetched
only from SNS's own certificate URL in the topic's region, and only for topics on the
configured allow-list (anyone can create an SNS topic and sign with it).
"""

import base64
import hashlib
import hmac
import json
import re
from collections import OrderedDict
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from premier.config import Settings
from premier.delivery.errors import PermanentFailure, TransientFailure
from premier.delivery.tracking import TrackingEvent, TrackingKind, int_or_none
from premier.email.mime import message_bytes
from premier.email.providers.base import OutgoingEmail, SendResult
from premier.email.providers.http import request, unreadable
from premier.kit.errors import InvalidInput, PermissionDenied
from premier.kit.time import utcnow

PATH = "/v2/email/outbound-emails"
# SES answers 400 for throttling-like conditions too; these are worth retrying elsewhere.
TRANSIENT_TYPES = {
    "TooManyRequestsException",
    "LimitExceededException",
    "SendingPausedException",
    "AccountSuspendedException",
}


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def sigv4_headers(
    *,
    method: str,
    url: str,
    body: bytes,
    region: str,
    access_key: str,
    secret_key: str,
    service: str = "ses",
    now: datetime | None = None,
) -> dict[str, str]:
    """Headers (Host, X-Amz-Date, Authorization) of an AWS SigV4-signed request."""
    now = now or utcnow()
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = now.strftime("%Y%m%d")
    parts = urlsplit(url)
    host = parts.netloc
    payload_hash = hashlib.sha256(body).hexdigest()
    headers = {"content-type": "application/json", "host": host, "x-amz-date": amz_date}
    signed = ";".join(sorted(headers))
    canonical = "\n".join(
        [
            method,
            parts.path or "/",
            parts.query,
            "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)),
            signed,
            payload_hash,
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(
        _hmac(_hmac(_hmac(f"AWS4{secret_key}".encode(), day), region), service), "aws4_request"
    )
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Amz-Date": amz_date,
        "Authorization": f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
        f"SignedHeaders={signed}, Signature={signature}",
    }


class SesProvider:
    name = "ses"

    def __init__(self, *, settings: Settings, http: aiohttp.ClientSession) -> None:
        base = settings.ses_base_url or f"https://email.{settings.ses_region}.amazonaws.com"
        self.url = base.rstrip("/") + PATH
        self.settings = settings
        self.http = http

    async def send(self, email: OutgoingEmail) -> SendResult:
        s = self.settings
        raw = message_bytes(email)
        body = json.dumps(
            {
                "FromEmailAddress": email.from_address,
                "Destination": {"ToAddresses": [email.to_address]},
                "Content": {"Raw": {"Data": base64.b64encode(raw).decode()}},
                "EmailTags": [
                    {"Name": "outbox_id", "Value": str(email.queue_id or 0)},
                    {"Name": "category", "Value": email.category},
                ],
            }
        ).encode()
        headers = sigv4_headers(
            method="POST",
            url=self.url,
            body=body,
            region=s.ses_region,
            access_key=s.ses_access_key_id or "",
            secret_key=s.ses_secret_access_key or "",
        )
        try:
            response = await request(
                self.http,
                "POST",
                self.url,
                provider=self.name,
                timeout_seconds=s.email_provider_timeout_seconds,
                data=body,
                headers=headers,
            )
        except PermanentFailure as exc:
            if any(kind in exc.reason for kind in TRANSIENT_TYPES):
                raise TransientFailure(self.name, exc.reason, status=exc.status) from exc
            raise
        try:
            return SendResult(provider_message_id=str(response.json()["MessageId"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise unreadable(self.name, response.body) from exc

    async def aclose(self) -> None:
        """Nothing of its own to close: the HTTP session belongs to whoever built it."""


# --- events through SNS -----------------------------------------------------------------

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
SNS_TIMEOUT_SECONDS = 10
# SNS rotates its signing certificate rarely; a few URLs are ever in use at once.
_certificates: "OrderedDict[str, bytes]" = OrderedDict()
_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:(?P<region>[a-z0-9-]+):[0-9]{12}:[A-Za-z0-9_.-]+$")


async def _certificate(url: str) -> bytes:
    cached = _certificates.get(url)
    if cached is not None:
        _certificates.move_to_end(url)
        return cached
    pem = b""
    async with _sns_session() as http, http.get(url, allow_redirects=False) as answer:
        if answer.status != 200:
            raise PermissionDenied("cannot fetch the SNS certificate", code="bad_signature")
        async for chunk in answer.content.iter_chunked(4096):
            pem += chunk
            if len(pem) > MAX_CERTIFICATE_BYTES:
                break
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
    async with (
        _sns_session() as http,
        http.get(str(message["SubscribeURL"]), allow_redirects=False) as answer,
    ):
        await answer.read()


def _sns_session() -> aiohttp.ClientSession:
    """A session of its own for a rare call from the web process, which has no pooled one.

    Redirects are never followed (see the call sites): the URL was checked, where it would
    send us was not."""
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=SNS_TIMEOUT_SECONDS), trust_env=True
    )


KINDS = {
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


def parse_events(message: dict[str, Any]) -> list[TrackingEvent]:
    try:
        event = json.loads(str(message.get("Message", "")))
    except ValueError as exc:
        raise InvalidInput("SNS Message is not SES JSON") from exc
    name = str(event.get("eventType") or event.get("notificationType"))
    kind = KINDS.get(name, TrackingKind.UNKNOWN)
    mail = event.get("mail") or {}
    tags = mail.get("tags") or {}
    queue_id = (tags.get("outbox_id") or [None])[0]  # the EmailTags we sent
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
            queue_id=int_or_none(queue_id),
            permanent=permanent,
            detail=bounce.get("bounceSubType") or name,
            raw=event,
        )
        for i, recipient in enumerate(recipients)
    ]
