"""The uploads API with its files in S3 (moto's server): what a guest's browser loads."""

from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from premier.db import Database
from premier.storage.settings import StorageSettings
from premier.users.models import Role
from tests.helpers import signed_in
from tests.uploads import samples
from tests.uploads.helpers import upload


@pytest.fixture
def database_url(tmp_path: Any, sqlite_template: Any) -> str:
    """SQLite only: the storage backend is what is under test here."""
    import shutil

    path = tmp_path / "premier.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def storage_settings(s3_addressing: dict[str, Any]) -> StorageSettings:
    return StorageSettings(backend="s3", **s3_addressing)


async def test_a_room_photo_and_its_variants_are_stored_in_the_bucket(
    client: httpx.AsyncClient, database: Database, s3_addressing: dict[str, Any]
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    response = await upload(client, manager, samples.jpeg(1200, 800, gps=True))
    assert response.status_code == 201, response.text
    body = response.json()
    with httpx.Client(proxy=s3_addressing.get("s3_proxy"), timeout=10) as http:
        original = http.get(body["url"])
        assert original.status_code == 200
        assert original.headers["content-type"] == "image/jpeg"
        for url in body["variants"].values():
            variant = http.get(url)
            assert variant.status_code == 200
            assert variant.headers["content-type"] == "image/webp"
            assert variant.headers["cache-control"] == "public, max-age=31536000, immutable"
        deleted = await client.delete(f"/api/v1/uploads/{body['id']}", headers=manager)
        assert deleted.status_code == 204
        assert http.get(body["url"]).status_code == 404
        assert http.get(body["variants"]["thumbnail"]).status_code == 404


def _img_src(policy: str) -> list[str]:
    [directive] = [part.split()[1:] for part in policy.split(";") if "img-src" in part]
    return directive


async def test_the_web_ui_lets_the_browser_load_photos_from_the_bucket(
    client: httpx.AsyncClient, database: Database
) -> None:
    """Without the bucket in img-src the browser blocks every photo the API links to."""
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    response = await upload(client, manager, samples.jpeg(640, 480))
    assert response.status_code == 201, response.text
    allowed = _img_src(response.headers["content-security-policy"])
    body = response.json()
    for url in (body["url"], *body["variants"].values()):
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" in allowed, url
    assert "https:" not in allowed, "only the bucket, not every site"
