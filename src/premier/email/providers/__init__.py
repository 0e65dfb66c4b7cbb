"""Email providers behind one Protocol; `build_providers` makes the ordered failover list."""

from premier.config import Settings
from premier.db import Database
from premier.email.providers.base import EmailProvider


def build_providers(*, settings: Settings, database: Database) -> list[EmailProvider]:
    providers: list[EmailProvider] = []
    for name in settings.email_providers:
        if name == "outbox":
            from premier.email.providers.outbox import OutboxProvider

            providers.append(OutboxProvider(database=database))
        elif name == "smtp":
            from premier.email.providers.smtp import SmtpProvider

            providers.append(SmtpProvider(settings=settings))
        elif name == "sendgrid":
            from premier.email.providers.sendgrid import SendGridProvider

            providers.append(SendGridProvider(settings=settings))
        elif name == "mailgun":
            from premier.email.providers.mailgun import MailgunProvider

            providers.append(MailgunProvider(settings=settings))
        elif name == "ses":
            from premier.email.providers.ses import SesProvider

            providers.append(SesProvider(settings=settings))
    return providers
