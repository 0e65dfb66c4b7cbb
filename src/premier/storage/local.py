"""Files on the app's own disk (`var/uploads` by default), served by the app.

Every link is a token signed with the app's secret (premier.kit.signing) naming the object's
key, and for a private object an expiry: a link cannot be altered to reach another file,
and a private one stops working after `url_seconds`. A link to a deleted object stops
working at once, because serving looks for the file itself (premier.storage.local_router).
Public objects may be linked through `public_base_url` instead (a CDN whose origin is the
serving route, or a web server over the same directory).
"""

import asyncio
import contextlib
import functools
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from premier.kit import signing
from premier.storage.protocol import StoredFile, Variant

TOKEN_PURPOSE = "upload-file"  # noqa: S105 - a signing purpose, not a secret
SERVE_PREFIX = "/api/v1/uploads/files/"


class LocalStorage:
    name = "local"
    transforms = False

    def __init__(
        self,
        *,
        root: Path,
        secret: str,
        base_url: str,
        url_seconds: int,
        public_base_url: str | None = None,
    ) -> None:
        self.root = root
        self.secret = secret
        self.base_url = base_url.rstrip("/")
        self.url_seconds = url_seconds
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None

    def path_of(self, key: str) -> Path:
        """The file of a key; a key that would leave the root is refused."""
        path = PurePosixPath(key)
        if (
            path.is_absolute()
            or not path.parts
            or any(part in (".", "..") or "\\" in part or "\x00" in part for part in path.parts)
        ):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root.joinpath(*path.parts)

    async def put(self, item: StoredFile, source: Path) -> None:
        # sendfile(2): the bytes never enter Python.
        write = functools.partial(shutil.copyfile, source)
        await asyncio.to_thread(self._replace, self.path_of(item.key), write)

    async def put_bytes(self, item: StoredFile, data: bytes) -> None:
        await asyncio.to_thread(self._replace, self.path_of(item.key), Path.write_bytes, data)

    @staticmethod
    def _replace(target: Path, write: Callable[..., Any], *args: Any) -> None:
        """Write beside the target, then rename: a reader never sees half a file."""
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
        os.close(fd)
        try:
            write(Path(partial), *args)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise

    async def delete(self, items: list[StoredFile]) -> None:
        def _delete() -> None:
            for item in items:
                path = self.path_of(item.key)
                path.unlink(missing_ok=True)
                with contextlib.suppress(OSError):
                    path.parent.rmdir()  # the object's folder, once it is empty

        await asyncio.to_thread(_delete)

    async def url(self, item: StoredFile, *, variant: Variant | None = None) -> str:
        if variant is not None:
            raise ValueError("the local backend stores each variant as an object of its own")
        if item.public and self.public_base_url:
            return f"{self.public_base_url}/{item.key}"
        payload: dict[str, Any] = {"k": item.key, "t": item.content_type}
        if not item.public:
            payload["e"] = int(time.time()) + self.url_seconds
        if item.download_name:
            payload["n"] = item.download_name
        token = signing.sign(payload, secret=self.secret, purpose=TOKEN_PURPOSE)
        return f"{self.base_url}{SERVE_PREFIX}{token}"

    def read_token(self, token: str, *, now: float | None = None) -> dict[str, Any] | None:
        """The signed link's payload, or None when it is forged, altered or expired."""
        payload = signing.unsign(token, secret=self.secret, purpose=TOKEN_PURPOSE)
        if payload is None or not isinstance(payload.get("k"), str):
            return None
        expires = payload.get("e")
        if expires is not None and (
            not isinstance(expires, int) or expires < (time.time() if now is None else now)
        ):
            return None
        return payload

    async def aclose(self) -> None:
        return None
