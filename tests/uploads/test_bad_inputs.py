"""What a confused or hostile client sends is refused with a 4xx saying why, never a 500,
and never stored."""

import io
from pathlib import Path

import httpx
import pytest
from PIL import Image

from premier.db import Database
from premier.storage.settings import StorageSettings
from premier.users.models import Role
from tests.helpers import signed_in
from tests.uploads import samples
from tests.uploads.helpers import fetch, upload

NOT_AN_IMAGE = "This file is not an image we accept (JPEG, PNG, WebP or GIF)"


@pytest.fixture
def storage_settings(tmp_path: Path) -> StorageSettings:
    return StorageSettings(
        local_dir=tmp_path / "uploads", image_max_bytes=200_000, file_max_bytes=300_000
    )


@pytest.fixture
async def guest(client: httpx.AsyncClient, database: Database) -> dict[str, str]:
    return (await signed_in(client, database))[1]


def stored_files(settings: StorageSettings) -> list[Path]:
    root = settings.local_dir
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def test_a_png_named_jpg_is_taken_for_what_it_is(
    client: httpx.AsyncClient, guest: dict[str, str]
) -> None:
    response = await upload(client, guest, samples.png(), filename="me.jpg", purpose="avatar")
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == "image/png"
    assert response.json()["filename"] == "me.png"


@pytest.mark.parametrize(
    ("content", "filename", "content_type"),
    [
        (b"just some text, honestly", "photo.jpg", "image/jpeg"),
        (samples.elf_executable(), "holiday.png", "image/png"),
        (samples.svg(), "logo.svg", "image/svg+xml"),
        (samples.pdf(), "scan.jpg", "image/jpeg"),
    ],
    ids=["text-as-jpeg", "renamed-executable", "svg", "pdf-on-the-image-route"],
)
async def test_what_is_not_an_accepted_image_is_refused(
    client: httpx.AsyncClient,
    guest: dict[str, str],
    storage_settings: StorageSettings,
    content: bytes,
    filename: str,
    content_type: str,
) -> None:
    response = await upload(
        client, guest, content, filename=filename, content_type=content_type, purpose="avatar"
    )
    assert response.status_code == 415
    assert response.json()["error"] == {
        "code": "unsupported_file", "message": NOT_AN_IMAGE, "details": None,
    }  # fmt: skip
    assert stored_files(storage_settings) == []


@pytest.mark.parametrize(
    "content",
    [samples.elf_executable(), samples.zip_bomb(), samples.svg(), b"%PDF-1.4\nnot really"],
    ids=["renamed-executable", "zip-bomb", "svg", "pdf-header-only"],
)
async def test_the_file_route_accepts_pdfs_and_images_only(
    client: httpx.AsyncClient, guest: dict[str, str], content: bytes
) -> None:
    response = await upload(
        client, guest, content, filename="receipt.pdf", content_type="application/pdf",
        purpose="receipt", route="file",
    )  # fmt: skip
    assert response.status_code == 415, response.text
    assert response.json()["error"]["code"] == "unsupported_file"


async def test_a_pixel_flood_png_is_refused_before_it_is_decoded(
    client: httpx.AsyncClient, guest: dict[str, str]
) -> None:
    flood = samples.pixel_flood_png()
    assert len(flood) < 2000
    response = await upload(client, guest, flood, filename="a.png", purpose="avatar")
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("The image has too many pixels")


async def test_a_png_just_over_the_pixel_limit_is_refused(
    client: httpx.AsyncClient, guest: dict[str, str], storage_settings: StorageSettings
) -> None:
    side = int(storage_settings.image_max_pixels**0.5) + 1
    response = await upload(
        client, guest, samples.pixel_flood_png(side, side), filename="a.png", purpose="avatar"
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "bad_image"


async def test_a_truncated_image_is_refused(
    client: httpx.AsyncClient, guest: dict[str, str]
) -> None:
    response = await upload(client, guest, samples.truncated_jpeg(), purpose="avatar")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "The image is damaged or incomplete and could not be read"
    )


async def test_an_empty_file_is_refused(client: httpx.AsyncClient, guest: dict[str, str]) -> None:
    response = await upload(client, guest, b"", purpose="avatar")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "The file is empty"


async def test_a_file_over_the_limit_is_refused_with_the_limit_named(
    client: httpx.AsyncClient, guest: dict[str, str], storage_settings: StorageSettings
) -> None:
    big = samples.jpeg() + b"\x00" * 250_000  # declared length over image_max_bytes + form
    response = await upload(client, guest, big, purpose="avatar")
    assert response.status_code == 413
    assert response.json()["error"]["message"] == "The file is larger than 200 KB"
    # Within the form's allowance but over the file's own limit: refused while reading.
    near = samples.jpeg() + b"\x00" * 210_000
    response = await upload(client, guest, near, purpose="avatar")
    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "file_too_large",
        "message": "The file is larger than 200 KB",
        "details": {"limit": 200_000},
    }
    assert stored_files(storage_settings) == []


async def test_a_streamed_upload_without_a_length_is_cut_off_at_the_limit(
    client: httpx.AsyncClient, guest: dict[str, str]
) -> None:
    sent = 0

    async def endless() -> object:
        nonlocal sent
        yield (
            b'--b\r\nContent-Disposition: form-data; name="purpose"\r\n\r\navatar\r\n'
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.jpg"\r\n'
            b"Content-Type: image/jpeg\r\n\r\n"
        )
        for _ in range(10_000):  # 640 MB if it were all read
            sent += 65_536
            yield b"\xff" * 65_536

    response = await client.post(
        "/api/v1/uploads/image",
        headers={**guest, "Content-Type": "multipart/form-data; boundary=b"},
        content=endless(),
    )
    assert response.status_code == 413
    assert sent < 2_000_000


@pytest.mark.parametrize(
    ("sent_name", "shown"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\system32\\evil.png", "evil.png"),
        ("chambre d\u2019hôtel 🛏.png", "chambre d\u2019hôtel 🛏.png"),
        ("Zimmer\u202e\u200b.png", "Zimmer.png"),
        ("..", "upload.png"),
    ],
)
async def test_file_names_are_shown_cleaned_and_never_name_a_stored_object(
    client: httpx.AsyncClient,
    guest: dict[str, str],
    storage_settings: StorageSettings,
    sent_name: str,
    shown: str,
) -> None:
    response = await upload(client, guest, samples.png(), filename=sent_name, purpose="avatar")
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == shown
    root = storage_settings.local_dir.resolve()
    for path in stored_files(storage_settings):
        assert root in path.resolve().parents
        assert path.name in {"original.png", "thumbnail.webp", "medium.webp", "large.webp"}


async def test_a_polyglot_keeps_its_pixels_and_nothing_else(
    client: httpx.AsyncClient, guest: dict[str, str]
) -> None:
    sent = samples.polyglot_jpeg()
    assert Image.open(io.BytesIO(sent)).size == (32, 32)  # a real image
    response = await upload(client, guest, sent, purpose="avatar")
    assert response.status_code == 201, response.text
    stored = (await fetch(client, response.json()["url"])).content
    assert b"<script>" not in stored and b"payload.sh" not in stored
    assert Image.open(io.BytesIO(stored)).size == (32, 32)


async def test_each_route_names_what_is_wrong_with_the_form(
    client: httpx.AsyncClient, guest: dict[str, str]
) -> None:
    no_file = await client.post(
        "/api/v1/uploads/image", headers=guest, data={"purpose": "avatar"}, files={"x": b"1"}
    )
    assert no_file.status_code == 422
    assert "file" in no_file.json()["error"]["message"]
    not_multipart = await client.post("/api/v1/uploads/image", headers=guest, json={"a": 1})
    assert not_multipart.status_code == 422
    assert "multipart/form-data" in not_multipart.json()["error"]["message"]


async def test_gif_and_webp_are_accepted(client: httpx.AsyncClient, database: Database) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    for content, kind in ((samples.gif(), "image/gif"), (samples.webp(), "image/webp")):
        response = await upload(client, manager, content, filename="x")
        assert response.status_code == 201, response.text
        assert response.json()["content_type"] == kind
