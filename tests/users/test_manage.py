"""Staff accounts as managers and admins keep them: created once, roles within one's
reach, deactivation, and reset links that go only to the account's inbox."""

import re

import httpx
from sqlalchemy import func, select

from premier.auth.models import PasswordResetToken
from premier.db import Database
from premier.email.models import EmailQueue
from premier.users.models import Department, Role
from tests.helpers import make_user, signed_in

RESET_LINK = re.compile(r"reset-password\?token=([\w-]+)")
COOK = {"email": "cook@example.com", "full_name": "Wanjiru Cook", "role": "staff",
        "department": "kitchen"}  # fmt: skip


async def _reset_mails(database: Database, email: str) -> list[str]:
    async with database.reading() as session:
        rows = await session.scalars(select(EmailQueue).where(EmailQueue.to_address == email))
        return [row.body_text for row in rows]


async def test_a_manager_creates_a_staff_account_once_and_its_owner_is_emailed_a_link(
    client: httpx.AsyncClient, database: Database
) -> None:
    manager_id, manager = await signed_in(client, database, role=Role.MANAGER)
    first = await client.post("/api/v1/users", json=COOK, headers=manager)
    again = await client.post("/api/v1/users", json=COOK, headers=manager)
    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["created_by_id"] == manager_id
    mails = await _reset_mails(database, "cook@example.com")
    assert len(mails) == 1 and RESET_LINK.search(mails[0]), "one invitation, with its link"
    assert not RESET_LINK.search(first.text + again.text)
    taken = await client.post("/api/v1/users", json={**COOK, "full_name": "Other"},
                              headers=manager)  # fmt: skip
    assert taken.status_code == 409 and taken.json()["error"]["details"]["field"] == "email"


async def test_a_manager_manages_staff_but_not_managers_or_admins(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    colleague = await make_user(database, role=Role.MANAGER)
    cook = await make_user(database, role=Role.STAFF, department=Department.KITCHEN)
    moved = await client.patch(f"/api/v1/users/{cook}", json={"department": "housekeeping"},
                               headers=manager)  # fmt: skip
    assert moved.status_code == 200 and moved.json()["department"] == "housekeeping"
    promote = await client.patch(f"/api/v1/users/{cook}", json={"role": "admin"},
                                 headers=manager)  # fmt: skip
    assert promote.status_code == 403
    assert promote.json()["error"]["details"]["field"] == "role"
    demote = await client.patch(f"/api/v1/users/{colleague}", json={"is_active": False},
                                headers=manager)  # fmt: skip
    assert demote.status_code == 403
    no_department = await client.patch(f"/api/v1/users/{cook}", json={"department": None},
                                       headers=manager)  # fmt: skip
    assert no_department.status_code == 422


async def test_nobody_deactivates_their_own_account(
    client: httpx.AsyncClient, database: Database
) -> None:
    admin_id, admin = await signed_in(client, database, role=Role.ADMIN)
    answer = await client.patch(f"/api/v1/users/{admin_id}", json={"is_active": False},
                                headers=admin)  # fmt: skip
    assert answer.status_code == 409
    assert answer.json()["error"]["details"]["field"] == "is_active"


async def test_a_reset_link_goes_to_the_inbox_and_never_into_the_answer(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    cook = await make_user(
        database, role=Role.STAFF, department=Department.KITCHEN, email="chef@example.com"
    )
    answers = []
    for _ in range(3):
        sent = await client.post(f"/api/v1/users/{cook}/password-reset", headers=manager)
        assert sent.status_code == 202, sent.text
        answers.append(sent.text)
    assert "chef@example.com" in answers[0]
    assert not any(RESET_LINK.search(a) or "token" in a for a in answers)
    too_many = await client.post(f"/api/v1/users/{cook}/password-reset", headers=manager)
    assert too_many.status_code == 429
    assert len(await _reset_mails(database, "chef@example.com")) == 3
    async with database.reading() as session:
        count = await session.scalar(select(func.count()).select_from(PasswordResetToken))
    assert count == 3

    await client.patch(f"/api/v1/users/{cook}", json={"is_active": False}, headers=manager)
    inactive = await client.post(f"/api/v1/users/{cook}/password-reset", headers=manager)
    assert inactive.status_code == 409


async def test_only_management_sends_reset_links(
    client: httpx.AsyncClient, database: Database
) -> None:
    cook = await make_user(database, role=Role.STAFF, department=Department.KITCHEN)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    answer = await client.post(f"/api/v1/users/{cook}/password-reset", headers=desk)
    assert answer.status_code == 403
