"""Searches are answered from a cached snapshot of the hotel's rooms; whatever changes the
database, from this process or any other, shows in the very next search."""

import asyncio
from datetime import timedelta

import httpx
from sqlalchemy import text

from premier.db import Database
from tests.helpers import hotel_date, make_room_type, signed_in

TODAY = hotel_date()


def nights(start: int, count: int) -> dict[str, str]:
    check_in = TODAY + timedelta(days=start)
    return {"check_in": str(check_in), "check_out": str(check_in + timedelta(days=count))}


async def free_rooms(client: httpx.AsyncClient, start: int, count: int) -> dict[int, int]:
    response = await client.get("/api/v1/rooms/availability", params=nights(start, count))
    assert response.status_code == 200
    return {o["room_type"]["id"]: o["available_rooms"] for o in response.json()["options"]}


async def test_a_booking_takes_exactly_its_nights(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=1)
    _, guest = await signed_in(client, database)
    assert await free_rooms(client, 10, 2) == {room_type: 1}
    booked = await client.post(
        "/api/v1/bookings", json={"room_type_id": room_type, **nights(10, 2)}, headers=guest
    )
    assert booked.status_code == 201
    assert await free_rooms(client, 10, 2) == {}
    assert await free_rooms(client, 11, 1) == {}
    assert await free_rooms(client, 9, 5) == {}
    # The departure day and the night before arrival are free again.
    assert await free_rooms(client, 12, 1) == {room_type: 1}
    assert await free_rooms(client, 9, 1) == {room_type: 1}


async def test_changes_made_by_another_process_show_in_the_next_search(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=2)
    _, guest = await signed_in(client, database)
    booked = await client.post(
        "/api/v1/bookings", json={"room_type_id": room_type, **nights(5, 3)}, headers=guest
    )
    assert await free_rooms(client, 5, 3) == {room_type: 1}
    other_process = Database(database.url)  # its own engines, no events of ours
    try:
        async with other_process.writing() as session:
            await session.execute(
                text("UPDATE bookings SET status = 'cancelled' WHERE id = :id"),
                {"id": booked.json()["id"]},
            )
            await session.commit()
        assert await free_rooms(client, 5, 3) == {room_type: 2}
        async with other_process.writing() as session:
            await session.execute(
                text("UPDATE room_types SET base_rate = 1 WHERE id = :id"), {"id": room_type}
            )
            await session.commit()
        response = await client.get("/api/v1/rooms/availability", params=nights(5, 3))
        assert response.json()["options"][0]["total_amount"] == 3
        async with other_process.writing() as session:
            await session.execute(
                text("UPDATE room_types SET is_active = false WHERE id = :id"),
                {"id": room_type},
            )
            await session.commit()
        assert await free_rooms(client, 5, 3) == {}
    finally:
        await other_process.dispose()


async def test_many_concurrent_searches_all_see_the_latest_booking(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    _, guest = await signed_in(client, database)
    for round_ in range(3):
        searches = [free_rooms(client, 30, 2) for _ in range(40)]
        results = await asyncio.gather(*searches)
        assert results == [{room_type: 3 - round_}] * 40
        booked = await client.post(
            "/api/v1/bookings", json={"room_type_id": room_type, **nights(30, 2)}, headers=guest
        )
        assert booked.status_code == 201
