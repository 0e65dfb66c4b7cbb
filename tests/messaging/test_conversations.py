"""Opening, listing, assigning and closing conversations."""

from typing import Any

import httpx

from premier.config import Settings
from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import signed_in
from tests.messaging.helpers import API, detail, open_conversation, sent, staff_member


async def test_a_guest_opens_a_conversation_and_the_department_answers(
    client: httpx.AsyncClient, database: Database
) -> None:
    desk_id, desk = await staff_member(client, database, Department.FRONT_DESK)
    guest_id, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest, "front_desk", subject="Late checkout")
    assert conversation["type"] == "guest_staff"
    assert conversation["status"] == "open"
    assert conversation["guest_id"] == guest_id
    # The only front desk agent on duty gets it at once.
    assert conversation["assignee_id"] == desk_id

    await sent(client, guest, conversation["id"], "Can I leave at 2pm?")
    await sent(client, desk, conversation["id"], "Of course.")
    seen = (await detail(client, guest, conversation["id"])).json()
    assert [m["body"] for m in seen["messages"]] == ["Of course.", "Can I leave at 2pm?"]
    assert {p["user_id"]: p["role"] for p in seen["participants"]} == {
        guest_id: "guest",
        desk_id: "agent",
    }
    inbox = (await client.get(f"{API}/conversations", headers=desk)).json()
    assert [c["id"] for c in inbox["items"]] == [conversation["id"]]
    assert inbox["items"][0]["last_message_at"] is not None


async def test_conversations_go_round_robin_up_to_each_agents_cap(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.messaging_agent_open_cap = 2
    first_id, _ = await staff_member(client, database, Department.CONCIERGE)
    second_id, concierge = await staff_member(client, database, Department.CONCIERGE)
    await staff_member(client, database, Department.KITCHEN)  # another department: never
    _, guest = await signed_in(client, database)
    assignees = [
        (await open_conversation(client, guest, "concierge"))["assignee_id"] for _ in range(5)
    ]
    # Turns alternate; at two open conversations each, the fifth waits unassigned.
    assert assignees == [first_id, second_id, first_id, second_id, None]
    unassigned = (
        await client.get(f"{API}/conversations", params={"view": "unassigned"}, headers=concierge)
    ).json()
    assert unassigned["total"] == 1
    mine = await client.get(f"{API}/conversations", params={"view": "mine"}, headers=concierge)
    assert mine.json()["total"] == 2


async def test_closing_frees_an_agent_and_a_guest_writing_again_reopens(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.messaging_agent_open_cap = 1
    maid_id, maid = await staff_member(client, database, Department.HOUSEKEEPING)
    _, guest = await signed_in(client, database)
    first = await open_conversation(client, guest, "housekeeping")
    assert first["assignee_id"] == maid_id
    assert (await open_conversation(client, guest, "housekeeping"))["assignee_id"] is None

    closed = await client.post(f"{API}/conversations/{first['id']}/close", headers=maid)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_at"] is not None
    assert (await open_conversation(client, guest, "housekeeping"))["assignee_id"] == maid_id

    await sent(client, guest, first["id"], "Actually, one more towel please")
    reopened = (await detail(client, maid, first["id"])).json()["conversation"]
    assert reopened["status"] == "open"
    assert reopened["closed_at"] is None
    # Staff writing to a closed conversation leave it closed.
    await client.post(f"{API}/conversations/{first['id']}/close", headers=maid)
    await sent(client, maid, first["id"], "Bringing it now.")
    assert (await detail(client, maid, first["id"])).json()["conversation"]["status"] == "closed"
    listed = await client.get(f"{API}/conversations", params={"status": "closed"}, headers=guest)
    assert [c["id"] for c in listed.json()["items"]] == [first["id"]]


async def test_staff_assign_within_their_department_and_managers_anywhere(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest, "kitchen")
    assert conversation["assignee_id"] is None  # no cook on duty yet
    cook_id, cook = await staff_member(client, database, Department.KITCHEN)
    desk_id, _ = await staff_member(client, database, Department.FRONT_DESK)
    url = f"{API}/conversations/{conversation['id']}/assign"

    taken = await client.post(url, json={"assignee_id": cook_id}, headers=cook)
    assert taken.status_code == 200
    assert taken.json()["assignee_id"] == cook_id
    assert taken.json()["assignee_name"]
    # Only to someone who serves this inbox.
    wrong = await client.post(url, json={"assignee_id": desk_id}, headers=cook)
    assert wrong.status_code == 422
    manager_id, manager = await signed_in(client, database, role=Role.MANAGER)
    to_manager = await client.post(url, json={"assignee_id": manager_id}, headers=manager)
    assert to_manager.json()["assignee_id"] == manager_id
    released = await client.post(url, json={"assignee_id": None}, headers=manager)
    assert released.json()["assignee_id"] is None


async def test_staff_open_group_chats_with_colleagues_only(
    client: httpx.AsyncClient, database: Database
) -> None:
    desk_id, desk = await staff_member(client, database, Department.FRONT_DESK)
    cook_id, cook = await staff_member(client, database, Department.KITCHEN)
    maid_id, _ = await staff_member(client, database, Department.HOUSEKEEPING)
    guest_id, guest = await signed_in(client, database)
    made = await client.post(
        f"{API}/conversations",
        json={"type": "staff_staff", "participant_ids": [cook_id, maid_id], "subject": "Gala"},
        headers=desk,
    )
    assert made.status_code == 201, made.text
    chat = made.json()
    assert chat["department"] is None
    await sent(client, cook, chat["id"], "Menu is ready")
    assert (await detail(client, cook, chat["id"])).status_code == 200
    with_guest = await client.post(
        f"{API}/conversations",
        json={"type": "staff_staff", "participant_ids": [guest_id]},
        headers=desk,
    )
    assert with_guest.status_code == 404
    guest_chat = await client.post(
        f"{API}/conversations",
        json={"type": "staff_staff", "participant_ids": [desk_id]},
        headers=guest,
    )
    assert guest_chat.status_code == 403
    staff_inbox = await client.post(
        f"{API}/conversations", json={"department": "kitchen"}, headers=desk
    )
    assert staff_inbox.status_code == 403
    assign = await client.post(
        f"{API}/conversations/{chat['id']}/assign", json={"assignee_id": cook_id}, headers=desk
    )
    assert assign.status_code == 409


async def test_messages_page_backwards_from_a_cursor(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    for n in range(5):
        await sent(client, guest, conversation["id"], f"message {n}")
    first = (await detail(client, guest, conversation["id"], limit=2)).json()
    assert [m["body"] for m in first["messages"]] == ["message 4", "message 3"]
    second = (
        await detail(client, guest, conversation["id"], limit=2, before=first["next_before"])
    ).json()
    assert [m["body"] for m in second["messages"]] == ["message 2", "message 1"]
    last = (
        await detail(client, guest, conversation["id"], limit=2, before=second["next_before"])
    ).json()
    assert [m["body"] for m in last["messages"]] == ["message 0"]
    assert last["next_before"] is None


async def test_a_booking_named_must_be_the_guests_own(
    client: httpx.AsyncClient, database: Database
) -> None:
    from tests.helpers import checked_in_stay

    _, guest = await signed_in(client, database)
    _, other = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    mine = await open_conversation(client, guest, booking_id=stay["id"])
    assert mine["booking_id"] == stay["id"]
    theirs = await client.post(
        f"{API}/conversations", json={"department": "front_desk", "booking_id": stay["id"]},
        headers=other,
    )  # fmt: skip
    assert theirs.status_code == 404


async def test_the_list_previews_the_latest_message_and_never_a_note_to_the_guest(
    client: httpx.AsyncClient, database: Database
) -> None:
    desk_id, desk = await staff_member(client, database, Department.FRONT_DESK)
    _, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    empty = (await client.get(f"{API}/conversations", headers=guest)).json()["items"][0]
    assert empty["last_message"] is None

    long = "Could you  book\na table " + "for two, " * 30
    question = await sent(client, guest, conversation["id"], long)
    answer = await sent(client, desk, conversation["id"], "Done: 8 pm at the Terrace.")
    note = await sent(client, desk, conversation["id"], "Guest is a VIP", internal=True)

    def previews(listed: dict[str, Any]) -> dict[int, Any]:
        return {c["id"]: c["last_message"] for c in listed["items"]}

    for_guest = previews((await client.get(f"{API}/conversations", headers=guest)).json())
    shown = for_guest[conversation["id"]]
    assert shown is not None
    assert shown["id"] == answer["id"]
    assert shown["body"] == "Done: 8 pm at the Terrace."
    assert (shown["sender_id"], shown["kind"]) == (desk_id, "message")
    assert shown["created_at"] == answer["created_at"]
    for_staff = previews((await client.get(f"{API}/conversations", headers=desk)).json())
    assert for_staff[conversation["id"]]["id"] == note["id"]
    assert for_staff[conversation["id"]]["kind"] == "note"

    # Opened again, the guest's view is the same; a long body comes on one line, cut short.
    again = (await detail(client, guest, conversation["id"])).json()["conversation"]
    assert again["last_message"]["id"] == answer["id"]
    other = await open_conversation(client, guest, "concierge")
    await sent(client, guest, other["id"], long)
    cut = previews((await client.get(f"{API}/conversations", headers=guest)).json())[other["id"]]
    assert cut is not None
    assert len(cut["body"]) == 140
    assert cut["body"].startswith("Could you book a table for two, for two")
    assert cut["body"].endswith("…")
    assert "\n" not in cut["body"]
    assert question["body"] == long.strip()
