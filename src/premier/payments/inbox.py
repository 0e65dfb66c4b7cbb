"""Provider news taken in: stored once, answered, and applied moments later.

A provider waits for our answer to a webhook and redelivers what is not answered in time,
so the answer must only say that the news is safely ours; Stripe asks for it "before any
complex logic". `Inbox.take_in` therefore writes each piece of news to the event outbox
as a `PaymentNewsReceived`, in one statement and one transaction shared by every webhook
that arrived meanwhile (a group commit). Its outbox id is derived from (provider, the
provider's event id), so a redelivery is dropped by that insert. The event dispatcher
then applies it (`premier.payments.apply.apply_received`, which stores it in
`payment_events` for good), exactly once, in `premier worker` or the API's own dispatcher.
"""

import hashlib
from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.db import Database
from premier.db.group_commit import GroupCommit
from premier.payments.providers.base import PaymentEvent


class PaymentNewsReceived(events.DomainEvent):
    """A provider's news of a payment, taken in and waiting to be applied."""

    type: ClassVar[str] = "payment.news_received"
    news: PaymentEvent


def received(news: PaymentEvent) -> PaymentNewsReceived:
    """The news as an outbox event whose id is the same every time it is delivered."""
    key = hashlib.sha256(f"{news.provider}\0{news.event_id}".encode()).hexdigest()
    return PaymentNewsReceived(event_id=key, news=news)


async def _store(session: AsyncSession, group: Sequence[PaymentEvent]) -> list[None]:
    """The group's news in the outbox, a second delivery within the group left out."""
    first: dict[str, PaymentNewsReceived] = {}
    for news in group:
        event = received(news)
        first.setdefault(event.event_id, event)
    await events.emit_new(session, list(first.values()))
    return [None] * len(group)


class Inbox:
    """One per process: the group-commit queue every webhook's news is written through."""

    def __init__(self, database: Database) -> None:
        self._queue: GroupCommit[PaymentEvent, None] = GroupCommit(
            database, _store, commit=events.commit
        )

    async def take_in(self, found: Sequence[PaymentEvent]) -> None:
        """Take each piece of news in; answered when it is committed."""
        for news in found:
            await self._queue.submit(news)
