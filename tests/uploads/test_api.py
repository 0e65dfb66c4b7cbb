import io

import httpx
from PIL import Image

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import signed_in
from tests.uploads import samples
from tests.uploads.helpers import fetch, upload


async def test_a_manager_uploads_a_room_photo_and_gets_its_variants(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    response = await upload(client, manager, samples.jpeg(2400, 1600), filename="Suite.JPG")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "image"
    assert body["purpose"] == "room_type"
    assert body["filename"] == "Suite.JPG"
    assert body["content_type"] == "image/jpeg"
    assert (body["width"], body["height"]) == (2400, 1600)
    assert set(body["variants"]) == {"thumbnail", "medium", "large"}

    original = await fetch(client, body["url"])
    assert original.status_code == 200
    assert original.headers["content-type"] == "image/jpeg"
    assert original.headers["cache-control"] == "public, max-age=31536000, immutable"
    sizes = {}
    for name, url in body["variants"].items():
        variant = await fetch(client, url)
        assert variant.status_code == 200
        image = Image.open(io.BytesIO(variant.content))
        assert image.format == "WEBP"
        sizes[name] = image.size
    assert sizes == {"thumbnail": (320, 213), "medium": (960, 640), "large": (1920, 1280)}


async def test_a_small_image_is_never_enlarged(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    body = (await upload(client, manager, samples.png(40, 30), filename="x.png")).json()
    for url in body["variants"].values():
        assert Image.open(io.BytesIO((await fetch(client, url)).content)).size == (40, 30)


async def test_the_photo_is_turned_upright_and_loses_its_gps_position(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    sent = samples.jpeg(64, 48, orientation=6, gps=True)  # 6: rotate 90 degrees to view
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(samples.GPS_IFD)
    response = await upload(client, guest, sent, purpose="avatar")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["width"], body["height"]) == (48, 64)
    stored = Image.open(io.BytesIO((await fetch(client, body["url"])).content))
    assert stored.size == (48, 64)
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info


async def test_the_same_file_sent_twice_is_one_upload(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    content = samples.jpeg()
    first = await upload(client, manager, content)
    second = await upload(client, manager, content, filename="again.jpg")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]


async def test_an_upload_is_read_back_with_fresh_links(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    made = (await upload(client, guest, samples.jpeg(), purpose="avatar")).json()
    read = await client.get(f"/api/v1/uploads/{made['id']}", headers=guest)
    assert read.status_code == 200
    assert {k: v for k, v in read.json().items() if k not in ("url", "variants")} == {
        k: v for k, v in made.items() if k not in ("url", "variants")
    }
    assert (await fetch(client, read.json()["url"])).status_code == 200


async def test_a_pdf_receipt_is_a_file_offered_as_a_download(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    response = await upload(
        client, guest, samples.pdf(), purpose="receipt", filename="M-Pesa receipt.pdf",
        content_type="application/pdf", route="file",
    )  # fmt: skip
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "file"
    assert body["content_type"] == "application/pdf"
    assert body.get("variants") is None and body.get("width") is None
    got = await fetch(client, body["url"])
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment")
    assert got.headers["cache-control"] == "private, no-store"
    assert got.content == samples.pdf()


async def test_an_image_sent_as_a_file_is_cleaned_like_any_image(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    sent = samples.jpeg(gps=True)
    response = await upload(client, guest, sent, purpose="message", route="file")
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "image"
    stored = (await fetch(client, response.json()["url"])).content
    assert dict(Image.open(io.BytesIO(stored)).getexif()) == {}


async def test_a_deleted_uploads_links_stop_working(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    body = (await upload(client, guest, samples.jpeg(), purpose="avatar")).json()
    assert (await fetch(client, body["url"])).status_code == 200
    deleted = await client.delete(f"/api/v1/uploads/{body['id']}", headers=guest)
    assert deleted.status_code == 204
    for url in (body["url"], *body["variants"].values()):
        gone = await fetch(client, url)
        assert gone.status_code == 404
        assert gone.json()["error"]["code"] == "not_found"
    assert (await client.get(f"/api/v1/uploads/{body['id']}", headers=guest)).status_code == 404


async def test_a_public_photo_shared_by_two_uploads_outlives_one_of_them(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, first = await signed_in(client, database, role=Role.MANAGER)
    _, second = await signed_in(client, database, role=Role.ADMIN)
    content = samples.jpeg()
    one = (await upload(client, first, content)).json()
    two = (await upload(client, second, content)).json()
    assert one["id"] != two["id"] and one["url"] == two["url"]  # content-addressed
    assert (await client.delete(f"/api/v1/uploads/{one['id']}", headers=first)).status_code == 204
    assert (await fetch(client, two["url"])).status_code == 200
    assert (await client.delete(f"/api/v1/uploads/{two['id']}", headers=second)).status_code == 204
    assert (await fetch(client, two["url"])).status_code == 404


async def test_a_repeated_request_for_a_file_is_answered_not_modified(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    body = (await upload(client, manager, samples.jpeg())).json()
    first = await fetch(client, body["url"])
    etag = first.headers["etag"]
    again = await fetch(client, body["url"], headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = await fetch(client, body["url"], headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


async def test_kitchen_staff_upload_menu_photos_but_not_room_photos(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, cook = await signed_in(client, database, role=Role.STAFF, department=Department.KITCHEN)
    assert (await upload(client, cook, samples.jpeg(), purpose="menu_item")).status_code == 201
    refused = await upload(client, cook, samples.jpeg(), purpose="room_type")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"]


async def test_a_guest_cannot_upload_room_photos(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    assert (await upload(client, guest, samples.jpeg())).status_code == 403


async def test_an_unknown_purpose_is_refused_by_name(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    response = await upload(client, guest, samples.jpeg(), purpose="wallpaper")
    assert response.status_code == 422
    assert "purpose must be one of" in response.json()["error"]["message"]


async def test_an_anonymous_caller_cannot_upload(client: httpx.AsyncClient) -> None:
    response = await upload(client, {}, samples.jpeg())
    assert response.status_code == 401
