"""Notification groups: managers name a set of users that notifications can target."""

import httpx

from premier.config import Settings
from premier.db import Database
from premier.email.models import EmailQueue
from premier.notifications import groups
from premier.notifications.service import notify
from premier.users.models import Role
from tests.helpers import make_user, signed_in
from tests.notifications.test_notify import rows

API = "/api/v1/notification-groups"


async def test_groups_crud_and_notifying_a_group(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    _, guest = await signed_in(client, database)
    a, b, c = [await make_user(database) for _ in range(3)]
    created = await client.post(
        API, headers=manager, json={"name": "Night shift", "user_ids": [a, b, b]}
    )
    assert created.status_code == 201, created.text
    group = created.json()
    assert group["user_ids"] == sorted([a, b])
    assert (
        await client.post(API, headers=manager, json={"name": "Night shift"})
    ).status_code == 409
    unknown = await client.post(API, headers=manager, json={"name": "X", "user_ids": [999999]})
    assert unknown.status_code == 422
    assert (await client.get(API, headers=guest)).status_code == 403

    changed = await client.put(
        f"{API}/{group['id']}/members", headers=manager, json={"user_ids": [b, c]}
    )
    assert changed.json()["user_ids"] == sorted([b, c])
    listed = (await client.get(API, headers=manager)).json()
    assert [g["user_ids"] for g in listed] == [sorted([b, c])]

    async with database.writing() as session:
        members = await groups.member_ids(session=session, group_id=group["id"])
        await notify(
            session=session,
            settings=settings,
            recipients=members,
            event_type="general",
            context={"title": "t", "message": "m", "url": None},
        )
        await session.commit()
    assert sorted(e.user_id for e in await rows(database, EmailQueue)) == sorted([b, c])
    assert (await client.delete(f"{API}/{group['id']}", headers=manager)).status_code == 204
    assert (await client.delete(f"{API}/{group['id']}", headers=manager)).status_code == 404
