"""Provider news taken in: stored once, answered, and applied moments later.

A provider waits for our answer to a webhook and redelivers what is not answered in time,
so the answer must only say that the news is safely ours; Stripe asks for it "before any
complex logic". `Inbox.take_in` therefore writes each piece of news to `payment_events`
(unique on (provider, event_id): a redelivery is dropped by the insert itself) together
with a `PaymentNewsReceived` event in the outbox, in one transaction shared by every
webhook that arrived meanwhile (a group commit). The event dispatcher then applies it to
its payment (`premier.payments.apply.apply_received`) exactly once, in arrival order, in
`premier worker` or the API's own dispatcher.
"""

from collections.abc import Sequence
from enum import StrEnum
from typing import ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.db import Database, core_table
from premier.db.bulk import insert_new
from premier.db.group_commit import GroupCommit
from premier.kit.time import utcnow
from premier.payments.models import PaymentEventRecord
from premier.payments.providers.base import PaymentEvent

EVENTS = core_table(PaymentEventRecord)
EVENT_ID_LENGTH = 160


class Taken(StrEnum):
    STORED = "stored"  # new: it will be applied
    DUPLICATE = "duplicate"  # stored before (or by another delivery in the same group)


class PaymentNewsReceived(events.DomainEvent):
    """News stored in `payment_events` (row `record_id`) and waiting to be applied."""

    type: ClassVar[str] = "payment.news_received"
    record_id: int
    news: PaymentEvent


def _key(news: PaymentEvent) -> tuple[str, str]:
    return news.provider, news.event_id[:EVENT_ID_LENGTH]


async def _store(session: AsyncSession, group: Sequence[PaymentEvent]) -> list[Taken]:
    """Insert the group's new news in one statement and put each in the outbox."""
    first: dict[tuple[str, str], PaymentEvent] = {}
    for news in group:
        first.setdefault(_key(news), news)
    now = utcnow()
    inserted = await insert_new(
        session,
        EVENTS,
        [
            {
                "provider": provider,
                "event_id": event_id,
                "outcome": news.outcome,
                "amount": news.amount,
                "currency": news.currency,
                "result": "received",
                "received_at": now,
            }
            for (provider, event_id), news in first.items()
        ],
        returning=("id", "provider", "event_id"),
    )
    new = {(row.provider, row.event_id): row.id for row in inserted}
    for key, record_id in sorted(new.items(), key=lambda item: item[1]):
        await events.emit(session, PaymentNewsReceived(record_id=record_id, news=first[key]))
    answers = []
    for news in group:
        stored = first.get(_key(news)) is news and _key(news) in new
        answers.append(Taken.STORED if stored else Taken.DUPLICATE)
    return answers


class Inbox:
    """One per process: the group-commit queue every webhook's news is written through."""

    def __init__(self, database: Database) -> None:
        self._queue: GroupCommit[PaymentEvent, Taken] = GroupCommit(
            database, _store, commit=events.commit
        )

    async def take_in(self, found: Sequence[PaymentEvent]) -> list[Taken]:
        """Store each piece of news once; answered when it is committed."""
        taken = []
        for news in found:
            answer = await self._queue.submit(news)
            assert isinstance(answer, Taken)  # no unique constraint is handed to the queue
            taken.append(answer)
        return taken
