"""Every change to a room's place on the board reaches every open board live: the front
desk's, housekeeping's and the managers'."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import check_out, checked_in, desk, make_room_type, signed_in
from tests.realtime.wsclient import serving, ws_client


@pytest.fixture
async def url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as base:
        yield base


def bearer(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


async def test_departure_cleaning_and_service_changes_reach_every_board_live(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=2)
    front = await desk(client, database)
    _, cleaner = await signed_in(
        client, database, role=Role.STAFF, department=Department.HOUSEKEEPING
    )
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    stay = await checked_in(client, database, front, room_type)
    async with (
        ws_client(f"{url}/api/v1/ws", token=bearer(front)) as desk_ws,
        ws_client(f"{url}/api/v1/ws", token=bearer(cleaner)) as cleaner_ws,
        ws_client(f"{url}/api/v1/ws", token=bearer(manager)) as manager_ws,
    ):
        assert (await desk_ws.subscribe("department:front_desk"))["type"] == "subscribed"
        assert (await cleaner_ws.subscribe("department:housekeeping"))["type"] == "subscribed"
        assert (await manager_ws.subscribe("role:manager"))["type"] == "subscribed"

        await check_out(client, front, stay["id"])
        # Housekeeping hears of the cleaning task, and every board of the dirty room.
        task = await cleaner_ws.event("service_request.created")
        assert task["data"]["room_number"] == stay["room_number"]
        assert task["data"]["kind"] == "housekeeping"
        for ws in (desk_ws, cleaner_ws, manager_ws):
            dirty = await ws.event("room.status_changed")
            assert dirty["data"]["room_number"] == stay["room_number"]
            assert dirty["data"]["status"] == "vacant_dirty"
            assert dirty["data"]["previous_status"] == "occupied"

        await client.post(f"/api/v1/rooms/{stay['room_id']}/clean", headers=cleaner)
        for ws in (desk_ws, cleaner_ws):
            clean = await ws.event("room.status_changed")
            assert clean["data"]["status"] == "vacant_clean"

        await client.post(
            f"/api/v1/rooms/{stay['room_id']}/out-of-service", json={"reason": "Repainting"},
            headers=manager,
        )  # fmt: skip
        closed = await cleaner_ws.event("room.status_changed", channel="department:housekeeping")
        assert closed["data"]["status"] == "out_of_service"
