"""The notification centre API, the preferences API, unsubscribe links and template admin."""

import httpx
from sqlalchemy import select

from premier import events
from premier.config import Settings
from premier.db import Database
from premier.email.models import EmailQueue
from premier.notifications.models import Suppression
from premier.notifications.service import notify
from premier.notifications.unsubscribe import unsubscribe_url
from premier.users.models import Role
from tests.helpers import signed_in
from tests.notifications.test_notify import booking_created, emit, rows

API = "/api/v1/notifications"
TEMPLATES = "/api/v1/notification-templates"


async def general(database: Database, settings: Settings, user_id: int, n: int) -> None:
    async with database.writing() as session:
        for i in range(n):
            await notify(
                session=session,
                settings=settings,
                recipients=[user_id],
                event_type="general",
                context={"title": f"note {i}", "message": "m", "url": None},
            )
        await events.commit(session)


async def test_list_filters_and_cursor_pages(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    guest, headers = await signed_in(client, database)
    await general(database, settings, guest, 5)
    await emit(database, booking_created(guest))

    first = (await client.get(API, params={"limit": 4}, headers=headers)).json()
    assert [n["title"] for n in first["items"]][:2] == [
        "Your booking PH-7Q2K is confirmed",
        "note 4",
    ]
    second = (
        await client.get(API, params={"limit": 4, "cursor": first["next_cursor"]}, headers=headers)
    ).json()
    assert [n["title"] for n in second["items"]] == ["note 1", "note 0"]
    assert second["next_cursor"] is None

    only = (await client.get(API, params={"category": "bookings"}, headers=headers)).json()
    assert len(only["items"]) == 1
    bad = await client.get(API, params={"category": "nope"}, headers=headers)
    assert bad.status_code == 422


async def test_mark_read_unread_all_and_delete(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    guest, headers = await signed_in(client, database)
    await general(database, settings, guest, 3)
    items = (await client.get(API, headers=headers)).json()["items"]
    one = items[0]["id"]

    assert (await client.post(f"{API}/{one}/read", headers=headers)).json()["read_at"]
    unread = (await client.get(API, params={"state": "unread"}, headers=headers)).json()
    assert len(unread["items"]) == 2
    assert (await client.post(f"{API}/{one}/unread", headers=headers)).json()["read_at"] is None
    assert (await client.post(f"{API}/read-all", headers=headers)).json() == {"changed": 3}
    count = await client.get(f"{API}/unread-count", headers=headers)
    assert count.json() == {"unread": 0}
    assert (await client.delete(f"{API}/{one}", headers=headers)).status_code == 204
    assert (await client.delete(API, headers=headers)).json() == {"changed": 2}
    assert (await client.get(API, headers=headers)).json()["items"] == []


async def test_nobody_sees_or_touches_another_users_notifications(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    owner, owner_headers = await signed_in(client, database)
    _, other = await signed_in(client, database)
    await general(database, settings, owner, 1)
    [item] = (await client.get(API, headers=owner_headers)).json()["items"]
    assert (await client.get(API, headers=other)).json()["items"] == []
    for method, path in [("POST", f"{API}/{item['id']}/read"), ("DELETE", f"{API}/{item['id']}")]:
        response = await client.request(method, path, headers=other)
        assert response.status_code == 404
    assert (await client.delete(API, headers=other)).json() == {"changed": 0}
    assert len((await client.get(API, headers=owner_headers)).json()["items"]) == 1
    assert (await client.get(API)).status_code == 401


async def test_preferences_round_trip_and_validation(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, headers = await signed_in(client, database)
    defaults = (await client.get(f"{API}/preferences", headers=headers)).json()
    assert defaults["channels"]["promotions"]["email"] is False
    assert defaults["channels"]["bookings"]["email"] is True

    changed = await client.put(
        f"{API}/preferences",
        headers=headers,
        json={
            "channels": {"promotions": {"email": True}, "account": {"email": False}},
            "quiet_hours_start": "22:00",
            "quiet_hours_end": "07:00",
            "locale": "sw",
        },
    )
    body = changed.json()
    assert body["channels"]["promotions"]["email"] is True
    assert body["channels"]["account"]["email"] is True, "account mail cannot be switched off"
    assert (body["quiet_hours_start"], body["locale"]) == ("22:00", "sw")
    again = (await client.get(f"{API}/preferences", headers=headers)).json()
    assert again == body

    for bad in [
        {"quiet_hours_start": "25:00"},
        {"channels": {"nope": {"email": True}}},
        {"channels": {"bookings": {"fax": True}}},
        {"locale": "fr"},
    ]:
        response = await client.put(f"{API}/preferences", headers=headers, json=bad)
        assert response.status_code == 422, bad


async def test_unsubscribe_link_works_without_login_and_stops_that_category(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    guest, headers = await signed_in(client, database)
    await client.put(
        f"{API}/preferences", headers=headers, json={"channels": {"promotions": {"email": True}}}
    )
    [email] = await rows(database, EmailQueue) or [None]
    assert email is None
    async with database.reading() as session:
        from premier.users.models import User

        address = (await session.get(User, guest)).email  # type: ignore[union-attr]
    url = unsubscribe_url(settings=settings, address=address, category="promotions")
    path = url.removeprefix(settings.public_base_url)

    page = await client.get(path)
    assert page.status_code == 200 and "<form method='post'>" in page.text
    assert await rows(database, Suppression) == [], "a GET never unsubscribes"
    one_click = await client.post(
        path,
        content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status_code == 200, one_click.text
    assert one_click.json() == {"status": "unsubscribed", "category": "promotions"}
    prefs = (await client.get(f"{API}/preferences", headers=headers)).json()
    assert prefs["channels"]["promotions"]["email"] is False

    async with database.writing() as session:
        await notify(
            session=session,
            settings=settings,
            recipients=[guest],
            event_type="general",
            context={"title": "t", "message": "m", "url": None},
        )
        await events.commit(session)
    [general_mail] = await rows(database, EmailQueue)
    assert general_mail.status == "queued", "other categories still arrive"

    forged = await client.post(path[:-3] + "AAA")
    assert forged.status_code == 422
    assert forged.json()["error"]["code"] == "invalid_token"


async def test_admin_template_validation_names_the_line(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    broken = await client.post(
        TEMPLATES,
        headers=admin,
        json={
            "event_type": "booking.created",
            "channel": "email",
            "locale": "en",
            "subject": "Hi",
            "body_text": "line one\n{% if booking.reference %}\nno end",
        },
    )
    assert broken.status_code == 422
    error = broken.json()["error"]
    assert error["code"] == "template_syntax_error"
    assert error["details"]["part"] == "body_text" and error["details"]["line"] == 3

    unknown = await client.post(
        TEMPLATES,
        headers=admin,
        json={
            "event_type": "booking.created",
            "channel": "email",
            "locale": "en",
            "subject": "Hi",
            "body_html": "<p>ok</p>\n<p>{{ credit_card }}</p>",
        },
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"]["line"] == 2
    assert unknown.json()["error"]["details"]["variable"] == "credit_card"

    sandboxed = await client.post(
        TEMPLATES,
        headers=admin,
        json={
            "event_type": "general",
            "channel": "email",
            "locale": "en",
            "subject": "{{ title.__class__.__mro__ }}",
            "body_text": "x",
        },
    )
    preview = await client.post(
        f"{TEMPLATES}/preview",
        headers=admin,
        json={
            "event_type": "general",
            "subject": "{{ title.__class__.__mro__ }}",
            "body_text": "x",
        },
    )
    assert sandboxed.status_code in (201, 422)
    assert preview.status_code == 422


async def test_admin_override_is_used_and_previewed(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    guest, guest_headers = await signed_in(client, database)
    created = await client.post(
        TEMPLATES,
        headers=admin,
        json={
            "event_type": "booking.created",
            "channel": "email",
            "locale": "en",
            "subject": "Karibu! {{ booking.reference }}",
            "body_text": "Room {{ booking.room_number }}",
            "body_html": "<p>Room {{ booking.room_number }}</p>",
        },
    )
    assert created.status_code == 201, created.text
    duplicate = await client.post(
        TEMPLATES,
        headers=admin,
        json={"event_type": "booking.created", "channel": "email", "locale": "en", "subject": "x"},
    )
    assert duplicate.status_code == 409

    preview = await client.post(
        f"{TEMPLATES}/preview", headers=admin, json={"event_type": "booking.created"}
    )
    assert preview.json()["subject"] == "Karibu! PH-7Q2K"
    assert "Premier Hotel" in preview.json()["html"]

    await emit(database, booking_created(guest))
    [email] = await rows(database, EmailQueue)
    assert email.subject == "Karibu! PH-7Q2K"

    template_id = created.json()["id"]
    assert (await client.get(TEMPLATES, headers=guest_headers)).status_code == 403
    assert (
        await client.delete(f"{TEMPLATES}/{template_id}", headers=guest_headers)
    ).status_code == 403
    assert (await client.delete(f"{TEMPLATES}/{template_id}", headers=admin)).status_code == 204
    catalog = (await client.get(f"{TEMPLATES}/catalog", headers=admin)).json()
    assert {e["event_type"] for e in catalog} >= {"booking.created", "auth.password_reset"}
    assert all(set(e["builtin"]) == {"en", "sw"} for e in catalog)
    async with database.reading() as session:
        assert (await session.scalars(select(EmailQueue))).all()
