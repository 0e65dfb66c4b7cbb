"""Guest profiles: the desk finds a guest, sees every stay with totals, keeps their
preferences and leaves notes for colleagues; the guest sees and edits their own
preferences and never the notes."""

from datetime import timedelta
from typing import Any

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import checked_in_stay, desk, hotel_date, make_room_type, signed_in

API = "/api/v1/guests"
LIKES = {
    "pillow": "feather",
    "floor": "high",
    "dietary": ["vegetarian", "gluten_free"],
    "allergies": "peanuts",
    "language": "sw",
    "other": "Late check-out when possible",
}


async def _me(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    me: dict[str, Any] = (await client.get("/api/v1/auth/me", headers=headers)).json()
    return me


async def test_the_desk_finds_a_guest_by_name_email_or_phone(
    client: httpx.AsyncClient, database: Database
) -> None:
    staff = await desk(client, database)
    guest_id, _ = await signed_in(client, database)
    walk_in = await client.post(
        "/api/v1/users/guests",
        json={"email": "amina.odhiambo@example.com", "full_name": "Amina Odhiambo",
              "phone": "+254 700 111 222"},
        headers=staff,
    )  # fmt: skip
    assert walk_in.status_code == 201, walk_in.text
    amina = walk_in.json()["id"]
    for q in ("Amina", "odhiambo@", "0700 111 222", "111222"):
        found = (await client.get(API, params={"q": q}, headers=staff)).json()
        assert [g["id"] for g in found["items"]] == [amina], q
    everyone = (await client.get(API, params={"limit": 100}, headers=staff)).json()
    ids = {g["id"] for g in everyone["items"]}
    assert {amina, guest_id} <= ids
    assert everyone["total"] == len(everyone["items"])
    staff_ids = {(await _me(client, staff))["id"]}
    assert not ids & staff_ids, "staff accounts are not guests"
    paged = (await client.get(API, params={"limit": 1, "offset": 1}, headers=staff)).json()
    assert len(paged["items"]) == 1 and paged["offset"] == 1


async def test_a_profile_shows_every_stay_newest_first_with_totals(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest_id, guest = await signed_in(client, database)
    stay = await checked_in_stay(client, database, guest)
    room_type = await make_room_type(database, base_rate=2_000_000)
    later = await client.post(
        "/api/v1/bookings",
        json={"room_type_id": room_type, "check_in": str(hotel_date(10)),
              "check_out": str(hotel_date(10) + timedelta(days=3))},
        headers=guest,
    )  # fmt: skip
    assert later.status_code == 201, later.text
    staff = await desk(client, database)
    profile = (await client.get(f"{API}/{guest_id}", headers=staff)).json()
    assert profile["guest"]["id"] == guest_id
    assert profile["guest"]["phone"] == "+254712345678"
    assert [b["id"] for b in profile["stays"]] == [later.json()["id"], stay["id"]]
    totals = profile["totals"]
    assert totals["bookings"] == 2 and totals["stays"] == 1 and totals["nights"] == 2
    # Only the stay is billed; the booking still to come costs nothing yet.
    assert totals["billed"] == [{"amount": stay["total_amount"], "currency": "KES"}]


async def test_the_desk_and_the_guest_keep_the_guests_preferences(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest_id, guest = await signed_in(client, database)
    staff = await desk(client, database)
    empty = (await client.get(f"{API}/{guest_id}", headers=guest)).json()["preferences"]
    assert empty["pillow"] is None and empty["dietary"] == []
    saved = await client.put(f"{API}/{guest_id}/preferences", json=LIKES, headers=staff)
    assert saved.status_code == 200, saved.text
    mine = (await client.get(f"{API}/{guest_id}", headers=guest)).json()["preferences"]
    assert {k: mine[k] for k in LIKES} == LIKES
    changed = await client.put(
        f"{API}/{guest_id}/preferences", json={"pillow": "firm", "floor": "low"}, headers=guest
    )
    assert changed.status_code == 200, changed.text
    seen = (await client.get(f"{API}/{guest_id}", headers=staff)).json()["preferences"]
    assert (seen["pillow"], seen["floor"], seen["dietary"]) == ("firm", "low", [])
    assert seen["updated_by_id"] == guest_id


async def test_preferences_that_make_no_sense_are_refused_with_the_reason(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest_id, guest = await signed_in(client, database)
    for wrong in (
        {"pillow": "stone"},
        {"floor": "middle"},
        {"dietary": ["carnivore"]},
        {"language": "Kiswahili please"},
        {"allergies": "x" * 501},
        {"favourite_colour": "blue"},
    ):
        response = await client.put(f"{API}/{guest_id}/preferences", json=wrong, headers=guest)
        assert response.status_code == 422, wrong
        assert response.json()["error"]["message"]


async def test_staff_notes_are_kept_with_their_author_and_time(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest_id, _ = await signed_in(client, database)
    staff = await desk(client, database)
    _, concierge = await signed_in(
        client, database, role=Role.STAFF, department=Department.CONCIERGE
    )
    first = await client.post(
        f"{API}/{guest_id}/notes", json={"body": "Prefers the quiet side"}, headers=staff
    )
    assert first.status_code == 201, first.text
    second = await client.post(
        f"{API}/{guest_id}/notes", json={"body": "  Booked a safari  "}, headers=concierge
    )
    assert second.status_code == 201
    notes = (await client.get(f"{API}/{guest_id}/notes", headers=staff)).json()
    assert [n["body"] for n in notes["items"]] == ["Booked a safari", "Prefers the quiet side"]
    assert notes["items"][1]["author_name"] == (await _me(client, staff))["full_name"]
    assert notes["items"][0]["created_at"]
    empty = await client.post(f"{API}/{guest_id}/notes", json={"body": "   "}, headers=staff)
    assert empty.status_code == 422


async def test_a_guest_never_sees_the_staff_notes_about_them(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest_id, guest = await signed_in(client, database)
    staff = await desk(client, database)
    secret = "Asked twice for a discount"
    await client.post(f"{API}/{guest_id}/notes", json={"body": secret}, headers=staff)
    assert (await client.get(f"{API}/{guest_id}/notes", headers=guest)).status_code == 403
    refused = await client.post(f"{API}/{guest_id}/notes", json={"body": "hi"}, headers=guest)
    assert refused.status_code == 403
    # Nothing else a guest can read about themselves carries it.
    stay = await checked_in_stay(client, database, guest)
    for path in (
        f"{API}/{guest_id}",
        "/api/v1/auth/me",
        "/api/v1/bookings",
        f"/api/v1/bookings/{stay['id']}",
        f"/api/v1/bookings/{stay['id']}/overview",
    ):
        response = await client.get(path, headers=guest)
        assert response.status_code == 200, path
        assert secret not in response.text, path


async def test_a_guest_guessing_another_guests_id_finds_nothing(
    client: httpx.AsyncClient, database: Database
) -> None:
    other_id, _ = await signed_in(client, database)
    _, guest = await signed_in(client, database)
    assert (await client.get(f"{API}/{other_id}", headers=guest)).status_code == 404
    changed = await client.put(f"{API}/{other_id}/preferences", json=LIKES, headers=guest)
    assert changed.status_code == 404
    assert (await client.get(API, headers=guest)).status_code == 403


async def test_staff_ids_and_unknown_ids_are_not_guests(
    client: httpx.AsyncClient, database: Database
) -> None:
    staff = await desk(client, database)
    clerk_id = (await _me(client, staff))["id"]
    for missing in (clerk_id, 999_999):
        assert (await client.get(f"{API}/{missing}", headers=staff)).status_code == 404
        note = await client.post(f"{API}/{missing}/notes", json={"body": "x"}, headers=staff)
        assert note.status_code == 404


async def test_who_may_read_profiles_and_notes(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest_id, _ = await signed_in(client, database)
    allowed = [(Role.STAFF, Department.FRONT_DESK), (Role.STAFF, Department.CONCIERGE),
               (Role.MANAGER, None), (Role.ADMIN, None)]  # fmt: skip
    refused = [(Role.STAFF, d) for d in
               (Department.KITCHEN, Department.HOUSEKEEPING, Department.MAINTENANCE)]  # fmt: skip
    for role, department in allowed + refused:
        _, headers = await signed_in(client, database, role=role, department=department)
        expected = 200 if (role, department) in allowed else 403
        for path in (API, f"{API}/{guest_id}", f"{API}/{guest_id}/notes"):
            response = await client.get(path, headers=headers)
            assert response.status_code == expected, (role, department, path)
