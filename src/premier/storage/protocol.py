"""What the uploads domain needs from a place that keeps files.

Keys are chosen by the caller and are opaque to a backend: `public/…` keys name their
content (a SHA-256), so they never change and may be cached for a year; `private/…` keys
carry a random part and are only ever linked through signed links that expire.

A backend that derives an image's variants itself (Cloudinary, through delivery
transformations) says so with `transforms = True`: the caller then stores only the original
and asks for a variant's URL by name. The others store each variant as an object of its
own, and are asked for its key.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True, slots=True)
class Variant:
    """A resized copy of an image: fitted within `size` x `size`, as WebP."""

    name: str
    size: int


VARIANTS: tuple[Variant, ...] = (
    Variant("thumbnail", 320),
    Variant("medium", 960),
    Variant("large", 1920),
)


@dataclass(frozen=True, slots=True)
class StoredFile:
    """One object to store: its key, what it is, and whether anyone may read it."""

    key: str
    content_type: str
    public: bool
    kind: str = "file"  # "image" or "file"
    download_name: str | None = None  # offered as the file name when it is downloaded

    @property
    def cache_control(self) -> str:
        return IMMUTABLE if self.public else "private, no-store"


class Storage(Protocol):
    name: str
    transforms: bool

    async def put(self, item: StoredFile, source: Path) -> None:
        """Store the file at `source` under `item.key`, streaming it from disk."""
        ...

    async def put_bytes(self, item: StoredFile, data: bytes) -> None:
        """Store a small file the system made itself (a receipt), held in memory."""
        ...

    async def delete(self, items: list[StoredFile]) -> None:
        """Delete these objects; one already gone is not an error."""
        ...

    async def url(self, item: StoredFile, *, variant: Variant | None = None) -> str:
        """A link to the object: its public URL, or a signed one that expires."""
        ...

    async def aclose(self) -> None: ...
