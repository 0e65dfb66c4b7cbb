"""SendGrid v3 Mail Send (`POST /v3/mail/send`): JSON, Bearer key, 202 with X-Message-Id."""

import base64
from typing import Any

from premier.config import Settings
from premier.email.providers.base import OutgoingEmail, SendResult
from premier.email.providers.http import ProviderHttp

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
                    "outbox_id": str(email.outbox_id or ""),
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

    def __init__(self, *, settings: Settings) -> None:
        self.url = settings.sendgrid_base_url.rstrip("/") + "/v3/mail/send"
        self.api_key = settings.sendgrid_api_key or ""
        self.http = ProviderHttp(timeout_seconds=settings.email_provider_timeout_seconds)

    async def send(self, email: OutgoingEmail) -> SendResult:
        _, headers, _ = await self.http.request(
            "POST",
            self.url,
            provider=self.name,
            json=payload(email),
            headers={"Authorization": f"Bearer {self.api_key}"},
        )
        return SendResult(provider_message_id=headers.get("x-message-id"))

    async def aclose(self) -> None:
        await self.http.aclose()
