"""The uploads service as the image library other domains show photos from
(premier.kit.images): room-type galleries and dish photos link uploads by id."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from premier.kit.errors import InvalidInput, NotFound
from premier.kit.images import ImageRef
from premier.storage.protocol import Storage
from premier.uploads import service
from premier.uploads.models import Purpose


class UploadImages:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def resolve(
        self, session: AsyncSession, upload_ids: Sequence[int]
    ) -> dict[int, ImageRef]:
        links = await service.links_for(session, self._storage, upload_ids)
        refs = {}
        for upload_id, link in links.items():
            variants = link.variants
            refs[upload_id] = ImageRef(
                upload_id=upload_id,
                url=link.url,
                thumbnail_url=variants.thumbnail if variants else link.url,
                medium_url=variants.medium if variants else link.url,
                large_url=variants.large if variants else link.url,
                width=link.width,
                height=link.height,
            )
        return refs

    async def attach(
        self,
        session: AsyncSession,
        upload_ids: Sequence[int],
        *,
        purpose: str,
        actor_id: int,
        own: bool = False,
    ) -> None:
        """Any manager's photo may join a gallery, not only the uploader's own; an avatar
        or a review photo must be the actor's own (`own`)."""
        owner_id = actor_id if own else None
        for upload_id in upload_ids:
            try:
                await service.attach(
                    session, upload_id, purpose=Purpose(purpose), owner_id=owner_id
                )
            except NotFound:
                raise InvalidInput(
                    f"photo {upload_id} does not exist (any more); upload it again",
                    code="unknown_upload",
                    details={"field": "upload_ids", "upload_id": upload_id},
                ) from None

    async def detach(self, session: AsyncSession, upload_ids: Sequence[int]) -> None:
        for upload_id in upload_ids:
            await service.detach(session, upload_id)


class UploadDocuments:
    """Files the system makes (premier.kit.documents), kept as private uploads."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

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
        upload = await service.store_document(
            session, self._storage, owner_id=owner_id, purpose=Purpose(purpose),
            filename=filename, content_type=content_type, data=data,
        )  # fmt: skip
        return upload.id

    async def link(self, session: AsyncSession, upload_id: int) -> str | None:
        return await service.link_of(session, self._storage, upload_id)
