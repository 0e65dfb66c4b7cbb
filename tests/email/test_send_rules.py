"""Hand-sent mail cannot phish: no account templates, no caller-made system links, and
staff write plain mail only to guests with a booking."""

import httpx
import pytest
from sqlalchemy import select

from premier.db import Database
from premier.email.models import EmailQueue
from premier.users.models import Department, Role
from tests.helpers import signed_in
from tests.sms.helpers import booked_guest

API = "/api/v1/emails/send"
PHISH = {
    "to": ["boss@example.com"],
    "template": "auth.password_reset",
    "context": {"reset_url": "https://evil.example/reset", "minutes": 30},
}


async def nothing_queued(database: Database) -> bool:
    async with database.reading() as session:
        return list(await session.scalars(select(EmailQueue))) == []


async def test_kitchen_staff_cannot_send_a_genuine_looking_password_reset(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, kitchen = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    refused = await client.post(API, headers=kitchen, json=PHISH)
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"] == "template_not_allowed"
    assert await nothing_queued(database)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
async def test_nobody_sends_an_account_template_by_hand(
    client: httpx.AsyncClient, database: Database, role: Role
) -> None:
    _, headers = await signed_in(client, database, role=role)
    refused = await client.post(API, headers=headers, json=PHISH)
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"] == "account_template"
    assert await nothing_queued(database)


@pytest.mark.parametrize(
    ("template", "context", "field"),
    [
        ("general", {"title": "t", "message": "m", "unsubscribe_url": "https://evil.example"},
         "context.unsubscribe_url"),
        ("promotion", {"title": "t", "message": "m", "cta_url": None,
                       "reset_url": "https://evil.example"}, "context.reset_url"),
        ("general", {"title": "t", "message": "m", "url": None, "hotel": {"name": "x"}},
         "context.hotel"),
    ],
)  # fmt: skip
async def test_a_manager_cannot_give_a_link_the_system_makes(
    client: httpx.AsyncClient,
    database: Database,
    template: str,
    context: dict[str, object],
    field: str,
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    body = {"to": ["guest@example.com"], "template": template, "context": context}
    refused = await client.post(API, headers=manager, json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"]["field"] == field
    assert await nothing_queued(database)


async def test_staff_write_plain_mail_only_to_guests_with_a_booking(
    client: httpx.AsyncClient, database: Database
) -> None:
    await booked_guest(database, email="staying@example.com", days_from_today=0)
    await booked_guest(database, email="coming@example.com", days_from_today=30)
    await booked_guest(database, email="cancelled@example.com", status="cancelled")
    await booked_guest(database, email="gone@example.com", days_from_today=-10)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    plain = {"subject": "Your room", "message": "Ready at noon"}

    for address in ("staying@example.com", "coming@example.com"):
        sent = await client.post(API, headers=desk, json={"to": [address], **plain})
        assert sent.status_code == 202, sent.text
    for address in ("cancelled@example.com", "gone@example.com", "stranger@example.com"):
        refused = await client.post(
            API, headers=desk, json={"to": ["coming@example.com", address], **plain}
        )
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["code"] == "recipient_not_a_guest"
        assert refused.json()["error"]["details"]["recipients"] == [address]
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    anyone = await client.post(API, headers=manager, json={"to": ["stranger@example.com"], **plain})
    assert anyone.status_code == 202, anyone.text


async def test_nobody_writes_a_hand_made_account_message(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    body = {"to": ["a@example.com"], "subject": "Reset", "message": "m", "category": "account"}
    refused = await client.post(API, headers=admin, json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "account_category"
    assert await nothing_queued(database)
