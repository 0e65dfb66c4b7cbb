"""Who is online, over the real WebSocket: colleagues see each other come and go (a second
tab changes nothing), a guest only whether the department is available."""

from typing import Any

import httpx
import pytest

from premier.config import Settings
from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import signed_in
from tests.messaging.helpers import API, staff_member, token
from tests.realtime.conftest import prefix  # noqa: F401 (a fixture)
from tests.realtime.instances import REDIS_URL
from tests.realtime.wsclient import ws_client


@pytest.fixture(params=["in_process", "redis"])
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """Offline as soon as the last socket closes (no grace for a reload); presence kept in
    this process, and in Redis when there is one to test with."""
    update: dict[str, Any] = {"realtime_presence_grace_seconds": 0}
    if request.param == "redis":
        if not REDIS_URL:
            pytest.skip("presence in Redis needs PREMIER_TEST_REDIS_URL")
        update |= {"redis_url": REDIS_URL, "redis_prefix": request.getfixturevalue("prefix")}
    return settings.model_copy(update=update)


async def settled(app: Any) -> None:
    await app.state.realtime.presence.settled()
    await app.state.realtime.wait_published()


async def presence(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get(f"{API}/presence/front_desk", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_colleagues_see_each_other_come_and_go_and_two_tabs_count_once(
    app: Any, url: str, client: httpx.AsyncClient, database: Database
) -> None:
    _, watcher = await staff_member(client, database, Department.FRONT_DESK)
    faith_id, faith = await staff_member(client, database, Department.FRONT_DESK)
    async with ws_client(url, token=token(watcher)) as watching:
        await settled(app)  # the watcher's own arrival is before their subscription
        await watching.subscribe("presence:front_desk")
        async with ws_client(url, token=token(faith)) as first_tab:
            came = await watching.event("presence.changed", channel="presence:front_desk")
            assert came["data"]["user_id"] == faith_id
            assert came["data"]["online"] is True
            assert came["data"]["online_count"] == 2  # the watcher and Faith
            names = [p["user_id"] for p in (await presence(client, watcher))["online"]]
            assert faith_id in names
            async with ws_client(url, token=token(faith)) as second_tab:
                await second_tab.barrier()
                await first_tab.ws.close()
                await settled(app)
                # One tab is still open: Faith is online; nothing was said.
                await watching.barrier()
                online = (await presence(client, watcher))["online"]
                assert faith_id in [p["user_id"] for p in online]
            went = await watching.event("presence.changed", channel="presence:front_desk")
        assert went["data"] == {**went["data"], "user_id": faith_id, "online": False,
                                "online_count": 1}  # fmt: skip
        listed = (await presence(client, watcher))["online"]
        assert faith_id not in [p["user_id"] for p in listed]
        assert len(listed) == 1


async def test_a_guest_hears_only_whether_the_desk_is_available(
    app: Any, url: str, client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    assert await presence(client, guest) == {"department": "front_desk", "available": False,
                                             "online": None}  # fmt: skip
    async with ws_client(url, token=token(guest)) as guest_ws:
        assert (await guest_ws.subscribe("online:front_desk"))["type"] == "subscribed"
        # Who is online is the department's business.
        assert (await guest_ws.subscribe("presence:front_desk"))["type"] == "error"
        async with ws_client(url, token=token(desk)):
            available = await guest_ws.event("presence.available", channel="online:front_desk")
            assert available["data"]["available"] is True
            said = set(available["data"]) - {"event_id", "occurred_at"}
            assert said == {"department", "available"}  # and nobody's name or id
            assert await presence(client, guest) == {"department": "front_desk",
                                                     "available": True, "online": None}  # fmt: skip
        gone = await guest_ws.event("presence.available", channel="online:front_desk")
        assert gone["data"]["available"] is False


async def test_guests_and_managers_sockets_make_nobody_online(
    app: Any, url: str, client: httpx.AsyncClient, database: Database
) -> None:
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    _, guest = await signed_in(client, database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    async with ws_client(url, token=token(guest)), ws_client(url, token=token(manager)):
        await settled(app)
        assert await presence(client, desk) == {"department": "front_desk", "available": False,
                                                "online": []}  # fmt: skip


@pytest.mark.parametrize(
    ("role", "department", "sees_names"),
    [
        (Role.GUEST, None, False),
        (Role.STAFF, Department.FRONT_DESK, True),
        (Role.STAFF, Department.KITCHEN, False),
        (Role.STAFF, Department.HOUSEKEEPING, False),
        (Role.STAFF, Department.MAINTENANCE, False),
        (Role.STAFF, Department.CONCIERGE, False),
        (Role.MANAGER, None, True),
        (Role.ADMIN, None, True),
    ],
)
async def test_who_is_online_is_shown_to_the_department_and_managers_only(
    app: Any,
    url: str,
    client: httpx.AsyncClient,
    database: Database,
    role: Role,
    department: Department | None,
    sees_names: bool,
) -> None:
    desk_id, desk = await staff_member(client, database, Department.FRONT_DESK)
    _, asker = await signed_in(client, database, role=role, department=department)
    async with ws_client(url, token=token(desk)):
        await settled(app)
        seen = await presence(client, asker)
        assert seen["available"] is True
        if sees_names:
            assert [p["user_id"] for p in seen["online"]] == [desk_id]
        else:
            assert seen["online"] is None
        async with ws_client(url, token=token(asker)) as ws:
            answer = await ws.subscribe("presence:front_desk")
            assert answer["type"] == ("subscribed" if sees_names else "error")
            assert (await ws.subscribe("online:front_desk"))["type"] == "subscribed"


async def test_presence_of_an_unknown_department_is_refused_clearly(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    response = await client.get(f"{API}/presence/spa", headers=guest)
    assert response.status_code == 422
