"""Managers answer reviews; the guest sees the answer under their review and is told."""

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import check_out, checked_in_stay, signed_in


async def _review(
    client: httpx.AsyncClient, database: Database
) -> tuple[dict[str, str], dict[str, str], int]:
    _, guest = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    assert (await check_out(client, desk, stay["id"])).is_success
    made = await client.post(
        "/api/v1/reviews",
        json={"booking_id": stay["id"], "rating": 3, "comment": "Slow breakfast"},
        headers=guest,
    )
    assert made.status_code == 201, made.text
    return guest, desk, int(made.json()["id"])


async def test_a_manager_answers_and_the_guest_reads_it_and_is_told(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, _, review_id = await _review(client, database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    answer = "Sorry about breakfast, Grace: we have a second cook from Monday."
    replied = await client.put(
        f"/api/v1/reviews/{review_id}/reply", json={"reply": f"  {answer} "}, headers=manager
    )
    assert replied.status_code == 200, replied.text
    assert replied.json()["reply"] == answer
    [mine] = (await client.get("/api/v1/reviews", headers=guest)).json()["items"]
    assert mine["reply"] == answer and mine["replied_at"]
    inbox = (await client.get("/api/v1/notifications", headers=guest)).json()["items"]
    [told] = [n for n in inbox if n["event_type"] == "review.replied"]
    assert answer in told["body"]
    assert told["target"].startswith("/my-bookings#booking-")

    taken_back = await client.put(
        f"/api/v1/reviews/{review_id}/reply", json={"reply": ""}, headers=manager
    )
    assert taken_back.json()["reply"] is None


async def test_only_managers_answer_and_bad_answers_are_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, desk, review_id = await _review(client, database)
    url = f"/api/v1/reviews/{review_id}/reply"
    for seat in (guest, desk):
        refused = await client.put(url, json={"reply": "Thanks"}, headers=seat)
        assert refused.status_code == 403
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    assert (await client.put(url, json={"reply": "x" * 2001}, headers=manager)).status_code == 422
    missing = await client.put(
        "/api/v1/reviews/999999/reply", json={"reply": "Hi"}, headers=manager
    )
    assert missing.status_code == 404
