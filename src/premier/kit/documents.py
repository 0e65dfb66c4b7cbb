"""Files the system makes for people (a payment's receipt): bytes in, a private upload out.

Domains keep only the upload id; where the file lives and which link serves it belong to
the uploads service, as with photos (premier.kit.images). The app puts one on
`app.state.documents` (premier.uploads.library).
"""

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class DocumentStore(Protocol):
    async def keep(
        self,
        session: AsyncSession,
        *,
        owner_id: int,
        purpose: str,
        filename: str,
        content_type: str,
        data: bytes,
    ) -> int:
        """Store a file made for `owner_id` (in the caller's transaction); its upload id."""
        ...

    async def link(self, session: AsyncSession, upload_id: int) -> str | None:
        """A link to the file (signed and expiring when private); None once it is gone."""
        ...
