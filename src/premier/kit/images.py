"""Photos other domains show: an upload id in, its URLs out.

Room types and dishes keep only upload ids. What an upload is, where its file lives and
which URL serves it (a local path, a signed link that expires) belong to the uploads
service, so those URLs are asked for at read time, never stored. Domains talk to it through
`ImageLibrary`; the app puts one on `app.state.images` (premier.uploads.library).

`attach` is how a domain claims an upload for one of its rows: the library refuses an id it
does not know, one uploaded for another purpose, or one another account uploaded. `detach`
lets it go again (the library may then delete its files).
"""

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession


class ImageRef(BaseModel):
    """One photo as a page shows it."""

    upload_id: int
    url: str
    thumbnail_url: str
    medium_url: str
    large_url: str
    width: int | None = None
    height: int | None = None


class ImageLibrary(Protocol):
    async def resolve(
        self, session: AsyncSession, upload_ids: Sequence[int]
    ) -> dict[int, ImageRef]:
        """The URLs of the uploads that still exist; missing ids are left out."""
        ...

    async def attach(
        self,
        session: AsyncSession,
        upload_ids: Sequence[int],
        *,
        purpose: str,
        actor_id: int,
        own: bool = False,
    ) -> None:
        """Claim uploads for a row; InvalidInput naming the ids it refuses. `own`: only the
        actor's own uploads (a profile picture, a review's photos), not a colleague's."""
        ...

    async def detach(self, session: AsyncSession, upload_ids: Sequence[int]) -> None:
        """Let uploads go: no row shows them any more."""
        ...
