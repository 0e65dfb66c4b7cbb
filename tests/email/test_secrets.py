"""Nobody reads another person's secrets through the email API: reset links are withheld,
unsubscribe tokens redacted; only the development viewer of captured mail shows it whole."""

import re

import httpx
from sqlalchemy import select

from premier.config import Settings
from premier.db import Database
from premier.email.models import EmailQueue
from premier.email.sending import email_worker
from premier.notifications.disclosure import WITHHELD
from premier.users.models import Role
from tests.helpers import make_user, signed_in

API = "/api/v1/emails"
RESET_LINK = re.compile(r"reset-password\?token=([\w-]+)")
UNSUBSCRIBE_TOKEN = re.compile(r"unsubscribe\?token=([\w.-]+)")


async def ask_for_a_reset(client: httpx.AsyncClient, database: Database, email: str) -> int:
    answer = await client.post("/api/v1/auth/password/forgot", json={"email": email})
    assert answer.status_code == 202, answer.text
    async with database.reading() as session:
        mail = await session.scalar(select(EmailQueue).where(EmailQueue.to_address == email))
    assert mail is not None and RESET_LINK.search(mail.body_text), "the mail itself has it"
    return mail.id


async def test_a_manager_cannot_take_over_an_admin_through_the_reset_mail(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    await make_user(database, role=Role.ADMIN, email="boss@example.com")
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    mail_id = await ask_for_a_reset(client, database, "boss@example.com")

    seen = [(await client.get(f"{API}/queue", headers=manager)).text]
    detail = await client.get(f"{API}/{mail_id}", headers=manager)
    assert detail.status_code == 200, detail.text
    assert detail.json()["body_text"] == detail.json()["body_html"] == WITHHELD
    seen.append(detail.text)
    await email_worker(database=database, settings=settings).drain()
    captured = (await client.get(f"{API}/captured", headers=manager)).json()
    [stored] = captured["items"]
    seen.append(str(captured))
    stored_detail = await client.get(f"{API}/captured/{stored['id']}", headers=manager)
    assert stored_detail.status_code == 200, stored_detail.text
    assert stored_detail.json()["body_text"] == WITHHELD
    seen.append(stored_detail.text)
    assert not any(RESET_LINK.search(text) for text in seen)


async def test_other_peoples_unsubscribe_tokens_are_redacted(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    sent = await client.post(
        f"{API}/send",
        headers=manager,
        json={
            "to": ["someone@example.com"],
            "template": "general",
            "context": {"title": "Pool", "message": "Open at ten", "url": None},
        },
    )
    assert sent.status_code == 202, sent.text
    [mail_id] = sent.json()["queued"]
    async with database.reading() as session:
        mail = await session.get(EmailQueue, mail_id)
    assert mail is not None and UNSUBSCRIBE_TOKEN.search(mail.body_text)

    detail = (await client.get(f"{API}/{mail_id}", headers=manager)).json()
    assert "Open at ten" in detail["body_text"], "ordinary mail stays readable"
    assert "unsubscribe?token=[redacted]" in detail["body_text"]
    assert "unsubscribe?token=[redacted]" in detail["headers"]["List-Unsubscribe"]
    await email_worker(database=database, settings=settings).drain()
    [stored] = (await client.get(f"{API}/captured", headers=manager)).json()["items"]
    whole = await client.get(f"{API}/captured/{stored['id']}", headers=manager)
    assert "Open at ten" in whole.json()["body_text"]
    for text in (str(detail), whole.text):
        assert not [t for t in UNSUBSCRIBE_TOKEN.findall(text) if t != "[redacted]"]


async def test_the_development_capture_viewer_shows_mail_whole_and_nothing_else_does(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.environment = "development"
    await make_user(database, email="dev@example.com")
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    mail_id = await ask_for_a_reset(client, database, "dev@example.com")
    await email_worker(database=database, settings=settings).drain()
    [stored] = (await client.get(f"{API}/captured", headers=manager)).json()["items"]
    whole = (await client.get(f"{API}/captured/{stored['id']}", headers=manager)).json()
    assert RESET_LINK.search(whole["body_text"]), "the mail catcher is how development resets"
    detail = (await client.get(f"{API}/{mail_id}", headers=manager)).json()
    assert detail["body_text"] == WITHHELD
