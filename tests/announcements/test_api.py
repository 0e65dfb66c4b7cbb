"""Announcements as the management and their readers use them: compose from a template,
see how many it reaches, send now or at a set hotel time (once, however many workers),
follow its delivery, and an emergency that stays in front of people until acknowledged."""

import asyncio

import httpx
from sqlalchemy import func, select

from premier.announcements import service
from premier.announcements.models import AnnouncementRecipient
from premier.announcements.scheduler import AnnouncementScheduler
from premier.config import Settings
from premier.db import Database
from premier.notifications import preferences
from premier.notifications.models import Notification
from premier.users.models import Department, Role
from tests.helpers import make_user, signed_in

API = "/api/v1/announcements"


async def admin(client: httpx.AsyncClient, database: Database) -> dict[str, str]:
    return (await signed_in(client, database, role=Role.ADMIN))[1]


async def inbox(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, object]]:
    response = await client.get("/api/v1/notifications", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_an_emergency_reaches_every_guest_past_their_preferences_until_acknowledged(
    client: httpx.AsyncClient, database: Database
) -> None:
    boss = await admin(client, database)
    guest, guest_headers = await signed_in(client, database)
    async with database.writing() as session:  # this guest wants no announcements at all
        await preferences.update(
            session=session,
            user_id=guest,
            channels={"announcements": {"in_app": False, "email": False, "push": False}},
            quiet_hours=("00:00", "23:59"),
            locale=None,
            set_locale=False,
        )
    _, staff_headers = await signed_in(
        client, database, role=Role.STAFF, department=Department.KITCHEN
    )
    body = {
        "template": "emergency",
        "variables": {"instructions": "Leave by the nearest stairs."},
        "target": {"kind": "guests"},
    }

    preview = await client.post(f"{API}/preview", json=body, headers=boss)
    assert preview.status_code == 200, preview.text
    assert preview.json()["recipients"] == 1
    assert "nearest stairs" in preview.json()["body"] and preview.json()["body_sw"]
    created = await client.post(API, json=body, headers=boss)
    assert created.status_code == 201, created.text
    assert created.json()["priority"] == "emergency" and created.json()["status"] == "draft"
    sent = await client.post(f"{API}/{created.json()['id']}/send", headers=boss)
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "sent" and sent.json()["recipient_count"] == 1

    [note] = await inbox(client, guest_headers)
    assert str(note["title"]).startswith("EMERGENCY") and note["priority"] == "urgent"
    assert note["target"] == f"/notifications?announcement={created.json()['id']}"
    assert await inbox(client, staff_headers) == [], "guests only"
    progress = (await client.get(f"{API}/{created.json()['id']}/progress", headers=boss)).json()
    assert progress["channels"]["sms"] == {"queued": 1}, "every channel, SMS off or not"
    assert progress["channels"]["email"] == {"queued": 1}
    banner = (await client.get(f"{API}/emergencies", headers=guest_headers)).json()
    assert [a["id"] for a in banner] == [created.json()["id"]]

    acked = await client.post(f"{API}/{created.json()['id']}/acknowledge", headers=guest_headers)
    assert acked.status_code == 200 and acked.json()["acknowledged_at"]
    assert (await client.get(f"{API}/emergencies", headers=guest_headers)).json() == []
    who = (await client.get(f"{API}/{created.json()['id']}/acknowledgements", headers=boss)).json()
    assert who["acknowledged"] == 1 and who["waiting"] == 0
    assert who["people"][0]["user_id"] == guest


async def test_a_vip_offer_reaches_the_vip_and_not_an_ordinary_guest(
    client: httpx.AsyncClient, database: Database
) -> None:
    boss = await admin(client, database)
    vip = await make_user(database, is_vip=True)
    _, ordinary = await signed_in(client, database)
    vip_headers = await _login(client, vip, database)
    body = {
        "template": "special_offer",
        "variables": {"offer": "a free spa hour", "until": "Sunday"},
        "target": {"kind": "vips"},
    }
    assert (await client.post(f"{API}/preview", json=body, headers=boss)).json()["recipients"] == 1
    created = (await client.post(API, json=body, headers=boss)).json()
    await client.post(f"{API}/{created['id']}/send", headers=boss)

    assert [n["title"] for n in await inbox(client, vip_headers)] == [
        "Special offer: a free spa hour"
    ]
    assert await inbox(client, ordinary) == []
    mine = (await client.get(API, headers=vip_headers)).json()
    assert [a["id"] for a in mine["items"]] == [created["id"]]
    assert (await client.get(API, headers=ordinary)).json()["items"] == []
    hidden = await client.get(f"{API}/{created['id']}", headers=ordinary)
    assert hidden.status_code == 404, "not addressed to them"


async def _login(client: httpx.AsyncClient, user_id: int, database: Database) -> dict[str, str]:
    from premier.users.models import User
    from tests.helpers import login

    async with database.reading() as session:
        email = (await session.get(User, user_id)).email  # type: ignore[union-attr]
    return await login(client, email)


async def test_a_scheduled_announcement_goes_out_once_with_two_workers(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    boss = await admin(client, database)
    guests = [await make_user(database) for _ in range(3)]
    created = await client.post(
        API,
        json={
            "title": "Breakfast moves",
            "body": "Breakfast is served on the terrace tomorrow.",
            "title_sw": "Kiamsha kinywa",
            "body_sw": "Kiamsha kinywa kitaandaliwa kwenye mtaro kesho.",
            "target": {"kind": "guests"},
            "scheduled_for": "2020-01-01T09:00",  # hotel time, long due
        },
        headers=boss,
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "scheduled"
    assert created.json()["scheduled_for_local"] == "2020-01-01T09:00"

    first = AnnouncementScheduler(database=database, settings=settings, worker_id="w1")
    second = AnnouncementScheduler(database=database, settings=settings, worker_id="w2")
    counts = await asyncio.gather(first.run_once(), second.run_once())
    assert sorted(counts) == [0, 1]
    assert await first.run_once() + await second.run_once() == 0, "a restart sends nothing"

    async with database.reading() as session:
        per_person = dict(
            (
                await session.execute(
                    select(Notification.user_id, func.count())
                    .where(Notification.event_type == "announcement")
                    .group_by(Notification.user_id)
                )
            ).all()
        )
        recipients = await session.scalar(select(func.count()).select_from(AnnouncementRecipient))
    assert per_person == dict.fromkeys(guests, 1)
    assert recipients == 3


async def test_the_delivery_of_an_announcement_is_tracked_per_channel(
    client: httpx.AsyncClient, database: Database
) -> None:
    boss = await admin(client, database)
    _, guest_headers = await signed_in(client, database)
    created = (
        await client.post(
            API,
            json={"title": "Pool", "body": "The pool is open late.", "target": {"kind": "all"}},
            headers=boss,
        )
    ).json()
    sent = (await client.post(f"{API}/{created['id']}/send", headers=boss)).json()
    people = sent["recipient_count"]
    assert people >= 2

    progress = (await client.get(f"{API}/{created['id']}/progress", headers=boss)).json()
    assert progress["channels"]["in_app"] == {"delivered": people, "read": 0}
    assert progress["channels"]["email"] == {"queued": people}
    [note] = await inbox(client, guest_headers)
    await client.post(f"/api/v1/notifications/{note['id']}/read", headers=guest_headers)
    progress = (await client.get(f"{API}/{created['id']}/progress", headers=boss)).json()
    assert progress["channels"]["in_app"] == {"delivered": people - 1, "read": 1}
    assert sum(progress["channels"]["email"].values()) == people


async def test_only_the_management_writes_and_changes_stop_once_sent(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    boss = await admin(client, database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    _, guest = await signed_in(client, database)
    _, staff = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    body = {"title": "Hello", "body": "World", "target": {"kind": "staff"}}
    for headers in (guest, staff):
        refused = await client.post(API, json=body, headers=headers)
        assert refused.status_code == 403 and refused.json()["error"]["message"]

    keyed = {**body, "client_key": "compose-0001"}
    first = await client.post(API, json=keyed, headers=manager)
    again = await client.post(API, json=keyed, headers=manager)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"], "a double submit makes one"

    bad = await client.post(API, json={**body, "target": {"kind": "department"}}, headers=boss)
    assert bad.status_code == 422 and "department" in bad.text
    bad = await client.post(API, json={**body, "target": {"kind": "moon"}}, headers=boss)
    assert bad.status_code == 422
    bad = await client.post(
        API, json={"template": "event", "variables": {"event": "x"}, "target": {"kind": "all"}},
        headers=boss,
    )  # fmt: skip
    assert bad.status_code == 422 and "missing" in bad.json()["error"]["message"]

    announcement = first.json()["id"]
    edited = await client.patch(
        f"{API}/{announcement}", json={"title": "Hello all", "scheduled_for": "2031-06-01T08:30"},
        headers=boss,
    )  # fmt: skip
    assert edited.status_code == 200 and edited.json()["status"] == "scheduled"
    assert edited.json()["scheduled_for"].startswith("2031-06-01T05:30"), "Nairobi is UTC+3"
    cancelled = await client.post(f"{API}/{announcement}/cancel", headers=boss)
    assert cancelled.json()["status"] == "cancelled"
    refused = await client.post(f"{API}/{announcement}/send", headers=boss)
    assert refused.status_code == 409

    other = (await client.post(API, json=body, headers=boss)).json()["id"]
    once = await client.post(f"{API}/{other}/send", headers=boss)
    twice = await client.post(f"{API}/{other}/send", headers=boss)
    assert once.json()["sent_at"] == twice.json()["sent_at"], "sent once"
    assert (
        await client.patch(f"{API}/{other}", json={"title": "x"}, headers=boss)
    ).status_code == 409
    assert (await client.delete(f"{API}/{other}", headers=boss)).status_code == 409
    assert (await client.delete(f"{API}/{announcement}", headers=boss)).status_code == 204
    assert service.local_text(None, timezone=settings.hotel_timezone) is None
