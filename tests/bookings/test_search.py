"""The front desk finds a booking as the guest names it: reference, name, email or phone."""

from datetime import timedelta

import httpx
from sqlalchemy import update

from premier.db import Database
from premier.users.models import User
from tests.helpers import desk, hotel_date, make_room_type, make_user, signed_in

API = "/api/v1/bookings"


async def _booking_for(
    client: httpx.AsyncClient,
    database: Database,
    desk_headers: dict[str, str],
    *,
    name: str,
    email: str,
    phone: str,
    start: int,
) -> dict[str, str]:
    guest_id = await make_user(database, email=email)
    async with database.writing() as session:
        await session.execute(
            update(User).where(User.id == guest_id).values(full_name=name, phone=phone)
        )
        await session.commit()
    room_type = await make_room_type(database, rooms=2)
    check_in = hotel_date(start)
    made = await client.post(
        API,
        json={"room_type_id": room_type, "guest_id": guest_id, "check_in": str(check_in),
              "check_out": str(check_in + timedelta(days=2))},
        headers=desk_headers,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    booking: dict[str, str] = made.json()
    return booking


async def _found(client: httpx.AsyncClient, headers: dict[str, str], q: str) -> set[str]:
    answer = await client.get(API, params={"q": q}, headers=headers)
    assert answer.status_code == 200, answer.text
    return {b["reference"] for b in answer.json()["items"]}


async def test_the_desk_finds_a_booking_by_reference_name_email_or_phone(
    client: httpx.AsyncClient, database: Database
) -> None:
    staff = await desk(client, database)
    amina = await _booking_for(
        client, database, staff, name="Amina Otieno", email="amina.o@example.com",
        phone="+254 722 000 111", start=3,
    )  # fmt: skip
    brian = await _booking_for(
        client, database, staff, name="Brian O'Neil", email="b.oneil@example.org",
        phone="+44 20 7946 0958", start=4,
    )  # fmt: skip
    assert await _found(client, staff, amina["reference"].lower()) == {amina["reference"]}
    assert await _found(client, staff, amina["reference"][:4]) >= {amina["reference"]}
    assert await _found(client, staff, "otieno") == {amina["reference"]}
    assert await _found(client, staff, "o'neil") == {brian["reference"]}
    assert await _found(client, staff, "example.org") == {brian["reference"]}
    assert await _found(client, staff, "0722 000 111") == {amina["reference"]}
    assert await _found(client, staff, "7946-0958") == {brian["reference"]}
    assert await _found(client, staff, "100%") == set()
    assert await _found(client, staff, "a_b") == set()


async def test_a_guest_searches_only_their_own_and_a_bad_query_is_explained(
    client: httpx.AsyncClient, database: Database
) -> None:
    staff = await desk(client, database)
    theirs = await _booking_for(
        client, database, staff, name="Carol Kamau", email="carol@example.com",
        phone="+254 733 222 333", start=5,
    )  # fmt: skip
    _, guest = await signed_in(client, database)
    assert await _found(client, guest, theirs["reference"]) == set()
    assert await _found(client, guest, "Kamau") == set()
    too_short = await client.get(API, params={"q": "a"}, headers=staff)
    assert too_short.status_code == 422
    assert too_short.json()["error"]["details"]
