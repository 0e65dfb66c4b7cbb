"""The S3 backend against a real S3 HTTP endpoint (moto's server on 127.0.0.1)."""

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from premier.storage.protocol import IMMUTABLE, StoredFile
from premier.storage.s3 import S3Storage
from premier.storage.settings import StorageSettings
from tests.storage.conftest import BUCKET, REGION


def http_for(addressing: dict[str, Any]) -> httpx.Client:
    proxy = addressing.get("s3_proxy")
    return httpx.Client(proxy=proxy, timeout=10)


@pytest.fixture
async def storage(s3_addressing: dict[str, Any]) -> Any:
    backend = S3Storage.from_settings(
        StorageSettings(backend="s3", url_seconds=600, **s3_addressing)
    )
    yield backend
    await backend.aclose()


def source(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "object"
    path.write_bytes(content)
    return path


async def test_a_private_object_is_read_through_a_presigned_link(
    storage: S3Storage, s3_addressing: dict[str, Any], tmp_path: Path
) -> None:
    item = StoredFile(key="private/abc/original.jpg", content_type="image/jpeg", public=False)
    await storage.put(item, source(tmp_path, b"\xff\xd8 pixels"))
    url = await storage.url(item)
    with http_for(s3_addressing) as http:
        got = http.get(url)
    assert got.status_code == 200
    assert got.content == b"\xff\xd8 pixels"
    assert got.headers["content-type"] == "image/jpeg"
    assert got.headers["cache-control"] == "private, no-store"


async def test_the_addressing_style_is_the_one_configured(
    storage: S3Storage, s3_addressing: dict[str, Any]
) -> None:
    url = urlsplit(await storage.url(StoredFile("private/k/original.png", "image/png", False)))
    if s3_addressing["s3_path_style"]:
        assert url.hostname == "127.0.0.1"
        assert url.path == f"/{BUCKET}/private/k/original.png"
    else:
        assert url.hostname == f"{BUCKET}.s3.premier.test"
        assert url.path == "/private/k/original.png"


async def test_a_presigned_link_is_sigv4_expires_and_binds_its_key(storage: S3Storage) -> None:
    one = await storage.url(StoredFile("private/a/original.jpg", "image/jpeg", False))
    other = await storage.url(StoredFile("private/b/original.jpg", "image/jpeg", False))
    params = {k: v[0] for k, v in parse_qs(urlsplit(one).query).items()}
    assert params["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert params["X-Amz-Expires"] == "600"
    assert params["X-Amz-Credential"].startswith("testing-key/")
    assert params["X-Amz-Credential"].endswith(f"/{REGION}/s3/aws4_request")
    assert params["X-Amz-SignedHeaders"] == "host"
    assert len(params["X-Amz-Signature"]) == 64
    other_signature = parse_qs(urlsplit(other).query)["X-Amz-Signature"][0]
    assert other_signature != params["X-Amz-Signature"]
    assert "testing-secret" not in one


async def test_a_file_link_offers_a_download_under_its_name(
    storage: S3Storage, s3_addressing: dict[str, Any], tmp_path: Path
) -> None:
    item = StoredFile(
        key="private/f/original.pdf", content_type="application/pdf", public=False,
        download_name="Reçu n°1.pdf",
    )  # fmt: skip
    await storage.put(item, source(tmp_path, b"%PDF-1.7 ..."))
    url = await storage.url(item)
    assert "response-content-disposition" in parse_qs(urlsplit(url).query)
    with http_for(s3_addressing) as http:
        got = http.get(url)
    assert got.status_code == 200
    assert got.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Re%C3%A7u%20n%C2%B01.pdf" in got.headers["content-disposition"]


async def test_a_public_object_is_cached_for_a_year_and_linked_through_the_cdn(
    s3_addressing: dict[str, Any], tmp_path: Path
) -> None:
    backend = S3Storage.from_settings(
        StorageSettings(backend="s3", public_base_url="https://cdn.premier.test/", **s3_addressing)
    )
    item = StoredFile(key="public/0123abcd/large.webp", content_type="image/webp", public=True)
    await backend.put(item, source(tmp_path, b"RIFF....WEBP"))
    assert await backend.url(item) == "https://cdn.premier.test/public/0123abcd/large.webp"
    head = backend.client.head_object(Bucket=BUCKET, Key=item.key)
    assert head["CacheControl"] == IMMUTABLE
    assert head["ContentType"] == "image/webp"
    await backend.aclose()


async def test_a_deleted_objects_links_stop_working(
    storage: S3Storage, s3_addressing: dict[str, Any], tmp_path: Path
) -> None:
    items = [
        StoredFile(key=f"private/gone/{name}", content_type="image/webp", public=False)
        for name in ("original.jpg", "thumbnail.webp")
    ]
    for item in items:
        await storage.put(item, source(tmp_path, b"x"))
    urls = [await storage.url(item) for item in items]
    await storage.delete(items)
    await storage.delete(items)  # already gone: not an error
    with http_for(s3_addressing) as http:
        for url in urls:
            assert http.get(url).status_code == 404


async def test_a_document_made_in_memory_is_stored_as_the_same_object(
    storage: S3Storage, s3_addressing: dict[str, Any]
) -> None:
    item = StoredFile(key="private/cafe/original.pdf", content_type="application/pdf",
                      public=False, download_name="receipt.pdf")  # fmt: skip
    await storage.put_bytes(item, b"%PDF-1.4 receipt")
    with http_for(s3_addressing) as http:
        got = http.get(await storage.url(item))
    assert got.content == b"%PDF-1.4 receipt"
    assert got.headers["content-type"] == "application/pdf"
    assert 'filename="receipt.pdf"' in got.headers["content-disposition"]
