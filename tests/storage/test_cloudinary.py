"""The Cloudinary backend, through the official package, against a fake Upload API that
checks request signatures as Cloudinary documents them."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from premier.db import Database
from premier.kit.errors import ProviderUnavailable
from premier.storage.cloudinary import CloudinaryStorage
from premier.storage.protocol import VARIANTS, StoredFile
from premier.storage.settings import StorageSettings
from premier.users.models import Role
from tests.fakes.cloudinary import FakeCloudinary, backend_settings, running
from tests.helpers import signed_in
from tests.uploads import samples
from tests.uploads.helpers import upload


@pytest.fixture(params=["sha1", "sha256"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeCloudinary]:
    with running(FakeCloudinary(algorithm=request.param)) as fake:
        yield fake


def backend(fake: FakeCloudinary, **overrides: Any) -> CloudinaryStorage:
    return CloudinaryStorage.from_settings(StorageSettings(**backend_settings(fake, **overrides)))


def source(tmp_path: Path, content: bytes, name: str = "original.jpg") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


async def test_a_public_image_is_uploaded_signed_and_linked_with_its_variants(
    fake: FakeCloudinary, tmp_path: Path
) -> None:
    storage = backend(fake)
    item = StoredFile("public/abc123/original.jpg", "image/jpeg", public=True, kind="image")
    await storage.put(item, source(tmp_path, samples.jpeg(640, 480)))
    assert ("image", "upload", "public/abc123/original") in fake.assets
    assert "api_secret" not in fake.requests[-1]
    url = await storage.url(item)
    assert (
        url
        == f"https://res.cloudinary.com/{fake.cloud_name}/image/upload/v1/public/abc123/original.jpg"
    )
    thumbnail = await storage.url(item, variant=VARIANTS[0])
    assert thumbnail == (
        f"https://res.cloudinary.com/{fake.cloud_name}/image/upload/"
        "c_limit,h_320,w_320/v1/public/abc123/original.webp"
    )
    await storage.aclose()


async def test_a_private_image_is_authenticated_and_its_links_are_signed(
    fake: FakeCloudinary, tmp_path: Path
) -> None:
    storage = backend(fake)
    item = StoredFile("private/f00d/original.png", "image/png", public=False, kind="image")
    await storage.put(item, source(tmp_path, samples.png(), "original.png"))
    assert ("image", "authenticated", "private/f00d/original") in fake.assets
    for url in [await storage.url(item), *[await storage.url(item, variant=v) for v in VARIANTS]]:
        assert "/image/authenticated/s--" in url
        assert fake.delivery_signature_ok(url), url
        tampered = url.replace("private/f00d", "private/f00e")
        assert not fake.delivery_signature_ok(tampered)
        resized = url.replace("w_320", "w_4000") if "w_320" in url else url + "x"
        assert not fake.delivery_signature_ok(resized)
    await storage.aclose()


async def test_a_pdf_is_a_raw_asset_keeping_its_extension(
    fake: FakeCloudinary, tmp_path: Path
) -> None:
    storage = backend(fake)
    item = StoredFile("private/beef/original.pdf", "application/pdf", public=False,
                      download_name="receipt.pdf")  # fmt: skip
    await storage.put(item, source(tmp_path, samples.pdf(), "original.pdf"))
    assert ("raw", "authenticated", "private/beef/original.pdf") in fake.assets
    url = await storage.url(item)
    assert "/raw/authenticated/s--" in url and fake.delivery_signature_ok(url)
    await storage.delete([item])
    assert fake.assets == {}
    await storage.delete([item])  # already gone: not an error
    await storage.aclose()


async def test_a_document_made_in_memory_is_uploaded_like_a_file(fake: FakeCloudinary) -> None:
    storage = backend(fake)
    item = StoredFile("private/cafe/original.pdf", "application/pdf", public=False,
                      download_name="receipt.pdf")  # fmt: skip
    await storage.put_bytes(item, samples.pdf())
    assert ("raw", "authenticated", "private/cafe/original.pdf") in fake.assets
    await storage.aclose()


async def test_a_wrong_secret_is_refused_by_the_provider_and_reported(
    fake: FakeCloudinary, tmp_path: Path
) -> None:
    storage = backend(fake, cloudinary_api_secret="not-the-secret")
    item = StoredFile("public/x/original.jpg", "image/jpeg", public=True, kind="image")
    with pytest.raises(ProviderUnavailable) as refused:
        await storage.put(item, source(tmp_path, samples.jpeg()))
    assert "Invalid Signature" in refused.value.message
    assert fake.assets == {}
    await storage.aclose()


async def test_a_response_not_signed_by_the_provider_is_not_trusted(
    fake: FakeCloudinary, tmp_path: Path
) -> None:
    storage = backend(fake)
    fake.api_secret = storage.api_secret  # accepts the request ...
    original = fake.digest

    def forged(text: str) -> str:  # ... but answers with a signature of another secret
        return original(text + "x") if text.startswith("public_id=") else original(text)

    fake.digest = forged  # type: ignore[method-assign]
    item = StoredFile("public/y/original.jpg", "image/jpeg", public=True, kind="image")
    with pytest.raises(ProviderUnavailable):
        await storage.put(item, source(tmp_path, samples.jpeg()))
    await storage.aclose()


# --- the uploads API on Cloudinary -----------------------------------------------------


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    import shutil

    path = tmp_path / "premier.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def storage_settings(fake: FakeCloudinary) -> StorageSettings:
    return StorageSettings(**backend_settings(fake))


async def test_uploads_store_only_the_cleaned_original_and_link_variants_as_transformations(
    client: httpx.AsyncClient, database: Database, fake: FakeCloudinary
) -> None:
    _, guest = await signed_in(client, database, role=Role.GUEST)
    response = await upload(client, guest, samples.jpeg(800, 600, gps=True), purpose="avatar")
    assert response.status_code == 201, response.text
    body = response.json()
    assert len(fake.assets) == 1  # no variant objects: Cloudinary makes them
    [(resource_type, kind, _)] = fake.assets
    assert (resource_type, kind) == ("image", "authenticated")
    assert body["variants"]["medium"].count("c_limit,h_960,w_960") == 1
    for url in (body["url"], *body["variants"].values()):
        assert fake.delivery_signature_ok(url)
    deleted = await client.delete(f"/api/v1/uploads/{body['id']}", headers=guest)
    assert deleted.status_code == 204
    assert fake.assets == {}
