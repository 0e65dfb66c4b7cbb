"""Live delivery over the real WebSocket: messages, notes only to staff, typing, read state."""

import httpx

from premier.db import Database
from premier.users.models import Department
from tests.helpers import signed_in
from tests.messaging.helpers import API, open_conversation, sent, staff_member, token
from tests.realtime.wsclient import ws_client


async def test_messages_reach_each_participant_and_notes_only_the_staff(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    desk_id, desk = await staff_member(client, database, Department.FRONT_DESK)
    guest_id, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    async with (
        ws_client(url, token=token(guest)) as guest_ws,
        ws_client(url, token=token(desk)) as desk_ws,
    ):
        assert (await guest_ws.subscribe(f"user:{guest_id}"))["type"] == "subscribed"
        assert (await desk_ws.subscribe(f"user:{desk_id}"))["type"] == "subscribed"

        question = await sent(client, guest, conversation["id"], "Is the spa open?")
        heard = await desk_ws.event("message.created", channel=f"user:{desk_id}")
        assert heard["data"]["message_id"] == question["id"]
        assert heard["data"]["body"] == "Is the spa open?"
        assert heard["data"]["sender_id"] == guest_id
        # The sender's other tabs hear it too.
        assert (await guest_ws.event("message.created"))["data"]["message_id"] == question["id"]

        note = await sent(client, desk, conversation["id"], "Spa is closed for repairs",
                          internal=True)  # fmt: skip
        staff_heard = await desk_ws.event("message.created")
        assert staff_heard["data"]["message_id"] == note["id"]
        assert staff_heard["data"]["kind"] == "note"
        answer = await sent(client, desk, conversation["id"], "Sorry, not today.")
        # The guest's next message event is the answer: the note never came.
        next_for_guest = await guest_ws.event("message.created")
        assert next_for_guest["data"]["message_id"] == answer["id"]
        # Who else hears of it is not the guest's to know.
        assert "recipient_ids" not in next_for_guest["data"]
        await guest_ws.barrier()

        typing = await client.post(
            f"{API}/conversations/{conversation['id']}/typing", json={}, headers=guest
        )
        assert typing.status_code == 204
        typed = await desk_ws.event("conversation.typing")
        assert typed["data"]["user_id"] == guest_id
        assert typed["data"]["conversation_id"] == conversation["id"]

        read = await client.patch(f"{API}/{answer['id']}/read", headers=guest)
        assert read.status_code == 200
        state = await guest_ws.event("conversation.updated", channel=f"user:{guest_id}")
        assert state["data"]["change"] == "read"
        assert state["data"]["unread_total"] == 0
        assert state["data"]["last_read_message_id"] == answer["id"]

        closed = await client.post(f"{API}/conversations/{conversation['id']}/close", headers=desk)
        assert closed.status_code == 200
        for ws in (guest_ws, desk_ws):
            update = await ws.event("conversation.updated")
            assert update["data"]["change"] == "closed"
            assert update["data"]["status"] == "closed"


async def test_the_department_channel_hears_new_conversations_and_messages(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    _, cook = await staff_member(client, database, Department.KITCHEN)
    _, guest = await signed_in(client, database)
    async with ws_client(url, token=token(cook)) as cook_ws:
        assert (await cook_ws.subscribe("department:kitchen"))["type"] == "subscribed"
        conversation = await open_conversation(client, guest, "kitchen")
        opened = await cook_ws.event("conversation.updated", channel="department:kitchen")
        assert opened["data"]["change"] == "opened"
        assert opened["data"]["conversation_id"] == conversation["id"]
        await sent(client, guest, conversation["id"], "Gluten-free breakfast?")
        message = await cook_ws.event("message.created", channel="department:kitchen")
        assert message["data"]["body"] == "Gluten-free breakfast?"
        # A guest may not listen to a department's channel, notes and all.
        async with ws_client(url, token=token(guest)) as guest_ws:
            refused = await guest_ws.subscribe("department:kitchen")
            assert refused["type"] == "error"


async def test_a_note_being_typed_is_announced_to_staff_only(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    desk_id, desk = await staff_member(client, database, Department.FRONT_DESK)
    guest_id, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    await sent(client, guest, conversation["id"], "hello")
    async with ws_client(url, token=token(guest)) as guest_ws:
        await guest_ws.subscribe(f"user:{guest_id}")
        typing_url = f"{API}/conversations/{conversation['id']}/typing"
        note = await client.post(typing_url, json={"internal": True}, headers=desk)
        assert note.status_code == 204
        answer = await sent(client, desk, conversation["id"], "Hello!")
        # Events on one channel arrive in order: had the note's typing reached the guest's
        # channel, it would come before the answer.
        first = await guest_ws.recv()
        assert (first["event"], first["data"]["message_id"]) == ("message.created", answer["id"])
        reply = await client.post(typing_url, json={}, headers=desk)
        assert reply.status_code == 204
        typed = await guest_ws.event("conversation.typing")
        assert typed["data"]["user_id"] == desk_id
