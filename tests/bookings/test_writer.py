"""Bookings written in groups: every concurrent request is answered as if it had been
written alone, with each room given out once, prices as the availability search quoted,
and one bad request failing only itself."""

import asyncio
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from premier.bookings.models import MAX_NIGHTS, Booking, BookingStatus
from premier.bookings.service import BookingRequest, BookingWriter
from premier.db import Database
from premier.rooms.models import Room
from premier.users.models import Department, Role
from tests.bookings.test_api import TODAY, booking_body
from tests.helpers import make_room_type, make_user, signed_in


async def test_a_crowd_of_bookings_gets_each_room_once_and_the_rest_409(
    client: httpx.AsyncClient, database: Database
) -> None:
    small = await make_room_type(database, rooms=3)
    large = await make_room_type(database, rooms=5)
    guests = [await signed_in(client, database) for _ in range(16)]
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/v1/bookings", json=booking_body(small if i % 2 else large), headers=headers
            )
            for i, (_, headers) in enumerate(guests)
        )
    )
    made = [r.json() for r in responses if r.status_code == 201]
    assert sorted(r.status_code for r in responses) == [201] * 8 + [409] * 8
    assert len({b["room_id"] for b in made}) == 8, "no room given out twice"
    # What each guest was told is what was stored.
    winners = [h for (_, h), r in zip(guests, responses, strict=True) if r.status_code == 201]
    for booking, headers in zip(made, winners, strict=True):
        stored = await client.get(f"/api/v1/bookings/{booking['id']}", headers=headers)
        assert stored.json() == booking


async def test_the_booking_costs_what_the_search_quoted(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, base_rate=100_000)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    _, guest = await signed_in(client, database)
    start = TODAY + timedelta(days=20)
    await client.post(
        f"/api/v1/rooms/types/{room_type}/rates",
        json={"start_date": str(start + timedelta(days=1)),
              "end_date": str(start + timedelta(days=2)), "nightly_rate": 250_000},
        headers=manager,
    )  # fmt: skip
    stay = {"check_in": str(start), "check_out": str(start + timedelta(days=3))}
    quoted = (await client.get("/api/v1/rooms/availability", params=stay)).json()
    booked = await client.post(
        "/api/v1/bookings", json={"room_type_id": room_type, **stay}, headers=guest
    )
    assert booked.json()["total_amount"] == quoted["options"][0]["total_amount"] == 450_000


async def test_a_refused_request_in_a_group_refuses_only_itself(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    cook_id, _ = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    guest_id, guest = await signed_in(client, database)
    bookings = "/api/v1/bookings"
    nobody, cook, own, for_guest = await asyncio.gather(
        client.post(bookings, json=booking_body(room_type, guest_id=10**9), headers=desk),
        client.post(bookings, json=booking_body(room_type, guest_id=cook_id), headers=desk),
        client.post(bookings, json=booking_body(room_type), headers=guest),
        client.post(bookings, json=booking_body(room_type, guest_id=guest_id), headers=desk),
    )
    assert (nobody.status_code, cook.status_code) == (422, 422)
    assert nobody.json()["error"]["details"] == {"guest_id": 10**9}
    assert (own.status_code, for_guest.status_code) == (201, 201)
    assert own.json()["guest_id"] == for_guest.json()["guest_id"] == guest_id


def _request(room_type: int, guest: int, reference: str, nights: int = 1) -> BookingRequest:
    return BookingRequest(
        reference=reference, guest_id=guest, for_another_guest=False, room_type_id=room_type,
        check_in=TODAY + timedelta(days=5), check_out=TODAY + timedelta(days=5 + nights),
        guests=1, special_requests="", created_by_id=guest,
    )  # fmt: skip


async def test_a_group_that_fails_is_written_again_one_by_one(database: Database) -> None:
    room_type = await make_room_type(database, rooms=3)
    guest = await make_user(database)
    writer = BookingWriter(database)
    # The database refuses a stay longer than MAX_NIGHTS, failing the group's transaction.
    first, too_long, other = await asyncio.gather(
        writer.book(_request(room_type, guest, "PH-FIRST1")),
        writer.book(_request(room_type, guest, "PH-LONG01", nights=MAX_NIGHTS + 1)),
        writer.book(_request(room_type, guest, "PH-OTHER1")),
        return_exceptions=True,
    )
    assert not isinstance(first, BaseException) and first.reference == "PH-FIRST1"
    assert isinstance(too_long, IntegrityError)
    assert not isinstance(other, BaseException) and other.room_id != first.room_id


@pytest.mark.parametrize("group", [1, 3], ids=["alone", "in-a-group"])
async def test_a_reference_already_taken_is_drawn_again(database: Database, group: int) -> None:
    """References are random: a new booking that draws one an older booking has is still
    booked, under a fresh reference, and the guest is told the one that was stored."""
    room_type = await make_room_type(database, rooms=4)
    guest = await make_user(database)
    writer = BookingWriter(database)
    older = await writer.book(_request(room_type, guest, "PH-TAKEN1"))
    made = await asyncio.gather(
        writer.book(_request(room_type, guest, "PH-TAKEN1")),
        *(writer.book(_request(room_type, guest, f"PH-FRESH{i}")) for i in range(group - 1)),
    )
    clash = made[0]
    assert clash.reference not in {"PH-TAKEN1", *(m.reference for m in made[1:])}
    assert clash.room_id != older.room_id
    assert [m.reference for m in made[1:]] == [f"PH-FRESH{i}" for i in range(group - 1)]
    async with database.reading() as session:
        stored = await session.scalar(select(Booking).where(Booking.id == clash.id))
    assert stored is not None and stored.reference == clash.reference


async def test_nothing_is_booked_for_a_request_gone_before_its_group(
    database: Database,
) -> None:
    """A client that hangs up before its group is written books nothing."""
    room_type = await make_room_type(database, rooms=1)
    guest = await make_user(database)
    writer = BookingWriter(database)
    stay = dict(
        guest_id=guest, for_another_guest=False, room_type_id=room_type,
        check_in=TODAY + timedelta(days=5), check_out=TODAY + timedelta(days=6), guests=1,
        special_requests="", created_by_id=guest,
    )  # fmt: skip
    gone = asyncio.ensure_future(writer.book(BookingRequest(reference="PH-GONE01", **stay)))
    await asyncio.sleep(0)  # it is now waiting for its group, which has not started
    gone.cancel()
    kept = await writer.book(BookingRequest(reference="PH-KEPT01", **stay))
    assert kept.reference == "PH-KEPT01", "the hung-up request did not take the last room"


async def test_the_longest_stay_holds_its_room_to_its_last_night(
    client: httpx.AsyncClient, database: Database
) -> None:
    """The free-room probe reads a room's bookings from MAX_NIGHTS before a stay: a stay of
    that length that began just inside the window still blocks the room, just outside not."""
    room_type = await make_room_type(database, rooms=1)
    _, guest = await signed_in(client, database)
    long_stay = booking_body(room_type, start=1, nights=MAX_NIGHTS)
    assert (await client.post("/api/v1/bookings", json=long_stay, headers=guest)).status_code == 201

    last_night = booking_body(room_type, start=MAX_NIGHTS, nights=2)
    refused = await client.post("/api/v1/bookings", json=last_night, headers=guest)
    assert refused.status_code == 409, refused.text
    after = booking_body(room_type, start=MAX_NIGHTS + 1, nights=2)
    assert (await client.post("/api/v1/bookings", json=after, headers=guest)).status_code == 201


async def test_a_booking_takes_the_first_free_room_by_number(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    guest_id, _ = await signed_in(client, database)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    numbers = []
    for start in (5, 5, 9, 5):
        body = {**booking_body(room_type, start=start), "guest_id": guest_id}
        made = await client.post("/api/v1/bookings", json=body, headers=desk)
        numbers.append(made.json()["room_number"])
    first, second, third = sorted(set(numbers))
    assert numbers == [first, second, first, third]


async def test_the_database_refuses_a_stay_longer_than_the_longest(database: Database) -> None:
    """Whatever writes it (an import, a console): the probe's window depends on it."""
    room_type = await make_room_type(database, rooms=1)
    guest = await make_user(database)
    check_in = TODAY + timedelta(days=3)
    async with database.writing() as session:
        room_id = await session.scalar(select(Room.id).where(Room.room_type_id == room_type))
        session.add(
            Booking(
                reference="PH-LONG01", guest_id=guest, room_id=room_id, room_type_id=room_type,
                check_in=check_in, check_out=check_in + timedelta(days=MAX_NIGHTS + 1),
                guests=1, status=BookingStatus.CONFIRMED, total_amount=0, currency="KES",
                created_by_id=guest,
            )
        )  # fmt: skip
        with pytest.raises(IntegrityError, match="stay_at_most_60_nights"):
            await session.commit()
