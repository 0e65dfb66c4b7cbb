"""Read state: unread counts per conversation and in total, read and unread again."""

import httpx

from premier.db import Database
from premier.users.models import Department
from tests.helpers import signed_in
from tests.messaging.helpers import API, detail, open_conversation, sent, staff_member


async def test_unread_counts_follow_what_each_participant_read(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    _, guest = await signed_in(client, database)
    first = await open_conversation(client, guest)
    second = await open_conversation(client, guest, subject="Parking")
    await sent(client, guest, first["id"], "one")
    await sent(client, guest, first["id"], "two")
    await sent(client, guest, second["id"], "three")

    counts = (await client.get(f"{API}/unread", headers=desk)).json()
    assert counts == {
        "total": 3,
        "conversations": [
            {"conversation_id": first["id"], "unread": 2},
            {"conversation_id": second["id"], "unread": 1},
        ],
    }
    # One's own messages are never unread.
    assert (await client.get(f"{API}/unread", headers=guest)).json()["total"] == 0

    newest = (await detail(client, desk, first["id"])).json()["messages"][0]
    read = await client.patch(f"{API}/{newest['id']}/read", headers=desk)
    assert read.status_code == 200
    assert read.json() == {
        "conversation_id": first["id"], "last_read_message_id": newest["id"],
        "unread": 0, "unread_total": 1,
    }  # fmt: skip
    listed = (await client.get(f"{API}/conversations", headers=desk)).json()["items"]
    assert {c["id"]: c["unread"] for c in listed} == {first["id"]: 0, second["id"]: 1}

    unread = await client.patch(f"{API}/{newest['id']}/unread", headers=desk)
    assert unread.json()["unread"] == 1
    assert unread.json()["unread_total"] == 2
    # Reading an older message after a newer one does not make the newer unread.
    oldest = (await detail(client, desk, first["id"])).json()["messages"][1]
    await client.patch(f"{API}/{newest['id']}/read", headers=desk)
    again = await client.patch(f"{API}/{oldest['id']}/read", headers=desk)
    assert again.json()["last_read_message_id"] == newest["id"]


async def test_replying_marks_the_conversation_read_for_the_sender(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    _, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    await sent(client, guest, conversation["id"], "Is the pool open?")
    assert (await client.get(f"{API}/unread", headers=desk)).json()["total"] == 1
    await sent(client, desk, conversation["id"], "Until 10pm.")
    assert (await client.get(f"{API}/unread", headers=desk)).json()["total"] == 0
    assert (await client.get(f"{API}/unread", headers=guest)).json()["total"] == 1


async def test_reading_an_unknown_message_is_not_found(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    assert (await client.patch(f"{API}/123456/read", headers=guest)).status_code == 404
