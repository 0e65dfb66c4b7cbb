"""Mailgun `POST /v3/{domain}/messages`: multipart form, Basic auth `api:KEY`, 200 {id}."""

import json

import aiohttp

from premier.config import Settings
from premier.email.providers.base import OutgoingEmail, ProviderError, SendResult
from premier.email.providers.http import ProviderHttp

SKIP_HEADERS = {"message-id", "from", "to", "subject", "date"}


def form(email: OutgoingEmail) -> aiohttp.FormData:
    data = aiohttp.FormData()
    sender = f"{email.from_name} <{email.from_address}>" if email.from_name else email.from_address
    data.add_field("from", sender)
    data.add_field("to", email.to_address)
    data.add_field("subject", email.subject)
    data.add_field("text", email.text)
    if email.html:
        data.add_field("html", email.html)
    data.add_field("o:tag", email.category)
    # Our own id travels as a header and a variable: Mailgun has no idempotency key, and the
    # variable comes back in webhooks as user-variables.
    data.add_field("h:X-Request-Id", email.message_id)
    data.add_field("v:outbox_id", str(email.outbox_id or ""))
    for name, value in email.headers.items():
        if name.lower() not in SKIP_HEADERS:
            data.add_field(f"h:{name}", value)
    for attachment in email.attachments:
        data.add_field(
            "attachment",
            attachment.content,
            filename=attachment.filename,
            content_type=attachment.content_type,
        )
    return data


class MailgunProvider:
    name = "mailgun"

    def __init__(self, *, settings: Settings) -> None:
        domain = settings.mailgun_domain or "example.com"
        self.url = f"{settings.mailgun_base_url.rstrip('/')}/v3/{domain}/messages"
        self.auth = aiohttp.BasicAuth("api", settings.mailgun_api_key or "")
        self.http = ProviderHttp(timeout_seconds=settings.email_provider_timeout_seconds)

    async def send(self, email: OutgoingEmail) -> SendResult:
        _, _, body = await self.http.request(
            "POST", self.url, provider=self.name, data=form(email), auth=self.auth
        )
        try:
            message_id = str(json.loads(body)["id"]).strip("<>")
        except (ValueError, KeyError, TypeError) as exc:
            raise ProviderError(f"mailgun: unexpected answer {body[:200]!r}") from exc
        return SendResult(provider_message_id=message_id)

    async def aclose(self) -> None:
        await self.http.aclose()
