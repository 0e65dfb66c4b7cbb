"""Any S3-compatible store: AWS S3, Supabase Storage's S3 endpoint, Cloudflare R2, MinIO.

boto3 is synchronous, so every call runs on this backend's own thread pool (one thread per
connection of its pool), never on the event loop. An upload streams from the file on disk
in one PUT (multipart past 64 MB, which the upload limits keep us under).

Links: a public object under `public_base_url` (a CDN, or the bucket's public URL) is linked
there, unsigned, and cached for a year (its key names its content). Everything else gets a
presigned GET (SigV4) that expires after `url_seconds`; a file that is not an image is
offered as a download under its shown name. Deleting an object makes its presigned links
fail at once (the store answers 404); a CDN keeps serving a public copy until it expires.
"""

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

from premier.storage.protocol import StoredFile, Variant
from premier.storage.settings import StorageSettings

T = TypeVar("T")
MB = 1024 * 1024


class S3Storage:
    name = "s3"
    transforms = False

    def __init__(
        self,
        *,
        bucket: str,
        region: str,
        endpoint_url: str | None = None,
        path_style: bool = False,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        proxy: str | None = None,
        url_seconds: int = 900,
        public_base_url: str | None = None,
        connections: int = 16,
    ) -> None:
        self.bucket = bucket
        self.url_seconds = url_seconds
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None
        config = Config(
            signature_version="s3v4",
            region_name=region,
            s3={"addressing_style": "path" if path_style else "virtual"},
            max_pool_connections=connections,
            retries={"mode": "standard", "max_attempts": 3},
            connect_timeout=5,
            read_timeout=30,
            proxies={"http": proxy, "https": proxy} if proxy else None,
        )
        self.client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=config,
        )
        self._transfer = TransferConfig(multipart_threshold=64 * MB, use_threads=False)
        self._pool = ThreadPoolExecutor(max_workers=connections, thread_name_prefix="s3")

    @classmethod
    def from_settings(cls, settings: StorageSettings) -> "S3Storage":
        assert settings.s3_bucket is not None  # StorageSettings checks it for this backend
        return cls(
            bucket=settings.s3_bucket,
            region=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url,
            path_style=settings.s3_path_style,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            proxy=settings.s3_proxy,
            url_seconds=settings.url_seconds,
            public_base_url=settings.public_base_url,
            connections=settings.s3_connections,
        )

    async def _call(self, work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(work, *args, **kwargs))

    async def put(self, item: StoredFile, source: Path) -> None:
        await self._call(
            self.client.upload_file, str(source), self.bucket, item.key,
            ExtraArgs=_object_headers(item), Config=self._transfer,
        )  # fmt: skip

    async def put_bytes(self, item: StoredFile, data: bytes) -> None:
        await self._call(
            self.client.put_object, Bucket=self.bucket, Key=item.key, Body=data,
            **_object_headers(item),
        )  # fmt: skip

    async def delete(self, items: list[StoredFile]) -> None:
        keys = list(dict.fromkeys(item.key for item in items))
        for start in range(0, len(keys), 1000):  # the most one request may name
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            await self._call(
                self.client.delete_objects,
                Bucket=self.bucket,
                Delete={"Objects": batch, "Quiet": True},
            )

    async def url(self, item: StoredFile, *, variant: Variant | None = None) -> str:
        if variant is not None:
            raise ValueError("the s3 backend stores each variant as an object of its own")
        if item.public and self.public_base_url:
            return f"{self.public_base_url}/{quote(item.key)}"
        params = {"Bucket": self.bucket, "Key": item.key}
        if item.download_name:
            params["ResponseContentDisposition"] = _attachment(item.download_name)
        # Presigning is local computation (no request), cheap enough for the event loop.
        url: str = self.client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=self.url_seconds
        )
        return url

    async def aclose(self) -> None:
        self._pool.shutdown(wait=False)
        self.client.close()


def _object_headers(item: StoredFile) -> dict[str, str]:
    headers = {"ContentType": item.content_type, "CacheControl": item.cache_control}
    if item.download_name:
        headers["ContentDisposition"] = _attachment(item.download_name)
    return headers


def _attachment(name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
