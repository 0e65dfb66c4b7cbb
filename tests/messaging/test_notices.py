"""Participants who have not read a message are notified later, once per quiet period."""

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update

from premier.config import Settings
from premier.db import Database
from premier.events.models import OutboxEvent
from premier.kit.time import utcnow
from premier.messaging.models import ConversationParticipant
from premier.users.models import Department
from tests.helpers import signed_in
from tests.messaging.helpers import API, open_conversation, sent, staff_member


async def told(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    inbox = (await client.get("/api/v1/notifications", headers=headers)).json()
    return [n for n in inbox["items"] if n["event_type"] == "message.received"]


async def test_a_burst_of_messages_is_one_notification_per_quiet_period(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.messaging_notify_after_seconds = 0
    desk_id, desk = await staff_member(client, database, Department.FRONT_DESK)
    _, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest, subject="Airport taxi")
    for text in ("Hello", "I need a taxi", "at 6am tomorrow"):
        await sent(client, guest, conversation["id"], text)
    notices = await told(client, desk)
    assert len(notices) == 1
    assert notices[0]["data"] == {"conversation_id": conversation["id"],
                                  "message_id": notices[0]["data"]["message_id"]}  # fmt: skip
    assert notices[0]["body"].endswith("Hello")
    assert notices[0]["target"] == f"/messages?c={conversation['id']}", "opens the conversation"
    # The sender is never told of their own messages.
    assert await told(client, guest) == []

    # Once the quiet period is over, the next unread message is told again.
    async with database.writing() as session:
        await session.execute(
            update(ConversationParticipant)
            .where(ConversationParticipant.user_id == desk_id)
            .values(notified_at=utcnow() - timedelta(minutes=6))
        )
        await session.commit()
    await sent(client, guest, conversation["id"], "Is that possible?")
    later = await told(client, desk)
    assert len(later) == 2
    assert "(4 unread)" in later[0]["body"]


async def test_nobody_is_told_of_what_they_read_in_time_nor_of_notes_as_a_guest(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.messaging_notify_after_seconds = 3600
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    _, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    question = await sent(client, guest, conversation["id"], "Where is the gym?")
    assert (await client.patch(f"{API}/{question['id']}/read", headers=desk)).status_code == 200
    await sent(client, desk, conversation["id"], "Ask about the towels", internal=True)
    await sent(client, desk, conversation["id"], "Second floor, next to the pool.")
    assert await told(client, guest) == []  # not yet due

    # The hour passes.
    async with database.writing() as session:
        await session.execute(update(OutboxEvent).values(available_at=utcnow()))
        await session.commit()
    notices = await told(client, guest)
    assert [n["body"] for n in notices] == [
        f"{notices[0]['body'].split(':')[0]}: Second floor, next to the pool."
    ]
    assert await told(client, desk) == []
