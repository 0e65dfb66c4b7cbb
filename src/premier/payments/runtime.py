"""The payments machinery one process holds: its enabled providers (sharing one pooled
HTTP session), the starter of payments, the inbox of their news and the reconciliation
loop's settings."""

from dataclasses import dataclass

import aiohttp

from premier.config import Settings
from premier.db import Database
from premier.delivery.http import provider_session
from premier.payments.inbox import Inbox
from premier.payments.initiate import Starter
from premier.payments.providers.build import build_providers
from premier.payments.registry import Providers
from premier.payments.settings import PaymentSettings

HTTP_CONNECTIONS = 32


@dataclass
class Payments:
    providers: Providers
    starter: Starter
    inbox: Inbox
    settings: PaymentSettings
    http: aiohttp.ClientSession

    async def aclose(self) -> None:
        for provider in self.providers.by_name.values():
            await provider.aclose()
        await self.http.close()


def start_payments(*, settings: Settings, database: Database) -> Payments:
    """Call inside the event loop that will use it."""
    http = provider_session(connections=HTTP_CONNECTIONS)
    providers = build_providers(
        settings=settings.payments, http=http, hotel_name=settings.hotel_name
    )
    starter = Starter(
        database=database,
        providers=providers,
        settings=settings.payments,
        hotel_currency=settings.hotel_currency,
        public_base_url=settings.public_base_url,
    )
    return Payments(
        providers=providers,
        starter=starter,
        inbox=Inbox(database),
        settings=settings.payments,
        http=http,
    )
