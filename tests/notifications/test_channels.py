"""A delivery channel is one class and one registration: notify() renders for it, honours
preferences for it and logs what it did, without knowing it by name."""

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.config import Settings
from premier.db import Database
from premier.notifications import channels, preferences
from premier.notifications.channels import Delivery, Message
from premier.notifications.models import Channel, DeliveryLog, Notification
from premier.notifications.service import notify
from premier.users.models import User
from tests.helpers import make_user


class PagerChannel:
    """A fourth channel for this test: it keeps what it is handed."""

    name = Channel.PUSH

    def __init__(self) -> None:
        self.received: list[Message] = []

    def address_of(self, user: User) -> str | None:
        return f"pager-{user.id}"

    async def deliver(
        self, *, session: AsyncSession, settings: Settings, messages: Sequence[Message]
    ) -> list[Delivery]:
        self.received.extend(messages)
        return [Delivery("sent", recipient=message.address) for message in messages]


@pytest.fixture
def pager() -> Iterator[PagerChannel]:
    channel = PagerChannel()
    channels.register(channel)
    yield channel
    channels.unregister(Channel.PUSH)


async def tell(database: Database, settings: Settings, *recipients: int, **extra: Any) -> None:
    async with database.writing() as session:
        await notify(
            session=session,
            settings=settings,
            recipients=list(recipients),
            event_type="order.status_changed",
            context={
                "order": {"id": 42, "status": "ready", "room_number": "204", "total": "KES 900"},
                "previous_status": "preparing",
            },
            **extra,
        )
        await events.commit(session)


async def test_a_registered_channel_gets_each_recipients_rendered_message(
    database: Database, settings: Settings, pager: PagerChannel
) -> None:
    guest = await make_user(database)
    await tell(database, settings, guest)

    [message] = pager.received
    assert message.user_id == guest and message.address == f"pager-{guest}"
    assert "42" in message.subject + message.text, "rendered from the event's template"
    async with database.reading() as session:
        notification = await session.scalar(
            select(Notification).where(Notification.user_id == guest)
        )
        logged = await session.scalar(
            select(DeliveryLog).where(DeliveryLog.channel == "push", DeliveryLog.user_id == guest)
        )
    assert notification is not None and message.notification_id == notification.id
    assert logged is not None and logged.status == "sent" and logged.recipient == f"pager-{guest}"


async def test_a_recipient_who_turned_the_channel_off_is_not_handed_to_it(
    database: Database, settings: Settings, pager: PagerChannel
) -> None:
    quiet = await make_user(database)
    keen = await make_user(database)
    async with database.writing() as session:
        await preferences.update(
            session=session,
            user_id=quiet,
            channels={"orders": {"push": False}},
            quiet_hours=None,
            locale=None,
            set_locale=False,
        )
    await tell(database, settings, quiet, keen)

    assert [message.user_id for message in pager.received] == [keen]


async def test_without_a_registered_channel_its_messages_are_simply_not_made(
    database: Database, settings: Settings
) -> None:
    guest = await make_user(database)
    channels.unregister(Channel.PUSH)
    await tell(database, settings, guest)

    async with database.reading() as session:
        logged = set(await session.scalars(select(DeliveryLog.channel)))
    assert "push" not in logged and "in_app" in logged
