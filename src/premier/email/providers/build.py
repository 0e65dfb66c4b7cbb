"""The configured email providers, in failover order.

Here rather than in the package's `__init__`: importing a provider module would otherwise
import the package, which imports every provider module, which imports `base`."""

import aiohttp

from premier.config import Settings
from premier.db import Database
from premier.delivery.http import provider_session
from premier.email.providers.base import EmailProvider
from premier.email.providers.capture import CaptureProvider
from premier.email.providers.mailgun import MailgunProvider
from premier.email.providers.sendgrid import SendGridProvider
from premier.email.providers.ses import SesProvider
from premier.email.providers.smtp import SmtpProvider


def build_providers(
    *, settings: Settings, database: Database, http: aiohttp.ClientSession
) -> list[EmailProvider]:
    providers: list[EmailProvider] = []
    for name in settings.email_providers:
        if name == "capture":
            providers.append(CaptureProvider(database=database))
        elif name == "smtp":
            providers.append(SmtpProvider(settings=settings))
        elif name == "sendgrid":
            providers.append(SendGridProvider(settings=settings, http=http))
        elif name == "mailgun":
            providers.append(MailgunProvider(settings=settings, http=http))
        elif name == "ses":
            providers.append(SesProvider(settings=settings, http=http))
    return providers


def provider_http(settings: Settings) -> aiohttp.ClientSession:
    """The pooled session the HTTP providers share, one connection per concurrent send;
    whoever makes it closes it."""
    return provider_session(connections=settings.email_send_concurrency)
