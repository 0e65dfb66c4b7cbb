"""Sending one message to a push service (RFC 8030): the payload encrypted for the
subscription (RFC 8291), signed for with VAPID (RFC 8292), POSTed through the providers'
aiohttp session (`premier.delivery.http`).

What a push service answers, and what it means for the row:
- 201 (or any 2xx): accepted; its Location names the message.
- 404, 410: the subscription is gone for good (the browser unsubscribed, the user revoked
  the permission): a permanent failure coded `expired`, and the subscription is forgotten.
- 400, 413: this message will never be taken as it is (a broken request, too large).
- 429, 5xx: the service is busy or down: retried with back-off, after Retry-After if given.
- 401, 403: the service does not accept our VAPID signature: our configuration, retried
  like any outage while someone fixes it, never the subscription's fault.
"""

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientSession

from premier.delivery.errors import PermanentFailure, TransientFailure, retry_after_seconds
from premier.delivery.http import call
from premier.push.encryption import EncryptionError, Keys, encrypt
from premier.push.vapid import Vapid

EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class OutboundPush:
    endpoint: str
    keys: Keys
    payload: dict[str, Any]
    ttl_seconds: int
    urgency: str = "normal"  # very-low, low, normal, high (RFC 8030 §5.3)
    topic: str | None = None  # a newer message with the same topic replaces an undelivered one


@dataclass(frozen=True, slots=True)
class PushReceipt:
    provider_message_id: str | None


class WebPushProvider:
    name = "webpush"

    def __init__(self, *, vapid: Vapid, http: ClientSession, timeout_seconds: float) -> None:
        self.vapid = vapid
        self.http = http
        self.timeout_seconds = timeout_seconds

    def request(self, message: OutboundPush) -> tuple[dict[str, str], bytes]:
        """The headers and encrypted body of the request for this message."""
        plaintext = json.dumps(message.payload, separators=(",", ":")).encode()
        try:
            body = encrypt(plaintext, message.keys)
        except EncryptionError as exc:
            raise PermanentFailure(self.name, str(exc), code="unencryptable") from exc
        headers = {
            "Authorization": self.vapid.authorization(message.endpoint),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(message.ttl_seconds),
            "Urgency": message.urgency,
        }
        if message.topic:
            headers["Topic"] = message.topic
        return headers, body

    async def send(self, message: OutboundPush) -> PushReceipt:
        headers, body = self.request(message)
        answer = await call(
            self.http,
            "POST",
            message.endpoint,
            provider=self.name,
            timeout_seconds=self.timeout_seconds,
            headers=headers,
            data=body,
        )
        status = answer.status
        if 200 <= status < 300:
            return PushReceipt(provider_message_id=answer.headers.get("Location"))
        reason = f"push service answered {status}: {answer.text[:300]}".strip()
        if status in (404, 410):
            raise PermanentFailure(self.name, reason, code=EXPIRED, status=status)
        if status in (400, 413):
            raise PermanentFailure(self.name, reason, code=str(status), status=status)
        raise TransientFailure(
            self.name,
            reason,
            code=str(status),
            status=status,
            retry_after=retry_after_seconds(answer.headers.get("Retry-After")),
        )
