"""Small helpers the tests share: accounts and signing in."""

import itertools
from datetime import date, timedelta
from typing import Any

import httpx

from premier import events
from premier.config import Settings
from premier.db import Database
from premier.events.dispatcher import EventDispatcher
from premier.kit.time import hotel_today
from premier.users import service as users
from premier.users.models import Department, Role

PASSWORD = "correct-horse-battery"


def hotel_date(days: int = 0) -> date:
    """A date in the hotel's time zone, which is what the API compares stays against."""
    zone = Settings.model_fields["hotel_timezone"].default
    return hotel_today(zone) + timedelta(days=days)


_counter = itertools.count(1)


async def make_user(
    database: Database,
    *,
    role: Role = Role.GUEST,
    department: Department | None = None,
    email: str | None = None,
    is_vip: bool = False,
) -> int:
    email = email or f"user{next(_counter)}-{role.value}@example.com"
    async with database.writing() as session:
        user = await users.create_user(
            session=session, email=email, password=PASSWORD, full_name=email.split("@")[0],
            role=role, department=department, is_vip=is_vip, phone="+254712345678",
        )  # fmt: skip
        await session.commit()
        return user.id


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def signed_in(
    client: httpx.AsyncClient,
    database: Database,
    *,
    role: Role = Role.GUEST,
    department: Department | None = None,
) -> tuple[int, dict[str, str]]:
    """Create an account with this role and return its id and auth headers."""
    email = f"user{next(_counter)}-{role.value}@example.com"
    user_id = await make_user(database, role=role, department=department, email=email)
    return user_id, await login(client, email)


async def make_room_type(
    database: Database,
    *,
    rooms: int = 1,
    capacity: int = 2,
    base_rate: int = 1_000_000,
    code: str | None = None,
) -> int:
    """A room type with `rooms` rooms in service; returns the room type id."""
    from premier.rooms.models import Room, RoomType

    n = next(_counter)
    async with database.writing() as session:
        room_type = RoomType(
            code=code or f"T{n}", name=f"Type {n}", description="", capacity=capacity,
            base_rate=base_rate, currency="KES", image_urls=[], amenities=["wifi"],
        )  # fmt: skip
        session.add(room_type)
        await session.flush()
        for i in range(rooms):
            session.add(Room(number=f"{n}{i:02d}", floor=1, room_type_id=room_type.id))
        await session.commit()
        return room_type.id


async def make_menu_item(
    database: Database, *, price: int = 50_000, available: bool = True, name: str = "Chai"
) -> int:
    from premier.orders.models import MenuItem

    async with database.writing() as session:
        item = MenuItem(
            name=name, category="Drinks", price=price, currency="KES", is_available=available
        )
        session.add(item)
        await session.commit()
        return item.id


async def checked_in_stay(
    client: httpx.AsyncClient, database: Database, guest: dict[str, str]
) -> dict:
    """Book a room from today for the guest and check it in through the front desk."""
    room_type = await make_room_type(database)
    today = hotel_date()
    booking = (
        await client.post(
            "/api/v1/bookings",
            json={"room_type_id": room_type, "check_in": str(today),
                  "check_out": str(today + timedelta(days=2))},
            headers=guest,
        )
    ).json()  # fmt: skip
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    response = await client.post(f"/api/v1/bookings/{booking['id']}/check-in", headers=desk)
    assert response.status_code == 200, response.text
    return response.json()


async def commit_events(database: Database, *domain_events: events.DomainEvent) -> None:
    """Commit events as a service would with its change."""
    async with database.writing() as session:
        for event in domain_events:
            await events.emit(session, event)
        await events.commit(session)


async def emit_and_fan_out(database: Database, *domain_events: events.DomainEvent) -> None:
    """Commit events, then run their deferred subscribers, as the dispatcher does moments
    later."""
    await commit_events(database, *domain_events)
    async with database.reading() as session:
        bus = events.bus_of(session)
    assert bus is not None, "the database carries the app's bus"
    await EventDispatcher(database=database, bus=bus).drain()


# --- stays at the front desk and the room status board ---------------------------------


async def desk(client: httpx.AsyncClient, database: Database) -> dict[str, str]:
    _, headers = await signed_in(
        client, database, role=Role.STAFF, department=Department.FRONT_DESK
    )
    return headers


async def stay_and_desk(
    client: httpx.AsyncClient, database: Database
) -> tuple[dict[str, str], dict[str, Any], dict[str, str]]:
    """A signed-in guest, their checked-in stay, and a front-desk clerk signed in."""
    _, guest = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    return guest, stay, await desk(client, database)


async def housekeeper(client: httpx.AsyncClient, database: Database) -> dict[str, str]:
    _, headers = await signed_in(
        client, database, role=Role.STAFF, department=Department.HOUSEKEEPING
    )
    return headers


async def booked(
    client: httpx.AsyncClient,
    database: Database,
    desk_headers: dict[str, str],
    room_type: int,
    *,
    start: int = 0,
    nights: int = 2,
) -> dict[str, Any]:
    guest_id, _ = await signed_in(client, database)
    check_in = hotel_date(start)
    body = {"room_type_id": room_type, "guest_id": guest_id, "check_in": str(check_in),
            "check_out": str(check_in + timedelta(days=nights))}  # fmt: skip
    made = await client.post("/api/v1/bookings", json=body, headers=desk_headers)
    assert made.status_code == 201, made.text
    confirmed = await client.post(
        f"/api/v1/bookings/{made.json()['id']}/confirm", headers=desk_headers
    )
    assert confirmed.status_code == 200, confirmed.text
    booking: dict[str, Any] = confirmed.json()
    return booking


async def checked_in(
    client: httpx.AsyncClient,
    database: Database,
    desk_headers: dict[str, str],
    room_type: int,
    *,
    nights: int = 2,
) -> dict[str, Any]:
    booking = await booked(client, database, desk_headers, room_type, nights=nights)
    response = await client.post(f"/api/v1/bookings/{booking['id']}/check-in", headers=desk_headers)
    assert response.status_code == 200, response.text
    stay: dict[str, Any] = response.json()
    return stay


async def board(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    response = await client.get("/api/v1/rooms/status", headers=headers)
    assert response.status_code == 200, response.text
    return {entry["number"]: entry for entry in response.json()}


async def shift_stay(database: Database, booking_id: int, *, days: int) -> None:
    """Move a stay's dates, as if it had been booked that many days earlier (the API books
    no stay in the past)."""
    from premier.bookings.models import Booking

    async with database.writing() as session:
        booking = await session.get(Booking, booking_id)
        assert booking is not None
        booking.check_in += timedelta(days=days)
        booking.check_out += timedelta(days=days)
        await session.commit()


async def check_out(
    client: httpx.AsyncClient, desk: dict[str, str], booking_id: int
) -> httpx.Response:
    """Settle what is due on the stay's folio in cash at the desk, then check the guest
    out, as the front desk does: check-out waits for a settled bill."""
    folio = await client.get(f"/api/v1/bookings/{booking_id}/folio", headers=desk)
    assert folio.status_code == 200, folio.text
    if (due := folio.json()["balance_due"]) > 0:
        await pay_cash(client, desk, booking_id, due)
    return await client.post(f"/api/v1/bookings/{booking_id}/check-out", headers=desk)


async def pay_cash(
    client: httpx.AsyncClient, desk: dict[str, str], booking_id: int, amount: int
) -> dict[str, Any]:
    """The front desk takes `amount` (KES minor units) in cash towards the stay's bill."""
    paid = await client.post(
        "/api/v1/payments/cash",
        json={"booking_id": booking_id, "amount": amount, "currency": "KES"},
        headers=desk,
    )
    assert paid.status_code == 201, paid.text
    payment: dict[str, Any] = paid.json()
    return payment
