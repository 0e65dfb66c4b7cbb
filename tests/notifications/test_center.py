"""The notification centre as a person uses it across tabs and devices: each notification
names the page it leads to, and reading or clearing in one place shows everywhere at once."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from premier.config import Settings
from premier.db import Database
from tests.helpers import signed_in
from tests.notifications.test_api import API, general
from tests.realtime.wsclient import serving, ws_client


@pytest.fixture
async def url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as base:
        yield base


def bearer(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def test_each_notification_names_the_page_it_is_about(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    from premier import events
    from premier.notifications.service import notify

    guest, headers = await signed_in(client, database)
    async with database.writing() as session:
        await notify(
            session=session,
            settings=settings,
            recipients=[guest],
            event_type="general",
            context={"title": "t", "message": "m", "url": None},
            data={"booking_id": 7},
        )
        await events.commit(session)
    await general(database, settings, guest, 1)

    items = (await client.get(API, headers=headers)).json()["items"]
    assert [item["target"] for item in items] == ["/notifications", "/my-bookings#booking-7"]


async def test_reading_in_one_tab_updates_the_others_live(
    url: str, client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    guest, headers = await signed_in(client, database)
    await general(database, settings, guest, 2)
    first, second = (await client.get(API, headers=headers)).json()["items"]

    async with ws_client(f"{url}/api/v1/ws", token=bearer(headers)) as other_tab:
        await other_tab.subscribe(f"user:{guest}")
        await client.post(f"{API}/{first['id']}/read", headers=headers)
        read = await other_tab.event("notification.state_changed")
        await client.post(f"{API}/{first['id']}/unread", headers=headers)
        unread = await other_tab.event("notification.state_changed")
        await client.post(f"{API}/read-all", headers=headers)
        everything = await other_tab.event("notification.state_changed")
        await client.delete(API, headers=headers)
        cleared = await other_tab.event("notification.state_changed")

    assert (read["data"]["change"], read["data"]["notification_ids"]) == ("read", [first["id"]])
    assert unread["data"]["change"] == "unread"
    assert (everything["data"]["change"], everything["data"]["notification_ids"]) == ("read", [])
    assert cleared["data"]["change"] == "removed"
    assert (await client.get(f"{API}/unread-count", headers=headers)).json() == {"unread": 0}
    assert second["id"] != first["id"]
