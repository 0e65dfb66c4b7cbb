"""The WebSocket end to end over a real uvicorn: sign-in, channels, live events, resume."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from premier.config import Settings
from premier.db import Database
from premier.kit.time import utcnow
from premier.users.models import Department, Role
from tests.helpers import make_room_type, signed_in
from tests.realtime.wsclient import serving, token_for, ws_client


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """These tests book many stays for one guest to make events, so no pending cap."""
    return settings.model_copy(update={"booking_max_pending_per_guest": 0})


@pytest.fixture
async def url(app: Any) -> AsyncIterator[str]:
    async with serving(app) as base:
        yield base


def bearer(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def stay(room_type: int, start: int = 7, nights: int = 2) -> dict[str, Any]:
    check_in = utcnow().date() + timedelta(days=start)
    return {"room_type_id": room_type, "check_in": str(check_in),
            "check_out": str(check_in + timedelta(days=nights))}  # fmt: skip


async def book(client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> int:
    response = await client.post("/api/v1/bookings", json=body, headers=headers)
    assert response.status_code == 201, response.text
    booking_id: int = response.json()["id"]
    return booking_id


async def test_bad_tokens_are_refused_with_a_close_code_and_nothing_else(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    alice, alice_headers = await signed_in(client, database)
    bob, _ = await signed_in(client, database)
    cases = [
        (f"{url}/api/v1/ws", "not-a-jwt", 4401),
        (f"{url}/api/v1/ws", token_for(alice, secret="forged-" * 8), 4401),
        (f"{url}/api/v1/ws", token_for(alice, seconds=-5), 4401),
        (f"{url}/api/v1/ws/{bob}", bearer(alice_headers), 4403),
        (f"{url}/api/v1/ws/{alice}", token_for(alice, ver=7), 4401),  # revoked by version
    ]
    for address, token, code in cases:
        async with ws_client(address, token=token, ready=False) as ws:
            with pytest.raises(ConnectionClosed):  # closed before any frame is sent
                await asyncio.wait_for(ws.ws.recv(), 10)
            assert ws.ws.close_code == code, (address, token)

    # Without a query token, the first message must be an auth frame.
    async with ws_client(f"{url}/api/v1/ws", ready=False) as ws:
        await ws.send({"type": "subscribe", "channel": f"user:{alice}"})
        assert (await ws.closed_with())[0] == 4401
    async with ws_client(f"{url}/api/v1/ws/{alice}", ready=False) as ws:
        await ws.send({"type": "auth", "token": bearer(alice_headers)})
        ready = await ws.expect("ready", user_id=alice)
        assert ready["expires_at"] > utcnow().timestamp()


async def test_booking_changes_reach_the_guest_and_the_front_desk_live(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    guest, guest_headers = await signed_in(client, database)
    _, desk_headers = await signed_in(client, database, role=Role.STAFF,
                                      department=Department.FRONT_DESK)  # fmt: skip
    async with (
        ws_client(f"{url}/api/v1/ws/{guest}", token=bearer(guest_headers)) as guest_ws,
        ws_client(f"{url}/api/v1/ws", token=bearer(desk_headers)) as desk_ws,
    ):
        assert (await guest_ws.subscribe(f"user:{guest}"))["type"] == "subscribed"
        assert (await desk_ws.subscribe("department:front_desk"))["type"] == "subscribed"

        booking_id = await book(client, guest_headers, stay(room_type))
        created = await desk_ws.expect("event", event="booking.created",
                                       channel="department:front_desk", seq=1)  # fmt: skip
        assert created["data"]["booking_id"] == booking_id
        assert created["data"]["guest_id"] == guest
        mine = await guest_ws.event("booking.created", channel=f"user:{guest}")
        assert mine["id"] == created["id"]

        subscribed = await guest_ws.subscribe(f"booking:{booking_id}")
        assert subscribed["type"] == "subscribed"
        confirm = await client.post(f"/api/v1/bookings/{booking_id}/confirm", headers=desk_headers)
        assert confirm.status_code == 200
        first = await guest_ws.event("booking.status_changed")
        second = await guest_ws.event("booking.status_changed")
        by_channel = {first["channel"]: first, second["channel"]: second}
        # Each channel counts for itself: the booking's carried booking.created before.
        assert by_channel[f"booking:{booking_id}"]["seq"] == 2
        assert by_channel[f"user:{guest}"]["seq"] > mine["seq"]
        for frame in (first, second):
            assert frame["event"] == "booking.status_changed"
            assert frame["data"]["status"] == "confirmed"
            assert frame["data"]["previous_status"] == "pending"


async def test_channels_are_only_for_those_entitled(
    url: str, client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=2)
    alice, alice_headers = await signed_in(client, database)
    bob, bob_headers = await signed_in(client, database)
    _, cook_headers = await signed_in(client, database, role=Role.STAFF,
                                      department=Department.KITCHEN)  # fmt: skip
    _, manager_headers = await signed_in(client, database, role=Role.MANAGER)
    alices_booking = await book(client, alice_headers, stay(room_type))

    async def answer(headers: dict[str, str], channel: str, **extra: Any) -> dict[str, Any]:
        async with ws_client(f"{url}/api/v1/ws", token=bearer(headers)) as ws:
            return await ws.subscribe(channel, **extra)

    def code(frame: dict[str, Any]) -> str:
        return frame["code"] if frame["type"] == "error" else frame["type"]

    assert code(await answer(alice_headers, f"booking:{alices_booking}")) == "subscribed"
    # Another guest's booking does not exist as far as Bob can tell, like over REST.
    assert code(await answer(bob_headers, f"booking:{alices_booking}")) == "not_found"
    assert code(await answer(bob_headers, "booking:999999")) == "not_found"
    assert code(await answer(bob_headers, f"user:{alice}")) == "forbidden"
    assert code(await answer(bob_headers, f"user:{bob}")) == "subscribed"
    assert code(await answer(bob_headers, "department:kitchen")) == "forbidden"
    assert code(await answer(bob_headers, "role:manager")) == "forbidden"
    assert code(await answer(bob_headers, "order:1")) == "not_found"
    assert code(await answer(bob_headers, "conversation:1")) == "not_found"
    assert code(await answer(cook_headers, "department:kitchen")) == "subscribed"
    assert code(await answer(cook_headers, "department:front_desk")) == "forbidden"
    assert code(await answer(cook_headers, f"booking:{alices_booking}")) == "forbidden"
    assert code(await answer(manager_headers, f"booking:{alices_booking}")) == "subscribed"
    assert code(await answer(manager_headers, "department:housekeeping")) == "subscribed"
    assert code(await answer(manager_headers, "role:manager")) == "subscribed"
    assert code(await answer(bob_headers, "department:spa")) == "not_found"
    assert code(await answer(bob_headers, "rooms:1")) == "invalid_frame"
    assert code(await answer(bob_headers, "availability")) == "invalid_frame"
    assert code(await answer(bob_headers, f"user:{bob}", **{"from": "2026-01-01"})) == (
        "invalid_frame"
    )
    window = {"from": "2027-01-05", "to": "2027-01-01"}
    assert code(await answer(bob_headers, "availability", **window)) == "invalid_frame"


async def test_availability_subscribers_only_hear_about_their_dates(
    url: str, app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    _, guest_headers = await signed_in(client, database)
    soon, later = stay(room_type, start=3, nights=2), stay(room_type, start=40, nights=3)
    async with ws_client(f"{url}/api/v1/ws", token=bearer(guest_headers)) as ws:
        window = {"from": soon["check_in"], "to": soon["check_out"]}
        assert (await ws.subscribe("availability", **window))["type"] == "subscribed"
        await book(client, guest_headers, later)
        await book(client, guest_headers, soon)
        changed = await ws.expect("event", event="room.availability_changed", seq=2)
        assert changed["data"]["start"] == soon["check_in"]
        await app.state.realtime.wait_published()
        await ws.barrier()


async def test_a_client_resumes_with_exactly_the_events_it_missed(
    url: str, app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=10)
    _, guest_headers = await signed_in(client, database)
    _, desk_headers = await signed_in(client, database, role=Role.STAFF,
                                      department=Department.FRONT_DESK)  # fmt: skip
    channel = "department:front_desk"
    async with ws_client(f"{url}/api/v1/ws", token=bearer(desk_headers)) as ws:
        await ws.subscribe(channel)
        await book(client, guest_headers, stay(room_type, start=1))
        last = await ws.expect("event", seq=1)

    # Missed while offline: three more bookings.
    for start in (2, 3, 4):
        await book(client, guest_headers, stay(room_type, start=start))
    await app.state.realtime.wait_published()

    for resume in ({"last_event_id": last["id"], "last_seq": 1}, {"last_event_id": last["id"]}):
        async with ws_client(f"{url}/api/v1/ws", token=bearer(desk_headers)) as ws:
            subscribed = await ws.subscribe(channel, **resume)
            assert subscribed["type"] == "subscribed"
            assert subscribed["replayed"] == 3
            replayed = [await ws.expect("event") for _ in range(3)]
            assert [f["seq"] for f in replayed] == [2, 3, 4]
            assert [f["data"]["check_in"] for f in replayed] == [
                stay(room_type, start=s)["check_in"] for s in (2, 3, 4)
            ]
            await ws.barrier()  # and nothing twice

    # Caught up: resuming from the newest event replays nothing, then live events follow.
    async with ws_client(f"{url}/api/v1/ws", token=bearer(desk_headers)) as ws:
        head = await ws.subscribe(channel, last_event_id=replayed[-1]["id"], last_seq=4)
        assert (head["type"], head["replayed"], head["seq"]) == ("subscribed", 0, 4)
        await book(client, guest_headers, stay(room_type, start=5))
        assert (await ws.expect("event"))["seq"] == 5


async def test_a_gap_beyond_the_history_window_asks_the_client_to_resync(
    app: Any, client: httpx.AsyncClient, database: Database, settings: Any
) -> None:
    app.state.realtime.history_max_events = 3
    room_type = await make_room_type(database, rooms=10)
    _, guest_headers = await signed_in(client, database)
    _, desk_headers = await signed_in(client, database, role=Role.MANAGER)
    channel = "department:front_desk"
    async with serving(app) as url:
        async with ws_client(f"{url}/api/v1/ws", token=bearer(desk_headers)) as ws:
            await ws.subscribe(channel)
            await book(client, guest_headers, stay(room_type, start=1))
            last = await ws.expect("event", seq=1)
        for start in (2, 3, 4, 5):
            await book(client, guest_headers, stay(room_type, start=start))
        await app.state.realtime.wait_published()
        async with ws_client(f"{url}/api/v1/ws", token=bearer(desk_headers)) as ws:
            await ws.send({"type": "subscribe", "channel": channel, "last_event_id": last["id"]})
            resync = await ws.expect("resync", channel=channel, seq=5)
            assert resync["reason"] == "history_expired"
            await ws.expect("subscribed", seq=5, replayed=0)
            # Unknown (or made-up) positions resync as well.
            unknown = {"type": "subscribe", "channel": channel, "last_event_id": "f" * 32}
            await ws.send(unknown)
            await ws.expect("resync")
            await ws.expect("subscribed")
            await book(client, guest_headers, stay(room_type, start=6))
            assert (await ws.expect("event"))["seq"] == 6
