"""One's own profile: a name and a picture, changed by the account's owner only."""

import httpx

from premier.db import Database
from tests.helpers import signed_in
from tests.uploads import samples
from tests.uploads.helpers import fetch, upload


async def _avatar(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    response = await upload(client, headers, samples.jpeg(400, 400), purpose="avatar")
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_a_guest_sets_a_picture_and_a_name_and_sees_them_on_their_profile(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    picture = await _avatar(client, guest)
    changed = await client.patch(
        "/api/v1/auth/me",
        json={"full_name": "Amani Wanjiru", "avatar_upload_id": picture},
        headers=guest,
    )
    assert changed.status_code == 200, changed.text
    me = (await client.get("/api/v1/auth/me", headers=guest)).json()
    assert me["full_name"] == "Amani Wanjiru"
    assert me["avatar"]["upload_id"] == picture
    shown = await fetch(client, me["avatar"]["thumbnail_url"])
    assert shown.status_code == 200

    cleared = await client.patch("/api/v1/auth/me", json={"avatar_upload_id": None}, headers=guest)
    assert cleared.json()["avatar"] is None


async def test_a_picture_must_be_ones_own_avatar_upload(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, other = await signed_in(client, database)
    theirs = await _avatar(client, other)
    refused = await client.patch(
        "/api/v1/auth/me", json={"avatar_upload_id": theirs}, headers=guest
    )
    assert refused.status_code == 422
    review_photo = await upload(client, guest, samples.jpeg(300, 300), purpose="review")
    wrong_purpose = await client.patch(
        "/api/v1/auth/me", json={"avatar_upload_id": review_photo.json()["id"]}, headers=guest
    )
    assert wrong_purpose.status_code == 422
    assert (await client.get("/api/v1/auth/me", headers=guest)).json()["avatar"] is None


async def test_the_email_phone_and_role_are_not_changed_here(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    for change in ({"email": "x@example.com"}, {"phone": "+254700000000"}, {"role": "admin"},
                   {"full_name": ""}, {"full_name": None}):  # fmt: skip
        refused = await client.patch("/api/v1/auth/me", json=change, headers=guest)
        assert refused.status_code == 422, change
    assert (await client.patch("/api/v1/auth/me", json={})).status_code == 401
