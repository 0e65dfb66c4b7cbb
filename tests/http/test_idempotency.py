"""A create request sent twice with one Idempotency-Key creates one thing."""

import asyncio
import contextlib
import json
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from starlette.types import Message

from premier.bookings.models import Booking
from premier.db import Database
from premier.http.models import IdempotentRequest
from premier.kit.time import utcnow
from premier.users.models import Department, Role
from tests.helpers import check_out, checked_in_stay, hotel_date, make_room_type, signed_in


def _stay(room_type_id: int, start: int = 5) -> dict[str, object]:
    check_in = hotel_date(start)
    return {"room_type_id": room_type_id, "check_in": str(check_in),
            "check_out": str(check_in + timedelta(days=2)), "guests": 1}  # fmt: skip


async def _bookings(database: Database) -> int:
    async with database.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(Booking)) or 0)


async def test_a_retried_booking_gets_the_first_answer_and_books_once(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    _, guest = await signed_in(client, database)
    headers = {**guest, "Idempotency-Key": "booking-form-1"}
    first = await client.post("/api/v1/bookings", json=_stay(room_type), headers=headers)
    again = await client.post("/api/v1/bookings", json=_stay(room_type), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["reference"] == first.json()["reference"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await _bookings(database) == 1


async def test_a_double_click_sends_two_copies_at_once_and_books_once(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    _, guest = await signed_in(client, database)
    headers = {**guest, "Idempotency-Key": "double-click"}
    answers = await asyncio.gather(
        *(client.post("/api/v1/bookings", json=_stay(room_type), headers=headers) for _ in range(4))
    )
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["error"]["code"] == "idempotent_request_in_progress"
            assert answer.headers["retry-after"] == "1"
    assert await _bookings(database) == 1
    # Once the first has answered, every later copy gets its answer.
    late = await client.post("/api/v1/bookings", json=_stay(room_type), headers=headers)
    assert late.status_code == 201
    assert late.json()["id"] in {a.json()["id"] for a in answers if a.status_code == 201}


async def test_a_key_reused_for_another_request_is_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    _, guest = await signed_in(client, database)
    headers = {**guest, "Idempotency-Key": "reused"}
    assert (
        await client.post("/api/v1/bookings", json=_stay(room_type), headers=headers)
    ).is_success
    other = await client.post("/api/v1/bookings", json=_stay(room_type, 9), headers=headers)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert await _bookings(database) == 1


async def test_a_failed_request_frees_its_key_for_the_corrected_one(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    _, guest = await signed_in(client, database)
    headers = {**guest, "Idempotency-Key": "fix-and-retry"}
    wrong = {**_stay(room_type), "guests": 0}
    assert (await client.post("/api/v1/bookings", json=wrong, headers=headers)).status_code == 422
    fixed = await client.post("/api/v1/bookings", json=_stay(room_type), headers=headers)
    assert fixed.status_code == 201


async def test_a_route_still_in_its_write_transaction_answers_and_replays(
    client: httpx.AsyncClient, database: Database
) -> None:
    """A review is answered from the route's write session after its commit, so the
    session holds SQLite's write lock until the answer is out: the answer is stored after
    that, never while the route runs (which made the request wait for itself)."""
    _, guest = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    assert (await check_out(client, desk, stay["id"])).is_success
    headers = {**guest, "Idempotency-Key": "review-form-1"}
    body = {"booking_id": stay["id"], "rating": 5, "comment": "Lovely"}
    first = await asyncio.wait_for(
        client.post("/api/v1/reviews", json=body, headers=headers), timeout=15
    )
    assert first.status_code == 201, first.text
    again = await client.post("/api/v1/reviews", json=body, headers=headers)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]


async def test_keys_belong_to_their_user(client: httpx.AsyncClient, database: Database) -> None:
    room_type = await make_room_type(database, rooms=3)
    _, alice = await signed_in(client, database)
    _, bob = await signed_in(client, database)
    mine = await client.post(
        "/api/v1/bookings", json=_stay(room_type), headers={**alice, "Idempotency-Key": "same"}
    )
    theirs = await client.post(
        "/api/v1/bookings", json=_stay(room_type), headers={**bob, "Idempotency-Key": "same"}
    )
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert "idempotent-replayed" not in theirs.headers


async def test_a_claim_left_by_a_dead_request_is_taken_over(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    user_id, guest = await signed_in(client, database)
    headers = {**guest, "Idempotency-Key": "orphaned"}
    assert (
        await client.post("/api/v1/bookings", json=_stay(room_type), headers=headers)
    ).is_success
    async with database.writing() as session:  # as if the process died before answering
        await session.execute(
            update(IdempotentRequest)
            .where(IdempotentRequest.user_id == user_id)
            .values(
                status="pending", response_body=None, created_at=utcnow() - timedelta(minutes=5)
            )
        )
        await session.commit()
    retried = await client.post("/api/v1/bookings", json=_stay(room_type), headers=headers)
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers


async def test_a_client_that_hangs_up_during_the_answer_still_booked_once(
    app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    """The phone loses its connection while the 201 arrives: the retry gets that answer."""
    room_type = await make_room_type(database, rooms=3)
    _, guest = await signed_in(client, database)
    headers = {**guest, "Idempotency-Key": "lost-answer"}
    body = json.dumps(_stay(room_type)).encode()
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/api/v1/bookings", "raw_path": b"/api/v1/bookings",
        "query_string": b"", "root_path": "", "server": ("hotel.test", 80),
        "client": ("127.0.0.1", 5000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in
                    {**headers, "Content-Type": "application/json"}.items()],
    }  # fmt: skip
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def hung_up(message: Message) -> None:
        if message["type"] == "http.response.body":
            raise OSError("connection reset by peer")

    with contextlib.suppress(OSError):
        await app(scope, receive, hung_up)
    retried = await client.post(
        "/api/v1/bookings", content=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert retried.status_code == 201
    assert retried.headers["idempotent-replayed"] == "true"
    assert await _bookings(database) == 1


async def test_bad_keys_and_anonymous_callers(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database, rooms=3)
    _, guest = await signed_in(client, database)
    bad = await client.post(
        "/api/v1/bookings", json=_stay(room_type), headers={**guest, "Idempotency-Key": "x" * 300}
    )
    assert bad.status_code == 400
    assert "Idempotency-Key" in bad.json()["error"]["message"]
    anonymous = await client.post(
        "/api/v1/bookings", json=_stay(room_type), headers={"Idempotency-Key": "anon"}
    )
    assert anonymous.status_code == 401


async def test_sign_in_answers_are_never_stored(
    client: httpx.AsyncClient, database: Database
) -> None:
    """Their bodies hold tokens: a key on a sign-in request is ignored."""
    _, guest = await signed_in(client, database)
    await client.post("/api/v1/auth/logout", headers={**guest, "Idempotency-Key": "logout"})
    async with database.reading() as session:
        assert await session.scalar(select(func.count()).select_from(IdempotentRequest)) == 0
