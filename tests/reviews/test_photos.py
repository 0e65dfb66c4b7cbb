"""A guest adds their own photos to a review; the hotel's staff see them, nobody else."""

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import check_out, checked_in_stay, signed_in
from tests.uploads import samples
from tests.uploads.helpers import fetch, upload


async def _finished_stay(
    client: httpx.AsyncClient, database: Database, guest: dict[str, str]
) -> int:
    stay = await checked_in_stay(client, database, guest)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    assert (await check_out(client, desk, stay["id"])).is_success
    return int(stay["id"])


async def _photo(client: httpx.AsyncClient, headers: dict[str, str], size: int = 640) -> int:
    response = await upload(client, headers, samples.jpeg(size, 480), purpose="review")
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_a_review_shows_its_photos_in_order_to_the_guest_and_the_managers(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    booking_id = await _finished_stay(client, database, guest)
    photos = [await _photo(client, guest, 640), await _photo(client, guest, 700)]
    body = {"booking_id": booking_id, "rating": 4, "photo_upload_ids": photos[::-1]}
    created = await client.post("/api/v1/reviews", json=body, headers=guest)
    assert created.status_code == 201, created.text
    assert [p["upload_id"] for p in created.json()["photos"]] == photos[::-1]
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    [review] = (await client.get("/api/v1/reviews", headers=manager)).json()["items"]
    assert [p["upload_id"] for p in review["photos"]] == photos[::-1]
    shown = await fetch(client, review["photos"][0]["thumbnail_url"])
    assert shown.status_code == 200
    assert shown.headers["content-type"] == "image/webp"


async def test_a_guest_cannot_put_someone_elses_photo_in_their_review(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, other = await signed_in(client, database)
    booking_id = await _finished_stay(client, database, guest)
    theirs = await _photo(client, other)
    body = {"booking_id": booking_id, "rating": 5, "photo_upload_ids": [theirs]}
    refused = await client.post("/api/v1/reviews", json=body, headers=guest)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "unknown_upload"
    # Nothing half-made: the stay can still be reviewed.
    retry = await client.post(
        "/api/v1/reviews", json={"booking_id": booking_id, "rating": 5}, headers=guest
    )
    assert retry.status_code == 201


async def test_too_many_or_repeated_photos_are_refused_with_a_reason(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    booking_id = await _finished_stay(client, database, guest)
    photo = await _photo(client, guest)
    many = {"booking_id": booking_id, "rating": 5, "photo_upload_ids": [photo] * 5}
    assert (await client.post("/api/v1/reviews", json=many, headers=guest)).status_code == 422
    twice = {"booking_id": booking_id, "rating": 5, "photo_upload_ids": [photo, photo]}
    refused = await client.post("/api/v1/reviews", json=twice, headers=guest)
    assert refused.status_code == 422
    assert "twice" in refused.json()["error"]["message"]
