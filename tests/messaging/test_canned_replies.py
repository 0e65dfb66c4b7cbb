"""Canned replies: written by managers per department, used by its staff, filled in."""

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import checked_in_stay, signed_in
from tests.messaging.helpers import API, open_conversation, shortcuts, staff_member

TEMPLATE = "Hello {guest_name}, room {room} is yours from {check_in} to {check_out}. {other}"


async def test_managers_write_replies_and_staff_use_their_departments_filled_in(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    _, cook = await staff_member(client, database, Department.KITCHEN)
    made = await client.post(
        f"{API}/canned-replies",
        json={"department": "front_desk", "shortcut": "welcome", "body": TEMPLATE},
        headers=manager,
    )
    assert made.status_code == 201, made.text
    await client.post(
        f"{API}/canned-replies",
        json={"department": "kitchen", "shortcut": "menu", "body": "Menu is on the TV"},
        headers=manager,
    )
    taken = await client.post(
        f"{API}/canned-replies",
        json={"department": "front_desk", "shortcut": "welcome", "body": "again"},
        headers=manager,
    )
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "shortcut_taken"

    assert await shortcuts(client, desk) == ["welcome"]
    assert await shortcuts(client, cook) == ["menu"]
    assert len((await client.get(f"{API}/canned-replies", headers=manager)).json()) == 2
    refused = await client.post(
        f"{API}/canned-replies",
        json={"department": "front_desk", "shortcut": "mine", "body": "x"},
        headers=desk,
    )
    assert refused.status_code == 403

    _, guest = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    conversation = await open_conversation(client, guest)
    replies = (
        await client.get(
            f"{API}/canned-replies", params={"conversation_id": conversation["id"]}, headers=desk
        )
    ).json()
    name = (await client.get(f"{API}/conversations/{conversation['id']}", headers=desk)).json()[
        "conversation"
    ]["guest_name"]
    assert replies[0]["rendered"] == (
        f"Hello {name}, room {stay['room_number']} is yours from {stay['check_in']} to "
        f"{stay['check_out']}. {{other}}"
    )
    # Another department's conversation is not found, rendered or not.
    other = await client.get(
        f"{API}/canned-replies", params={"conversation_id": conversation["id"]}, headers=cook
    )
    assert other.status_code == 404

    reply_id = made.json()["id"]
    changed = await client.patch(
        f"{API}/canned-replies/{reply_id}", json={"body": "Hi {guest_name}"}, headers=manager
    )
    assert changed.json()["body"] == "Hi {guest_name}"
    gone = await client.delete(f"{API}/canned-replies/{reply_id}", headers=manager)
    assert gone.status_code == 204
    missing = await client.patch(
        f"{API}/canned-replies/{reply_id}", json={"body": "x"}, headers=manager
    )
    assert missing.status_code == 404


async def test_variables_without_a_stay_are_left_empty(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    _, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest, "concierge")
    await client.post(
        f"{API}/canned-replies",
        json={"department": "concierge", "shortcut": "room", "body": "Room: {room}."},
        headers=manager,
    )
    replies = (
        await client.get(
            f"{API}/canned-replies", params={"conversation_id": conversation["id"]},
            headers=manager,
        )
    ).json()  # fmt: skip
    assert [r["rendered"] for r in replies] == ["Room: ."]
