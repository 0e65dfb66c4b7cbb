"""Opening conversations and sending messages as a client would."""

import itertools
from typing import Any

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import signed_in

_ids = itertools.count(1)
API = "/api/v1/messages"


def token(headers: dict[str, str]) -> str:
    """The bearer token of signed-in headers, as a WebSocket client sends it."""
    return headers["Authorization"].removeprefix("Bearer ")


async def staff_member(
    client: httpx.AsyncClient, database: Database, department: Department
) -> tuple[int, dict[str, str]]:
    return await signed_in(client, database, role=Role.STAFF, department=department)


async def open_conversation(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    department: str = "front_desk",
    **extra: Any,
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/conversations",
        json={"department": department, "subject": "A question", **extra},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    conversation: dict[str, Any] = response.json()
    return conversation


async def send(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    conversation_id: int,
    body: str = "Hello",
    **extra: Any,
) -> httpx.Response:
    payload = {"conversation_id": conversation_id, "body": body,
               "client_message_id": f"c-{next(_ids)}", **extra}  # fmt: skip
    return await client.post(f"{API}/send", json=payload, headers=headers)


async def sent(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    conversation_id: int,
    body: str = "Hello",
    **extra: Any,
) -> dict[str, Any]:
    response = await send(client, headers, conversation_id, body, **extra)
    assert response.status_code == 201, response.text
    message: dict[str, Any] = response.json()
    return message


async def detail(
    client: httpx.AsyncClient, headers: dict[str, str], conversation_id: int, **params: Any
) -> httpx.Response:
    return await client.get(
        f"{API}/conversations/{conversation_id}", params=params, headers=headers
    )


async def staff_chat(
    client: httpx.AsyncClient, headers: dict[str, str], participant_ids: list[int]
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/conversations",
        json={"type": "staff_staff", "participant_ids": participant_ids},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    chat: dict[str, Any] = response.json()
    return chat


async def shortcuts(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    replies = (await client.get(f"{API}/canned-replies", headers=headers)).json()
    return [reply["shortcut"] for reply in replies]
