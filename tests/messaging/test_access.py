"""Who sees which conversation, tried as every seat, with ids guessed across users and
departments: out of reach is always 404, so an id tells nothing."""

from typing import Any

import httpx
import pytest

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import signed_in
from tests.messaging.helpers import (
    API,
    detail,
    open_conversation,
    send,
    sent,
    staff_chat,
    staff_member,
)

ALL_DEPARTMENTS = list(Department)


async def _every_reach(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    conversation: dict[str, Any],
    message: dict[str, Any],
) -> dict[str, int]:
    """What one caller gets from each way of touching the conversation."""
    url = f"{API}/conversations/{conversation['id']}"
    read = await detail(client, headers, conversation["id"])
    wrote = await send(client, headers, conversation["id"], "hi")
    typing = await client.post(f"{url}/typing", json={}, headers=headers)
    marked = await client.patch(f"{API}/{message['id']}/read", headers=headers)
    return {
        "read": read.status_code,
        "send": wrote.status_code,
        "typing": typing.status_code,
        "mark_read": marked.status_code,
    }


@pytest.mark.parametrize("department", ALL_DEPARTMENTS)
async def test_staff_reach_their_departments_inbox_only(
    department: Department, client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, member = await staff_member(client, database, department)
    for inbox in ("front_desk", "concierge", "housekeeping", "kitchen"):
        conversation = await open_conversation(client, guest, inbox)
        message = await sent(client, guest, conversation["id"], f"to {inbox}")
        reach = await _every_reach(client, member, conversation, message)
        if inbox == department.value:
            assert reach == {"read": 200, "send": 201, "typing": 204, "mark_read": 200}, inbox
        else:
            assert reach == {"read": 404, "send": 404, "typing": 404, "mark_read": 404}, inbox
            url = f"{API}/conversations/{conversation['id']}"
            close = await client.post(f"{url}/close", headers=member)
            assign = await client.post(f"{url}/assign", json={"assignee_id": None},
                                       headers=member)  # fmt: skip
            assert (close.status_code, assign.status_code) == (404, 404), inbox
    listed = (await client.get(f"{API}/conversations", headers=member)).json()
    assert {c["department"] for c in listed["items"]} <= {department.value}
    # Asking for another department's inbox by filter gives nothing either.
    other = "kitchen" if department != Department.KITCHEN else "concierge"
    filtered = await client.get(f"{API}/conversations", params={"department": other},
                                headers=member)  # fmt: skip
    assert filtered.json()["total"] == 0


async def test_a_guest_reaches_only_their_own_conversations(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, stranger = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    message = await sent(client, guest, conversation["id"], "my room number is 12")
    assert await _every_reach(client, stranger, conversation, message) == {
        "read": 404, "send": 404, "typing": 404, "mark_read": 404,
    }  # fmt: skip
    for action in ("close", "reopen"):
        response = await client.post(f"{API}/conversations/{conversation['id']}/{action}",
                                     headers=stranger)  # fmt: skip
        assert response.status_code == 404
    assert (await client.get(f"{API}/conversations", headers=stranger)).json()["total"] == 0
    # Guests never assign and never see canned replies: the access table refuses outright.
    assign = await client.post(f"{API}/conversations/{conversation['id']}/assign",
                               json={"assignee_id": 1}, headers=guest)  # fmt: skip
    assert assign.status_code == 403
    assert (await client.get(f"{API}/canned-replies", headers=guest)).status_code == 403
    # Their own they may close.
    closed = await client.post(f"{API}/conversations/{conversation['id']}/close", headers=guest)
    assert closed.json()["status"] == "closed"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
async def test_managers_and_admins_reach_every_conversation(
    role: Role, client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    cook_id, _ = await staff_member(client, database, Department.KITCHEN)
    _, boss = await signed_in(client, database, role=role)
    conversation = await open_conversation(client, guest, "housekeeping")
    message = await sent(client, guest, conversation["id"])
    chat = await staff_chat(client, desk, [cook_id])
    chat_message = await sent(client, desk, chat["id"])
    assert await _every_reach(client, boss, conversation, message) == {
        "read": 200, "send": 201, "typing": 204, "mark_read": 200,
    }  # fmt: skip
    assert (await detail(client, boss, chat["id"])).status_code == 200
    assert (await client.patch(f"{API}/{chat_message['id']}/read", headers=boss)).status_code == 200
    assert (await client.get(f"{API}/conversations", headers=boss)).json()["total"] == 2


async def test_a_staff_chat_is_for_its_members_only(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    cook_id, cook = await staff_member(client, database, Department.KITCHEN)
    _, other_cook = await staff_member(client, database, Department.KITCHEN)
    _, guest = await signed_in(client, database)
    chat = await staff_chat(client, desk, [cook_id])
    message = await sent(client, desk, chat["id"], "VIP in 301 tonight")
    assert (await detail(client, cook, chat["id"])).status_code == 200
    for outsider in (other_cook, guest):
        assert await _every_reach(client, outsider, chat, message) == {
            "read": 404, "send": 404, "typing": 404, "mark_read": 404,
        }  # fmt: skip


async def test_internal_notes_never_reach_the_guest(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    conversation = await open_conversation(client, guest)
    await sent(client, guest, conversation["id"], "Can I get a late checkout?")
    note = await sent(client, desk, conversation["id"], "Guest complained twice, say yes",
                      internal=True)  # fmt: skip
    assert note["kind"] == "note"
    after_note = (await detail(client, guest, conversation["id"])).json()
    marks = {p["role"]: p["last_read_message_id"] for p in after_note["participants"]}
    assert marks["agent"] == after_note["messages"][0]["id"] != note["id"]
    # A manager who only wrote a note stays behind the scenes for the guest.
    manager_id, manager = await signed_in(client, database, role=Role.MANAGER)
    await sent(client, manager, conversation["id"], "Agreed.", internal=True)
    seen = (await detail(client, guest, conversation["id"])).json()["participants"]
    assert manager_id not in [p["user_id"] for p in seen]
    staff_seen = (await detail(client, desk, conversation["id"])).json()["participants"]
    assert manager_id in [p["user_id"] for p in staff_seen]
    await sent(client, desk, conversation["id"], "Yes, until 2pm.")

    guest_view = (await detail(client, guest, conversation["id"])).json()
    assert [m["kind"] for m in guest_view["messages"]] == ["message", "message"]
    # The desk's read mark, as the guest sees it, is at a message, never at the note.
    marks = {p["role"]: p["last_read_message_id"] for p in guest_view["participants"]}
    assert marks["agent"] == guest_view["messages"][0]["id"]
    assert guest_view["conversation"]["unread"] == 1
    assert (await client.get(f"{API}/unread", headers=guest)).json()["total"] == 1
    assert (await client.patch(f"{API}/{note['id']}/read", headers=guest)).status_code == 404
    search = await client.get(f"{API}/search", params={"q": "complained"}, headers=guest)
    assert search.json()["total"] == 0
    staff_view = (await detail(client, desk, conversation["id"])).json()
    assert [m["kind"] for m in staff_view["messages"]] == ["message", "note", "note", "message"]
    # Guests cannot write notes.
    refused = await send(client, guest, conversation["id"], "psst", internal=True)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "notes_are_for_staff"
