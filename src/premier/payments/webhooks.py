"""Provider webhooks and callbacks: authenticate, let the provider verify and parse them
into `PaymentEvent`s (calling back to it where its word is needed), then take them into
the inbox, which stores each once and has it applied behind the answer.

Signed webhooks (Stripe, PayPal, Flutterwave) arrive on `/webhooks/{provider}`. M-Pesa's
callbacks are unsigned and arrive on a path holding a secret minted for one payment; an
unknown secret is 404, as if the path did not exist. Provider calls happen outside any
database transaction."""

from collections.abc import Mapping

from sqlalchemy import select

from premier.db import Database
from premier.kit.errors import NotFound
from premier.payments.apply import attempt_of
from premier.payments.inbox import Inbox
from premier.payments.initiate import token_hash
from premier.payments.models import Payment
from premier.payments.providers.base import Incoming
from premier.payments.registry import Providers


async def receive(
    *, inbox: Inbox, providers: Providers, name: str, headers: Mapping[str, str], body: bytes
) -> None:
    provider = providers.named(name)
    found = await provider.parse(Incoming(headers=headers, body=body))
    await inbox.take_in(found)


async def receive_callback(
    *,
    database: Database,
    inbox: Inbox,
    providers: Providers,
    token: str,
    headers: Mapping[str, str],
    body: bytes,
) -> None:
    async with database.reading() as session:
        payment = await session.scalar(
            select(Payment).where(Payment.callback_token_hash == token_hash(token))
        )
        if payment is None or payment.provider is None:
            raise NotFound("no such callback")
        expected = attempt_of(payment)
        provider_name = payment.provider
    provider = providers.named(provider_name)
    found = await provider.parse(Incoming(headers=headers, body=body, expected=expected))
    await inbox.take_in(found)
