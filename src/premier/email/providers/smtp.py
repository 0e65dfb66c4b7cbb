"""SMTP with a pool of open connections (one connection per mail is ~5x slower), STARTTLS
or implicit TLS, authentication, and DKIM signing when a key is configured."""

import asyncio
import ssl

import aiosmtplib

from premier.config import Settings
from premier.delivery.errors import PermanentFailure, TransientFailure
from premier.email.mime import message_bytes
from premier.email.providers.base import OutgoingEmail, SendResult


class SmtpProvider:
    name = "smtp"

    def __init__(self, *, settings: Settings, tls_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self._tls_context = tls_context
        self._idle: asyncio.Queue[aiosmtplib.SMTP] = asyncio.Queue()
        self._slots = asyncio.Semaphore(settings.smtp_pool_size)

    async def _connect(self) -> aiosmtplib.SMTP:
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            use_tls=s.smtp_security == "tls",
            start_tls=s.smtp_security == "starttls",
            tls_context=self._tls_context,
            timeout=s.email_provider_timeout_seconds,
        )
        await client.connect()
        if s.smtp_username and s.smtp_password:
            await client.login(s.smtp_username, s.smtp_password)
        return client

    async def send(self, email: OutgoingEmail) -> SendResult:
        s = self.settings
        raw = message_bytes(
            email,
            dkim_key=s.dkim_private_key,
            dkim_selector=s.dkim_selector,
            dkim_domain=s.dkim_domain,
        )
        async with self._slots:
            client: aiosmtplib.SMTP | None = None
            try:
                client = self._idle.get_nowait() if not self._idle.empty() else None
                if client is None or not client.is_connected:
                    client = await self._connect()
                errors, _ = await client.sendmail(email.from_address, [email.to_address], raw)
            except aiosmtplib.SMTPRecipientsRefused as exc:
                await _discard(client)
                codes = [r.code for r in exc.recipients]
                if any(code >= 500 for code in codes):
                    raise PermanentFailure(self.name, f"recipient refused: {exc}") from exc
                raise TransientFailure(self.name, f"recipient deferred: {exc}") from exc
            except aiosmtplib.SMTPResponseException as exc:
                await _discard(client)
                if 500 <= exc.code < 600 and exc.code not in (530, 535):
                    raise PermanentFailure(
                        self.name, f"{exc.code} {exc.message}", status=exc.code
                    ) from exc
                raise TransientFailure(
                    self.name, f"{exc.code} {exc.message}", status=exc.code
                ) from exc
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                await _discard(client)
                raise TransientFailure(self.name, f"{type(exc).__name__}: {exc}") from exc
            if errors:
                self._idle.put_nowait(client)
                raise PermanentFailure(self.name, f"refused {errors}")
            self._idle.put_nowait(client)
        return SendResult(provider_message_id=email.message_id.strip("<>"))

    async def aclose(self) -> None:
        while not self._idle.empty():
            client = self._idle.get_nowait()
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()


async def _discard(client: aiosmtplib.SMTP | None) -> None:
    if client is not None:
        client.close()
