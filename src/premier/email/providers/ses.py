"""Amazon SES v2 `SendEmail` with a raw MIME message, signed with AWS Signature Version 4."""

import base64
import hashlib
import hmac
import json
from datetime import datetime
from urllib.parse import urlsplit

from premier.config import Settings
from premier.email.mime import message_bytes
from premier.email.providers.base import (
    OutgoingEmail,
    PermanentError,
    ProviderError,
    SendResult,
    TransientError,
)
from premier.email.providers.http import ProviderHttp
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

    def __init__(self, *, settings: Settings) -> None:
        base = settings.ses_base_url or f"https://email.{settings.ses_region}.amazonaws.com"
        self.url = base.rstrip("/") + PATH
        self.settings = settings
        self.http = ProviderHttp(timeout_seconds=settings.email_provider_timeout_seconds)

    async def send(self, email: OutgoingEmail) -> SendResult:
        s = self.settings
        raw = message_bytes(email)
        body = json.dumps(
            {
                "FromEmailAddress": email.from_address,
                "Destination": {"ToAddresses": [email.to_address]},
                "Content": {"Raw": {"Data": base64.b64encode(raw).decode()}},
                "EmailTags": [
                    {"Name": "outbox_id", "Value": str(email.outbox_id or 0)},
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
            _, _, answer = await self.http.request(
                "POST", self.url, provider=self.name, data=body, headers=headers
            )
        except PermanentError as exc:
            if any(kind in exc.message for kind in TRANSIENT_TYPES):
                raise TransientError(exc.message, status=exc.status) from exc
            raise
        try:
            return SendResult(provider_message_id=str(json.loads(answer)["MessageId"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise ProviderError(f"ses: unexpected answer {answer[:200]!r}") from exc

    async def aclose(self) -> None:
        await self.http.aclose()
