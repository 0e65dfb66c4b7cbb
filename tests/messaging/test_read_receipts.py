"""Read receipts live: a participant's read mark reaches the others at once, never a note's."""

import httpx

from premier.db import Database
from premier.users.models import Department
from tests.helpers import signed_in
from tests.messaging.helpers import API, open_conversation, sent, staff_chat, staff_member, token
from tests.realtime.wsclient import ws_client


async def read(client: httpx.AsyncClient, headers: dict[str, str], message_id: int) -> None:
    response = await client.patch(f"{API}/{message_id}/read", headers=headers)
    assert response.status_code == 200, response.text


async def test_the_guest_sees_their_message_read_and_the_agent_sees_the_answer_read(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    desk_id, desk = await staff_member(client, database, Department.FRONT_DESK)
    guest_id, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    assert conversation["assignee_id"] == desk_id
    question = await sent(client, guest, conversation["id"], "Late checkout?")
    async with (
        ws_client(url, token=token(guest)) as guest_ws,
        ws_client(url, token=token(desk)) as desk_ws,
    ):
        await guest_ws.subscribe(f"user:{guest_id}")
        await desk_ws.subscribe(f"user:{desk_id}")

        await read(client, desk, question["id"])
        seen = await guest_ws.event("conversation.read", channel=f"user:{guest_id}")
        assert seen["data"]["conversation_id"] == conversation["id"]
        assert seen["data"]["user_id"] == desk_id
        assert seen["data"]["last_read_message_id"] == question["id"]
        assert "recipient_ids" not in seen["data"]

        answer = await sent(client, desk, conversation["id"], "Until 2 pm, yes.")
        await read(client, guest, answer["id"])
        heard = await desk_ws.event("conversation.read", channel=f"user:{desk_id}")
        assert heard["data"]["user_id"] == guest_id
        assert heard["data"]["last_read_message_id"] == answer["id"]


async def test_a_guest_never_hears_of_a_read_mark_at_a_note_nor_of_staff_reading_along(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    desk_id, desk = await staff_member(client, database, Department.FRONT_DESK)
    guest_id, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    assert conversation["assignee_id"] == desk_id
    colleague_id, colleague = await staff_member(client, database, Department.FRONT_DESK)
    question = await sent(client, guest, conversation["id"], "Can I get a cot?")
    note = await sent(client, colleague, conversation["id"], "Cots are in storage B",
                      internal=True)  # fmt: skip
    async with (
        ws_client(url, token=token(guest)) as guest_ws,
        ws_client(url, token=token(colleague)) as colleague_ws,
    ):
        await guest_ws.subscribe(f"user:{guest_id}")
        await colleague_ws.subscribe(f"user:{colleague_id}")

        # The agent reads up to the note: staff hear the mark as it is, the guest as the
        # last message before it.
        await read(client, desk, note["id"])
        staff_heard = await colleague_ws.event("conversation.read")
        assert staff_heard["data"]["last_read_message_id"] == note["id"]
        guest_heard = await guest_ws.event("conversation.read")
        assert guest_heard["data"]["last_read_message_id"] == question["id"]
        assert guest_heard["data"]["user_id"] == desk_id

        # Reading a later note moves nothing the guest can see: they hear nothing of it.
        later = await sent(client, colleague, conversation["id"], "Ask housekeeping",
                           internal=True)  # fmt: skip
        await read(client, desk, later["id"])
        assert (await colleague_ws.event("conversation.read"))["data"]["last_read_message_id"] \
            == later["id"]  # fmt: skip
        # A staff member who only reads along stays unknown to the guest.
        _, reader = await staff_member(client, database, Department.FRONT_DESK)
        await read(client, reader, question["id"])
        await colleague_ws.event("conversation.read")

        answer = await sent(client, desk, conversation["id"], "A cot is on its way.")
        # Events on one channel arrive in order: had either read reached the guest, it
        # would come before the answer.
        first = await guest_ws.recv()
        assert (first["event"], first["data"]["message_id"]) == ("message.created", answer["id"])


async def test_colleagues_in_a_staff_chat_see_each_other_read(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    cook_id, cook = await staff_member(client, database, Department.KITCHEN)
    maid_id, maid = await staff_member(client, database, Department.HOUSEKEEPING)
    chat = await staff_chat(client, cook, [maid_id])
    hello = await sent(client, cook, chat["id"], "Room 12 wants breakfast in bed")
    async with ws_client(url, token=token(cook)) as cook_ws:
        await cook_ws.subscribe(f"user:{cook_id}")
        await read(client, maid, hello["id"])
        heard = (await cook_ws.event("conversation.read"))["data"]
        assert (heard["conversation_id"], heard["user_id"]) == (chat["id"], maid_id)
        assert heard["last_read_message_id"] == hello["id"]
        # A reload shows the same mark.
        shown = (await client.get(f"{API}/conversations/{chat['id']}", headers=cook)).json()
        marks = {p["user_id"]: p["last_read_message_id"] for p in shown["participants"]}
        assert marks[maid_id] == hello["id"]
        # Reading it again moves nothing, so nobody hears of it: the next event is the reply.
        await read(client, maid, hello["id"])
        reply = await sent(client, maid, chat["id"], "On it")
        first = await cook_ws.recv()
        assert (first["event"], first["data"]["message_id"]) == ("message.created", reply["id"])
