"""Cloudinary: signed uploads through the official `cloudinary` package; variants are
delivery transformations, made by Cloudinary on first request and cached by its CDN.

- Uploads are signed with the API secret (the package signs; the secret is never sent) and
  the response's own signature is checked before it is trusted.
- Public objects are `type=upload` and linked unsigned (or under `public_base_url`, a
  CDN in front of res.cloudinary.com). Private ones are `type=authenticated` and linked with
  a signed delivery URL (`s--…--` in the path), which Cloudinary refuses when altered.
  Signed delivery URLs do not expire by themselves (expiring ones need Cloudinary's token
  authentication, an add-on); deleting the object ends them, with `invalidate` purging
  CDN copies.
- Files that are not images are `resource_type=raw`; images are `image`, and a variant is
  `c_limit,w_N,h_N/f_webp` of the original.

The package is synchronous (urllib3): calls run on this backend's thread pool. It reads
the file to send into memory, bounded by the upload limits.
"""

import asyncio
import functools
import hmac
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import cloudinary.exceptions
import cloudinary.uploader
import cloudinary.utils

from premier.kit.errors import ProviderUnavailable
from premier.storage.protocol import StoredFile, Variant
from premier.storage.settings import StorageSettings

T = TypeVar("T")


class CloudinaryStorage:
    name = "cloudinary"
    transforms = True

    def __init__(
        self,
        *,
        cloud_name: str,
        api_key: str,
        api_secret: str,
        api_base_url: str = "https://api.cloudinary.com",
        signature_algorithm: str = "sha1",
        public_base_url: str | None = None,
        connections: int = 8,
    ) -> None:
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None
        self.api_secret = api_secret
        self.signature_algorithm = signature_algorithm
        # Passed on every call: the package's global configuration is never touched.
        self.account: dict[str, Any] = {
            "cloud_name": cloud_name,
            "api_key": api_key,
            "api_secret": api_secret,
            "upload_prefix": api_base_url.rstrip("/"),
            "signature_algorithm": signature_algorithm,
        }
        self._pool = ThreadPoolExecutor(max_workers=connections, thread_name_prefix="cloudinary")

    @classmethod
    def from_settings(cls, settings: StorageSettings) -> "CloudinaryStorage":
        assert settings.cloudinary_cloud_name and settings.cloudinary_api_key
        assert settings.cloudinary_api_secret  # StorageSettings checks them for this backend
        return cls(
            cloud_name=settings.cloudinary_cloud_name,
            api_key=settings.cloudinary_api_key,
            api_secret=settings.cloudinary_api_secret,
            api_base_url=settings.cloudinary_api_base_url,
            signature_algorithm=settings.cloudinary_signature_algorithm,
            public_base_url=settings.public_base_url,
            connections=settings.s3_connections,
        )

    async def _call(self, work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(work, *args, **kwargs))

    async def put(self, item: StoredFile, source: Path) -> None:
        await self._upload(item, str(source))

    async def put_bytes(self, item: StoredFile, data: bytes) -> None:
        await self._upload(item, io.BytesIO(data))

    async def _upload(self, item: StoredFile, file: str | io.BytesIO) -> None:
        public_id, resource_type, _ = _address(item)
        try:
            result: dict[str, Any] = await self._call(
                cloudinary.uploader.upload,
                file,
                public_id=public_id,
                resource_type=resource_type,
                type=_delivery_type(item),
                overwrite=True,
                unique_filename=False,
                use_filename=False,
                **self.account,
            )
        except cloudinary.exceptions.Error as exc:
            raise ProviderUnavailable(f"the file could not be stored: {exc}") from exc
        # What cloudinary.utils.verify_api_response_signature does, with our secret rather
        # than the package's global configuration.
        expected = cloudinary.utils.api_sign_request(
            {"public_id": result.get("public_id"), "version": result.get("version")},
            self.api_secret,
            self.signature_algorithm,
            signature_version=1,
        )
        if not hmac.compare_digest(str(result.get("signature", "")), str(expected)):
            raise ProviderUnavailable("the file store's answer was not signed by it")

    async def delete(self, items: list[StoredFile]) -> None:
        for item in items:
            public_id, resource_type, _ = _address(item)
            try:
                await self._call(
                    cloudinary.uploader.destroy,
                    public_id,
                    resource_type=resource_type,
                    type=_delivery_type(item),
                    invalidate=True,
                    **self.account,
                )
            except cloudinary.exceptions.NotFound:
                continue

    async def url(self, item: StoredFile, *, variant: Variant | None = None) -> str:
        public_id, resource_type, extension = _address(item)
        options: dict[str, Any] = {
            "resource_type": resource_type,
            "type": _delivery_type(item),
            "secure": True,
            "sign_url": not item.public,
            "cloud_name": self.account["cloud_name"],
            "api_secret": self.api_secret,
            "signature_algorithm": self.signature_algorithm,
        }
        if resource_type == "image":
            options["format"] = "webp" if variant else extension
        if variant is not None:
            options["transformation"] = [
                {"crop": "limit", "width": variant.size, "height": variant.size}
            ]
        url, _ = cloudinary.utils.cloudinary_url(public_id, **options)
        if item.public and self.public_base_url:
            return self.public_base_url + str(url).split("res.cloudinary.com", 1)[-1]
        return str(url)

    async def aclose(self) -> None:
        self._pool.shutdown(wait=False)


def _address(item: StoredFile) -> tuple[str, str, str]:
    """(public_id, resource_type, extension): an image's public id has no extension (its
    format is part of the delivery URL); a raw file's keeps it."""
    stem, _, extension = item.key.rpartition(".")
    if item.kind == "image":
        return stem, "image", extension
    return item.key, "raw", extension


def _delivery_type(item: StoredFile) -> str:
    return "upload" if item.public else "authenticated"
