"""Who sees whose uploads, and what a link is worth once altered, expired or deleted."""

import time

import httpx
import pytest

from premier.db import Database
from premier.kit import signing
from premier.storage.local import TOKEN_PURPOSE
from premier.users.models import Department, Role
from tests.conftest import TEST_SECRET
from tests.helpers import signed_in
from tests.uploads import samples
from tests.uploads.helpers import fetch, path_of, upload

FILES = "/api/v1/uploads/files/"


async def staff(client: httpx.AsyncClient, database: Database, department: Department) -> dict:
    return (await signed_in(client, database, role=Role.STAFF, department=department))[1]


async def test_a_guest_cannot_see_or_delete_another_guests_avatar(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, owner = await signed_in(client, database)
    _, other = await signed_in(client, database)
    made = (await upload(client, owner, samples.jpeg(), purpose="avatar")).json()
    read = await client.get(f"/api/v1/uploads/{made['id']}", headers=other)
    assert read.status_code == 404
    assert (await client.delete(f"/api/v1/uploads/{made['id']}", headers=other)).status_code == 404
    assert (await client.get(f"/api/v1/uploads/{made['id']}", headers=owner)).status_code == 200


@pytest.mark.parametrize("purpose", ["avatar", "review", "message"])
async def test_the_staff_see_guests_private_photos_but_only_management_deletes_them(
    client: httpx.AsyncClient, database: Database, purpose: str
) -> None:
    _, guest = await signed_in(client, database)
    made = (await upload(client, guest, samples.jpeg(), purpose=purpose)).json()
    housekeeper = await staff(client, database, Department.HOUSEKEEPING)
    read = await client.get(f"/api/v1/uploads/{made['id']}", headers=housekeeper)
    assert read.status_code == 200
    assert (await fetch(client, read.json()["url"])).status_code == 200
    refused = await client.delete(f"/api/v1/uploads/{made['id']}", headers=housekeeper)
    assert refused.status_code == 403
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    assert (
        await client.delete(f"/api/v1/uploads/{made['id']}", headers=manager)
    ).status_code == 204


async def test_a_receipt_is_seen_by_the_front_desk_and_not_by_housekeeping(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    made = await upload(
        client, guest, samples.pdf(), purpose="receipt", route="file",
        filename="r.pdf", content_type="application/pdf",
    )  # fmt: skip
    upload_id = made.json()["id"]
    desk = await staff(client, database, Department.FRONT_DESK)
    housekeeper = await staff(client, database, Department.HOUSEKEEPING)
    assert (await client.get(f"/api/v1/uploads/{upload_id}", headers=desk)).status_code == 200
    hidden = await client.get(f"/api/v1/uploads/{upload_id}", headers=housekeeper)
    assert hidden.status_code == 404


async def test_room_photos_are_seen_by_any_guest(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    _, guest = await signed_in(client, database)
    made = (await upload(client, manager, samples.jpeg())).json()
    assert (await client.get(f"/api/v1/uploads/{made['id']}", headers=guest)).status_code == 200
    # The link itself needs no account: it is what a guest's browser loads.
    assert (await fetch(client, made["url"])).status_code == 200
    refused = await client.delete(f"/api/v1/uploads/{made['id']}", headers=guest)
    assert refused.status_code == 403


async def test_a_private_link_stops_working_when_it_expires(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    made = (await upload(client, guest, samples.jpeg(), purpose="avatar")).json()
    token = path_of(made["url"]).removeprefix(FILES)
    payload = signing.unsign(token, secret=TEST_SECRET, purpose=TOKEN_PURPOSE)
    assert payload is not None and payload["e"] > time.time()
    expired = signing.sign(
        {**payload, "e": int(time.time()) - 1}, secret=TEST_SECRET, purpose=TOKEN_PURPOSE
    )
    response = await client.get(FILES + expired)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == (
        "this link has expired or the file no longer exists"
    )


async def test_an_altered_link_reaches_nothing(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, owner = await signed_in(client, database)
    _, other = await signed_in(client, database)
    mine = (await upload(client, owner, samples.jpeg(), purpose="avatar")).json()
    theirs = (await upload(client, other, samples.png(), purpose="avatar")).json()
    token = path_of(mine["url"]).removeprefix(FILES)
    body, _, mac = token.partition(".")
    their_body = path_of(theirs["url"]).removeprefix(FILES).partition(".")[0]
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    for forged in (
        f"{their_body}.{mac}",  # another file's key under this signature
        f"{flipped}.{mac}",  # one character changed
        f"{body}.",  # no signature
        body,
        "not-a-token",
        "..%2F..%2Fetc%2Fpasswd",
    ):
        assert (await client.get(FILES + forged)).status_code == 404, forged
    # A token signed with another secret (a forged key) is refused too.
    payload = {"k": "private/x/original.jpg", "t": "image/jpeg"}
    forged = signing.sign(payload, secret="another-secret-" * 3, purpose=TOKEN_PURPOSE)
    assert (await client.get(FILES + forged)).status_code == 404
    # The real one still works.
    assert (await fetch(client, mine["url"])).status_code == 200


async def test_a_signed_key_outside_the_upload_folder_is_refused(
    client: httpx.AsyncClient,
) -> None:
    for key in ("../secret.txt", "/etc/passwd", "a/../../b", "a\\..\\b"):
        token = signing.sign(
            {"k": key, "t": "text/plain"}, secret=TEST_SECRET, purpose=TOKEN_PURPOSE
        )
        assert (await client.get(FILES + token)).status_code == 404


def test_signed_links_never_reach_the_logs() -> None:
    from premier.kit.redact import redact

    local = "GET /api/v1/uploads/files/eyJrIjoicHJpdmF0ZSJ9.c2lnbmF0dXJl HTTP/1.1"
    assert redact(local) == "GET /api/v1/uploads/files/[redacted] HTTP/1.1"
    presigned = (
        "https://b.s3.amazonaws.com/private/x/original.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIA%2F20261205&X-Amz-Signature=0123abcd&X-Amz-Expires=900"
    )
    assert "0123abcd" not in redact(presigned)
